package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.isoline.testing.IsolineProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxyless gRPC client nobody here wrote (grpc-java's grpc-xds) dials {@code xds:///echo.test}
 * against {@code serve --manifests}: IngressRoute weights split its RPCs between two real gRPC
 * servers, a weight change moves them, and removing an endpoint moves traffic to the other one.
 */
class ProxylessGrpcIT {

    private static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("echo.Echo/Who")
            .setRequestMarshaller(STRING).setResponseMarshaller(STRING).build();

    @TempDir
    Path dir;

    private static Server backend(String name) throws IOException {
        return ServerBuilder.forPort(0).addService(ServerServiceDefinition.builder("echo.Echo")
                .addMethod(WHO, ServerCalls.asyncUnaryCall((req, obs) -> {
                    obs.onNext(name);
                    obs.onCompleted();
                })).build()).build().start();
    }

    private static String service(String name, int... ports) {
        StringBuilder addresses = new StringBuilder();
        for (int p : ports) {
            addresses.append("- addresses: [{ip: 127.0.0.1}]\n  ports: [{name: grpc, port: ").append(p).append("}]\n");
        }
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: grpc}
                spec: {ports: [{name: grpc, port: 50051}]}
                ---
                apiVersion: v1
                kind: Endpoints
                metadata: {name: %s, namespace: grpc}
                subsets:
                %s---
                """.formatted(name, name, addresses);
    }

    private static String route(String services) {
        return """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: echo, namespace: grpc}
                spec:
                  virtualhost: {fqdn: echo.test}
                  routes: [{match: /, services: [%s]}]
                """.formatted(services);
    }

    private static Map<String, Integer> calls(ManagedChannel channel, int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String who = ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "hi");
            counts.merge(who, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Runs src/test/python/xds_client.py on Debian's python3-grpcio (gRPC C-core). Required in CI
     * (.ci/run installs it); elsewhere returns null when the package is missing.
     */
    private Map<String, Integer> coreClient(int xdsPort, int calls) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean present = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import grpc")
                .start().waitFor() == 0;
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI needs Debian's python3-grpcio (apt-get install python3-grpcio)");
            }
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "src/test/python/xds_client.py", "xds:///echo.test",
                String.valueOf(calls)).redirectError(dir.resolve("core.err").toFile());
        pb.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", ("{\"xds_servers\": [{\"server_uri\": \"127.0.0.1:%d\", "
                + "\"channel_creds\": [{\"type\": \"insecure\"}], \"server_features\": [\"xds_v3\"]}], "
                + "\"node\": {\"id\": \"proxyless-core\", \"cluster\": \"test\", \"locality\": {}}}").formatted(xdsPort));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("core.err"))).isZero();
        Map<String, Integer> counts = new TreeMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    @Test
    void grpcXdsClientFollowsIngressRouteWeightsAndEndpoints() throws Exception {
        Server a = backend("a");
        Server b = backend("b");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Path services = manifests.resolve("services.yaml");
        Path routes = manifests.resolve("route.yaml");
        Files.writeString(services, service("a", a.getPort()) + service("b", b.getPort()) + service("pool", a.getPort(), b.getPort()));
        Files.writeString(routes, route("{name: a, port: 50051, weight: 50}, {name: b, port: 50051, weight: 50}"));
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", manifests.toString()).awaitListening(60_000)) {
            System.setProperty("io.grpc.xds.bootstrapConfig", """
                    {"xds_servers": [{"server_uri": "127.0.0.1:%d", "channel_creds": [{"type": "insecure"}],
                      "server_features": ["xds_v3"]}],
                     "node": {"id": "proxyless-test", "cluster": "test", "locality": {}}}""".formatted(isoline.port));
            ManagedChannel channel = ManagedChannelBuilder.forTarget("xds:///echo.test").usePlaintext().build();
            try {
                // 50/50: both backends get a fair share (binomial, 400 calls: 35-65% is > 6 sigma wide).
                Map<String, Integer> split = calls(channel, 400);
                assertThat(split.get("a")).isBetween(140, 260);
                assertThat(split.get("b")).isBetween(140, 260);

                // The same split seen by a client in another implementation: gRPC C-core (Python).
                Map<String, Integer> core = coreClient(isoline.port, 400);
                if (core != null) {
                    assertThat(core.get("a")).isBetween(140, 260);
                    assertThat(core.get("b")).isBetween(140, 260);
                }

                // 100/0: everything moves to a.
                Files.writeString(routes, route("{name: a, port: 50051, weight: 100}, {name: b, port: 50051, weight: 0}"));
                await().atMost(Duration.ofSeconds(20)).until(() -> calls(channel, 50).equals(Map.of("a", 50)));

                // One Service with both endpoints, then a's endpoint removed: traffic moves to b.
                Files.writeString(routes, route("{name: pool, port: 50051}"));
                await().atMost(Duration.ofSeconds(20)).until(() -> calls(channel, 50).size() == 2);
                Files.writeString(services, service("a", a.getPort()) + service("b", b.getPort()) + service("pool", b.getPort()));
                await().atMost(Duration.ofSeconds(20)).until(() -> calls(channel, 50).equals(Map.of("b", 50)));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                System.clearProperty("io.grpc.xds.bootstrapConfig");
                a.shutdownNow();
                b.shutdownNow();
            }
            assertThat(isoline.log()).doesNotContain("rejected");
        }
    }
}
