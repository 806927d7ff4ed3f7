package io.isoline.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests to a real Envoy's listeners on 127.0.0.1 the way clients on the internet send them:
 * any Host, any SNI, HTTP/1.1 or HTTP/2, TLS 1.2 or 1.3, WebSocket, raw TCP. Blocking calls over
 * Vert.x; one instance per test class.
 */
public final class EnvoyClient implements AutoCloseable {

    /** An HTTP answer; {@code json} is the backend's report when a {@link Backend} answered. */
    public record Reply(int status, MultiMap headers, String body, String protocol, String certificateSubject) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        /** The backend that answered, or {@code "<status>"} when Envoy answered itself. */
        public String backend() {
            String b = headers.get("x-backend");
            return b != null ? b : String.valueOf(status);
        }
    }

    private static final long TIMEOUT_S = 30;
    private final Vertx vertx;
    private final HttpClient h1;
    private final HttpClient h2c;

    public EnvoyClient(Vertx vertx) {
        this.vertx = vertx;
        this.h1 = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        this.h2c = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    }

    /** A plain HTTP/1.1 GET of {@code path} with {@code Host: host} on Envoy's port. */
    public Reply get(int port, String host, String path) throws Exception {
        return send(h1, port, host, path, Map.of());
    }

    public Reply get(int port, String host, String path, Map<String, String> headers) throws Exception {
        return send(h1, port, host, path, headers);
    }

    /** The same over HTTP/2 with prior knowledge (h2c). */
    public Reply getH2c(int port, String host, String path) throws Exception {
        return send(h2c, port, host, path, Map.of());
    }

    /**
     * An HTTPS GET with SNI and Host {@code host}, trusting any certificate (the reply names the
     * one Envoy presented), offering only {@code tlsVersions} ("TLSv1.2", "TLSv1.3").
     */
    public Reply getTls(int port, String host, String path, Set<String> tlsVersions) throws Exception {
        return getTls(port, host, path, tlsVersions, Map.of());
    }

    private Reply getTls(int port, String host, String path, Set<String> tlsVersions, Map<String, String> headers) throws Exception {
        return getTls(port, host, path, tlsVersions, headers, null);
    }

    /** An HTTPS GET as {@link #getTls(int, String, String, Map)}, presenting {@code clientCertificate}. */
    public Reply getTlsAs(Certificates.Pair clientCertificate, int port, String host, String path, Map<String, String> headers)
            throws Exception {
        return getTls(port, host, path, Set.of("TLSv1.2", "TLSv1.3"), headers, clientCertificate);
    }

    private Reply getTls(int port, String host, String path, Set<String> tlsVersions, Map<String, String> headers,
            Certificates.Pair clientCertificate) throws Exception {
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setForceSni(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
                .setEnabledSecureTransportProtocols(tlsVersions);
        if (clientCertificate != null) {
            options.setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(clientCertificate.cert().toString())
                    .setKeyPath(clientCertificate.key().toString()));
        }
        HttpClient tls = vertx.createHttpClient(options);
        try {
            return send(tls, port, host, path, headers);
        } finally {
            tls.close();
        }
    }

    public Reply getTls(int port, String host, String path) throws Exception {
        return getTls(port, host, path, Set.of("TLSv1.2", "TLSv1.3"));
    }

    /** The same with these request headers. */
    public Reply getTls(int port, String host, String path, Map<String, String> headers) throws Exception {
        return getTls(port, host, path, Set.of("TLSv1.2", "TLSv1.3"), headers);
    }

    private Reply send(HttpClient client, int port, String host, String path, Map<String, String> headers) throws Exception {
        // Host is sent as host:port (the port Envoy listens on, as curl does), or as given with a port
        int colon = host.lastIndexOf(':');
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost(colon < 0 ? host : host.substring(0, colon))
                .setPort(colon < 0 ? port : Integer.parseInt(host.substring(colon + 1))).setURI(path);
        headers.forEach(options::putHeader);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        client.request(options).compose(req -> req.send().compose(resp -> resp.body().map(body -> reply(resp, body))))
                .onComplete(r -> {
                    if (r.succeeded()) {
                        reply.complete(r.result());
                    } else {
                        reply.completeExceptionally(r.cause());
                    }
                });
        return reply.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static Reply reply(HttpClientResponse resp, Buffer body) {
        String subject = null;
        try {
            if (resp.request().connection().isSsl()) {
                subject = ((X509Certificate) resp.request().connection().peerCertificates().get(0)).getSubjectX500Principal().getName();
            }
        } catch (Exception unverified) {
            subject = "?";
        }
        return new Reply(resp.statusCode(), resp.headers(), body.toString(), resp.version().name(), subject);
    }

    /** Opens a WebSocket to {@code host path}, sends {@code message}; the echo. */
    public String websocket(int port, String host, String path, String message) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(path)
                .putHeader("Host", host);
        CompletableFuture<String> echo = new CompletableFuture<>();
        vertx.createWebSocketClient().connect(options).onComplete(r -> {
            if (r.failed()) {
                echo.completeExceptionally(r.cause());
                return;
            }
            r.result().textMessageHandler(m -> {
                echo.complete(m);
                r.result().close();
            });
            r.result().writeTextMessage(message);
        });
        return echo.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /**
     * A TCP connection to {@code port} (TLS with SNI {@code sni} when not null, trusting any
     * certificate): the backend's greeting line, then the echo of {@code message}, and the
     * subject of the certificate presented (or null).
     */
    public String[] tcp(int port, String sni, String message) throws Exception {
        NetClientOptions options = new NetClientOptions().setConnectTimeout(10_000);
        if (sni != null) {
            options.setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        CompletableFuture<String[]> result = new CompletableFuture<>();
        Future<NetSocket> connect = sni != null
                ? vertx.createNetClient(options).connect(SocketAddress.inetSocketAddress(port, "127.0.0.1"), sni)
                : vertx.createNetClient(options).connect(port, "127.0.0.1");
        connect.onComplete(r -> {
            if (r.failed()) {
                result.completeExceptionally(r.cause());
                return;
            }
            NetSocket s = r.result();
            StringBuilder seen = new StringBuilder();
            s.handler(b -> {
                seen.append(b.toString());
                int nl = seen.indexOf("\n");
                if (nl >= 0 && seen.length() == nl + 1) {
                    s.write(message);
                } else if (nl >= 0 && seen.length() >= nl + 1 + message.length()) {
                    String subject = null;
                    try {
                        subject = s.isSsl() ? ((X509Certificate) s.peerCertificates().get(0)).getSubjectX500Principal().getName() : null;
                    } catch (Exception e) {
                        subject = "?";
                    }
                    result.complete(new String[] {seen.substring(0, nl), seen.substring(nl + 1), subject});
                    s.close();
                }
            });
            s.closeHandler(v -> result.completeExceptionally(new IllegalStateException("closed after " + seen)));
        });
        return result.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        h1.close();
        h2c.close();
    }
}
