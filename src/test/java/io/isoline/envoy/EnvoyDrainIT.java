package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoline.testing.Backend;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.EnvoyStack;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Envoy as the chart runs it, through a real Envoy: readiness and metrics on the stats listener
 * {@code bootstrap --stats-port} programs (nothing else of admin reachable), and a drain by
 * {@code envoy-shutdown-manager} as the pod's preStop hook drives it: a kept-alive client's next
 * request is answered and its connection closed, no request fails, the wait is bounded, and a
 * caller without the pod's token drains nothing.
 */
class EnvoyDrainIT extends RealEnvoyTier {

    @TempDir
    static Path dir;

    private static final String TOKEN = "pod-spec-token";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDrainAnswersEveryRequestClosesConnectionsAndIsBoundedAndTokenGuarded() throws Exception {
        vertx();
        Backend app = Backend.http(vertx, "app", "127.0.0.2");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("drain.yaml"), serviceFor("default", "app", "", app)
                + Manifests.ingress("drain", "drain.test", "/", "Prefix", "app"));
        int stats = IsolineProcess.freePort();
        // The stats listener forwards to admin's fixed port, as in the chart (9001 there).
        stack = EnvoyStack.start(dir.resolve("run"), manifests, List.of("--stats-port", String.valueOf(stats),
                "--admin-port", String.valueOf(IsolineProcess.freePort())));

        assertThat(get(stats, "/ready")).isEqualTo("200 LIVE");
        assertThat(get(stats, "/stats/prometheus")).startsWith("200").contains("envoy_server_live");
        for (String path : List.of("/config_dump", "/healthcheck/fail", "/quitquitquit", "/clusters", "/ready/../config_dump")) {
            assertThat(get(stats, path)).as(path + " is not forwarded to admin").startsWith("404");
        }

        try (Socket active = new Socket("127.0.0.1", stack.httpPort); Socket idle = new Socket("127.0.0.1", stack.httpPort);
                IsolineProcess manager = shutdownManager("20s")) {
            assertThat(request(active)).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
            int port = port(manager);

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shutdown")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("no token: nothing drained").isEqualTo(403);
            assertThat(get(stats, "/ready")).isEqualTo("200 LIVE");

            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> shutdown = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/shutdown")).header("X-Isoline-Shutdown-Token", TOKEN)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(EnvoyProcess.WAIT).until(() -> get(stats, "/ready").startsWith("503"));
            assertThat(shutdown).as("waits while connections are open").isNotDone();

            // The kept-alive client's next request is served, then Envoy closes that connection.
            assertThat(request(active)).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            assertThat(active.getInputStream().read()).as("closed by Envoy after the response").isEqualTo(-1);
            // The idle client leaves (as a real one does at its own idle timeout): nothing is left open.
            idle.close();
            assertThat(shutdown.get(30, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("drained\n");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("done when the connections are, not at the timeout")
                    .isLessThan(Duration.ofSeconds(15));
        }

        // A client that keeps an idle connection open cannot hold the pod's termination beyond the limit.
        try (Socket stays = new Socket("127.0.0.1", stack.httpPort); IsolineProcess manager = shutdownManager("2s")) {
            await().atMost(EnvoyProcess.WAIT).until(() -> stack.envoy.stat("http.ingress_http.downstream_cx_active") >= 1);
            int port = port(manager);
            long started = System.nanoTime();
            HttpResponse<String> bounded = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shutdown"))
                    .header("X-Isoline-Shutdown-Token", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bounded.body()).isEqualTo("timed out with 1 connections open\n");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(15));
        }
    }

    private IsolineProcess shutdownManager(String drainTimeout) throws Exception {
        IsolineProcess manager = IsolineProcess.start(dir.resolve("manager-" + drainTimeout + ".log"), Map.of("ISOLINE_SHUTDOWN_TOKEN", TOKEN),
                List.of(), "envoy-shutdown-manager", "--address", "127.0.0.1", "--port", "0", "--admin-port",
                String.valueOf(stack.envoy.adminPort), "--drain-timeout", drainTimeout);
        await().atMost(EnvoyProcess.WAIT).until(() -> manager.log().contains("envoy shutdown manager on"));
        return manager;
    }

    /** The port the manager logged it listens on (it was started on port 0). */
    private static int port(IsolineProcess manager) throws IOException {
        return Integer.parseInt(manager.log().replaceAll("(?s).*envoy shutdown manager on [^:]+:(\\d+).*", "$1"));
    }

    /** GET on the stats listener: "status body" (trimmed). */
    private String get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().trim();
    }

    /** One HTTP/1.1 keep-alive request on {@code socket}; the status line and headers. */
    private static String request(Socket socket) throws IOException {
        socket.setSoTimeout((int) EnvoyProcess.WAIT.toMillis());
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: drain.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a response: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = Integer.parseInt(headers.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
        in.readNBytes(length);
        return headers;
    }
}
