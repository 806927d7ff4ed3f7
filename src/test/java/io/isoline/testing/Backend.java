package io.isoline.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for traffic through a real Envoy, on a loopback address and a random port. HTTP
 * backends answer every request with JSON naming the backend and what it received (method, path,
 * host, protocol, headers), speak HTTP/1.1 and h2c (prior knowledge or upgrade), echo WebSocket
 * messages, and answer {@code /healthz} with 200 or 503 ({@link #healthy(boolean)}). TCP backends
 * greet with their name and echo. Thread-safe: Vert.x serves it on its event loop.
 */
public final class Backend implements AutoCloseable {

    public final String name;
    public final String ip;
    public final int port;
    private final AutoCloseable server;
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();

    private Backend(String name, String ip, int port, AutoCloseable server) {
        this.name = name;
        this.ip = ip;
        this.port = port;
        this.server = server;
    }

    /** An HTTP backend (HTTP/1.1, h2c, WebSocket) on {@code ip}. */
    public static Backend http(Vertx vertx, String name, String ip) throws Exception {
        return http(vertx, name, ip, new HttpServerOptions());
    }

    /** An HTTPS backend presenting its own certificate (ALPN h2 and http/1.1). */
    public static Backend https(Vertx vertx, String name, String ip, Certificates.Pair cert) throws Exception {
        return http(vertx, name, ip, new HttpServerOptions().setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString())));
    }

    private static Backend http(Vertx vertx, String name, String ip, HttpServerOptions options) throws Exception {
        Backend[] self = new Backend[1];
        HttpServer server = vertx.createHttpServer(options.setHost(ip).setPort(0).setHttp2ClearTextEnabled(true))
                .webSocketHandler(ws -> ws.handler(msg -> ws.writeTextMessage(name + ":" + msg.toString())))
                .requestHandler(req -> self[0].answer(req));
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        self[0] = new Backend(name, ip, server.actualPort(), () -> await(server.close()));
        return self[0];
    }

    /**
     * A TCP backend: on connect it writes {@code name\n}, then echoes. With {@code cert}, it speaks
     * TLS with that certificate first (for TLS passthrough: the client sees this certificate).
     */
    public static Backend tcp(Vertx vertx, String name, String ip, Certificates.Pair cert) throws Exception {
        NetServerOptions options = new NetServerOptions().setHost(ip).setPort(0);
        if (cert != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString())
                    .setKeyPath(cert.key().toString()));
        }
        NetServer server = vertx.createNetServer(options).connectHandler(socket -> {
            socket.write(name + "\n");
            socket.handler(socket::write);
        });
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new Backend(name, ip, server.actualPort(), () -> await(server.close()));
    }

    private void answer(HttpServerRequest req) {
        if (req.path().equals("/healthz")) {
            healthChecks.incrementAndGet();
            req.response().setStatusCode(healthy.get() ? 200 : 503).end(name);
            return;
        }
        requests.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            req.response().setStatusCode(503).end(name + " failed on purpose");
            return;
        }
        Map<String, String> headers = new TreeMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        String delay = req.getParam("delay");
        JsonObject body = new JsonObject().put("backend", name).put("method", req.method().name()).put("path", req.uri())
                .put("host", req.authority() == null ? null : req.authority().toString())
                .put("protocol", req.version().name()).put("headers", new JsonObject(new TreeMap<>(headers)));
        // ?set-cookie=... (repeatable): Set-Cookie headers on the answer, for cookie rewrite tests.
        req.params().getAll("set-cookie").forEach(c -> req.response().headers().add("set-cookie", c));
        Runnable reply = () -> req.response().putHeader("content-type", "application/json")
                .putHeader("x-backend", name).end(Buffer.buffer(body.encode()));
        if (delay != null) {
            req.response().setChunked(false);
            Vertx.currentContext().owner().setTimer(Long.parseLong(delay), t -> reply.run());
        } else {
            reply.run();
        }
    }

    /** What {@code /healthz} answers from now on: 200 (true) or 503. */
    public void healthy(boolean value) {
        healthy.set(value);
    }

    /** The next {@code n} requests (other than health checks) get a 503. */
    public void failNext(int n) {
        failNext.set(n);
    }

    /** Requests received, health checks not counted. */
    public int requests() {
        return requests.get();
    }

    public int healthChecks() {
        return healthChecks.get();
    }

    private static Void await(io.vertx.core.Future<Void> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
