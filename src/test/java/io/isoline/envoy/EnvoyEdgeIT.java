package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Backend;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.EnvoyStack;
import io.isoline.testing.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge settings an operator chooses (docs/configuration.md, "Envoy edge settings"), each
 * proved by what a client sees from a real Envoy: here every one is set away from its default.
 * The defaults themselves are checked in {@link EnvoyIngressIT}.
 */
class EnvoyEdgeIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Path manifests;

    @BeforeAll
    static void start() throws Exception {
        vertx();
        Backend app = Backend.http(vertx, "app", "127.0.0.2");
        manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("edge.yaml"), serviceFor("default", "app", "", app)
                + Manifests.ingress("edge", "edge.test", "/a/b", "Exact", "app"));
        startStack(dir.resolve("run"), manifests, "--no-merge-slashes", "--escaped-slashes", "reject",
                "--headers-with-underscores", "reject", "--request-headers-timeout", "1s", "--http2-max-concurrent-streams", "7",
                "--access-log", "json");
    }

    /** --access-log json: one JSON object per request with what a platform engineer asks first, and no credentials. */
    @Test
    void accessLogsAreJsonObjectsWithTheRequestAndItsOutcomeAndNoCredentials() throws Exception {
        assertThat(client.get(stack.httpPort, "edge.test", "/a/b", Map.of("authorization", "Bearer s3cr3t-token",
                "cookie", "session=s3cr3t-cookie", "user-agent", "edge-it")).backend()).isEqualTo("app");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        org.awaitility.Awaitility.await().atMost(EnvoyProcess.WAIT).until(() -> stack.envoy.log().contains("\"user_agent\":\"edge-it\""));
        String line = stack.envoy.log().lines().filter(l -> l.contains("\"user_agent\":\"edge-it\"")).findFirst().orElseThrow();
        var entry = json.readTree(line);
        assertThat(entry.get("authority").asText()).isEqualTo("edge.test");
        assertThat(entry.get("method").asText()).isEqualTo("GET");
        assertThat(entry.get("path").asText()).isEqualTo("/a/b");
        assertThat(entry.get("response_code").asInt()).isEqualTo(200);
        assertThat(entry.get("upstream_cluster").asText()).startsWith("default/app/");
        assertThat(entry.get("request_id").asText()).isNotBlank();
        assertThat(line).doesNotContain("s3cr3t");
    }

    @Test
    void slashesAreNotMergedWhenTurnedOff() throws Exception {
        assertThat(via("edge.test", "/a/b")).isEqualTo("app");
        assertThat(via("edge.test", "/a//b")).as("routed as sent: no Exact match").isEqualTo("404");
    }

    @Test
    void escapedSlashesAndUnderscoredHeadersAreRefusedWhenSoConfigured() throws Exception {
        assertThat(via("edge.test", "/a%2Fb")).isEqualTo("400");
        assertThat(client.get(stack.httpPort, "edge.test", "/a/b", Map.of("x_user", "admin")).backend()).isEqualTo("400");
        assertThat(client.get(stack.httpPort, "edge.test", "/a/b", Map.of("x-user", "admin")).backend()).isEqualTo("app");
    }

    @Test
    void aClientThatDoesNotFinishItsHeadersIsCutOffAtTheRequestHeadersTimeout() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", stack.httpPort)) {
            slow.setSoTimeout((int) EnvoyProcess.WAIT.toMillis());
            long start = System.nanoTime();
            slow.getOutputStream().write("GET /a/b HTTP/1.1\r\nHost: edge.test\r\nX-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(slow.getInputStream());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(answer).as("Envoy answers 408 and closes").startsWith("HTTP/1.1 408");
            assertThat(seconds).as("after the 1 s timeout, well before the default 10 s").isBetween(0.9, 8.0);
        }
    }

    @Test
    void http2ClientsGetTheConfiguredStreamLimit() throws Exception {
        var managers = stack.envoy.configDump().findParents("rds"); // the HTTP connection managers Envoy runs
        assertThat(managers).isNotEmpty().allSatisfy(hcm -> assertThat(hcm.at("/http2_protocol_options/max_concurrent_streams")
                .asInt()).isEqualTo(7));
    }

    /** A bootstrap's connection bound: past it Envoy refuses connections, and takes new ones once some close. */
    @Test
    void theBootstrapsConnectionLimitRefusesConnectionsBeyondIt() throws Exception {
        try (EnvoyStack limited = EnvoyStack.start(dir.resolve("limited"), manifests, List.of("--max-downstream-connections", "3"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket("127.0.0.1", limited.httpPort);
                    held.add(s);
                    assertThat(exchange(s)).as("connection " + (i + 1) + " of 3").startsWith("HTTP/1.1 200");
                }
                try (Socket extra = new Socket("127.0.0.1", limited.httpPort)) {
                    assertThat(exchange(extra)).as("the fourth connection is closed unanswered").isEmpty();
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            org.awaitility.Awaitility.await().atMost(EnvoyProcess.WAIT).ignoreExceptions()
                    .until(() -> {
                        try (Socket again = new Socket("127.0.0.1", limited.httpPort)) {
                            return exchange(again).startsWith("HTTP/1.1 200");
                        }
                    });
            assertThat(limited.envoy.stats()).as("Envoy counted the refusal").anySatisfy((name, value) -> {
                assertThat(name).endsWith("downstream_global_cx_overflow");
                assertThat(value).isPositive();
            });
        }
    }

    /** One keep-alive request on {@code s}: the response head, or "" when Envoy closes without one. */
    private static String exchange(Socket s) throws IOException {
        s.setSoTimeout((int) EnvoyProcess.WAIT.toMillis());
        try {
            s.getOutputStream().write("GET /a/b HTTP/1.1\r\nHost: edge.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
                head.append((char) c);
            }
            return head.toString();
        } catch (SocketException reset) {
            return "";
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketException reset) {
            return "";
        }
    }
}
