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
import io.isoline.testing.EnvoyProcess;
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
 * Proxyless gRPC clients nobody here wrote, in three implementations (grpc-java's grpc-xds, gRPC
 * C-core through Python, grpc-js-xds on Node), dial {@code xds:///echo.test} against
 * {@code serve --manifests}: IngressRoute weights split their RPCs between two real gRPC servers, a
 * weight change moves them, and removing an endpoint moves traffic to the other one. Beside them a
 * real Envoy on the same snapshot routes a plain gRPC client's calls by the same rules.
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
                metadata: {name: %s, namespace: grpc, annotations: {projectcontour.io/upstream-protocol.h2c: grpc}}
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

    /** A proxyless client that makes N calls and counts the answers by backend. */
    private interface Caller extends AutoCloseable {
        Map<String, Integer> calls(int n) throws Exception;

        String name();
    }

    /** grpc-java's grpc-xds, in this JVM. */
    private static Caller javaClient() {
        return channelClient("grpc-java", ManagedChannelBuilder.forTarget("xds:///echo.test").usePlaintext().build());
    }

    /**
     * Calls on {@code channel}; each waits until the channel is ready (the first call resolves
     * xDS, which takes seconds on a loaded machine) within a deadline scaled to one.
     */
    private static Caller channelClient(String name, ManagedChannel channel) {
        return new Caller() {
            @Override
            public Map<String, Integer> calls(int n) {
                Map<String, Integer> counts = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    counts.merge(ClientCalls.blockingUnaryCall(channel, WHO,
                            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS), "hi"), 1, Integer::sum);
                }
                return counts;
            }

            @Override
            public void close() throws InterruptedException {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * A client in another implementation, as a process: for each number written to its stdin it
     * makes that many calls and prints a JSON line of counts (src/test/python, src/test/node).
     */
    private Caller processClient(String name, int xdsPort, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().putAll(env);
        pb.environment().put("GRPC_XDS_BOOTSTRAP_CONFIG", ("{\"xds_servers\": [{\"server_uri\": \"127.0.0.1:%d\", "
                + "\"channel_creds\": [{\"type\": \"insecure\"}], \"server_features\": [\"xds_v3\"]}], "
                + "\"node\": {\"id\": \"proxyless-%s\", \"cluster\": \"test\", \"locality\": {}}}").formatted(xdsPort, name));
        Process p = pb.start();
        var in = new java.io.PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return new Caller() {
            @Override
            public Map<String, Integer> calls(int n) throws IOException {
                in.println(n);
                String line = out.readLine();
                if (line == null) {
                    throw new AssertionError(name + " client exited: " + Files.readString(dir.resolve(name + ".err")));
                }
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                if (json.has("error")) {
                    throw new IllegalStateException(name + " client: " + json.get("error").asText());
                }
                Map<String, Integer> counts = new TreeMap<>();
                json.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
                return counts;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() throws InterruptedException {
                in.close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        };
    }

    /**
     * gRPC C-core through Debian's python3-grpcio. Required in CI (.ci/run installs it); elsewhere
     * null when the package is missing.
     */
    private Caller coreClient(int xdsPort) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        boolean present = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import grpc")
                .start().waitFor() == 0;
        return io.isoline.testing.RealTier.available(present, "Debian's python3-grpcio (apt-get install python3-grpcio)")
                ? processClient("core", xdsPort, Map.of(), python.toString(), "src/test/python/xds_client.py", "xds:///echo.test")
                : null;
    }

    /**
     * grpc-js with grpc-js-xds on Node, from the packages .ci/install-node-xds installs (path in
     * ISOLINE_NODE_XDS, else .tools/node-xds). Required in CI; elsewhere null when missing.
     */
    private Caller nodeClient(int xdsPort) throws Exception {
        String modules = System.getenv().getOrDefault("ISOLINE_NODE_XDS", ".tools/node-xds/node_modules");
        boolean present = Files.isDirectory(Path.of(modules, "@grpc", "grpc-js-xds"));
        return io.isoline.testing.RealTier.available(present, "the Node xDS client's packages (.ci/install-node-xds)")
                ? processClient("node", xdsPort, Map.of("NODE_PATH", Path.of(modules).toAbsolutePath().toString()),
                        "node", "src/test/node/xds_client.js", "xds:///echo.test")
                : null;
    }

    /** Every client eventually sees {@code expected} in 50 calls. */
    private static void allSee(List<Caller> clients, java.util.function.Predicate<Map<String, Integer>> expected) {
        for (Caller c : clients) {
            // (a call may fail while a client switches clusters; the last failure is reported on timeout)
            await(c.name()).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> c.calls(50), expected);
        }
    }

    @Test
    void proxylessClientsInThreeImplementationsFollowIngressRouteWeightsAndEndpoints() throws Exception {
        Server a = backend("a");
        Server b = backend("b");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Path services = manifests.resolve("services.yaml");
        Path routes = manifests.resolve("route.yaml");
        // A host with a cookie rewrite shares ingress_http: its Lua route config is optional, so the
        // proxyless clients (which have no Lua) still take the configuration.
        Files.writeString(services, service("a", a.getPort()) + service("b", b.getPort()) + service("pool", a.getPort(), b.getPort())
                + """
                apiVersion: projectcontour.io/v1
                kind: HTTPProxy
                metadata: {name: cookies, namespace: grpc}
                spec:
                  virtualhost: {fqdn: cookies.test}
                  routes: [{cookieRewritePolicies: [{name: s, secure: true}], services: [{name: a, port: 50051}]}]
                """);
        Files.writeString(routes, route("{name: a, port: 50051, weight: 50}, {name: b, port: 50051, weight: 50}"));
        List<Caller> clients = new java.util.ArrayList<>();
        int envoyPort = IsolineProcess.freePort();
        EnvoyProcess envoy = null;
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", manifests.toString(), "--envoy-address", "127.0.0.1", "--envoy-http-port",
                String.valueOf(envoyPort)).awaitListening(60_000)) {
            System.setProperty("io.grpc.xds.bootstrapConfig", """
                    {"xds_servers": [{"server_uri": "127.0.0.1:%d", "channel_creds": [{"type": "insecure"}],
                      "server_features": ["xds_v3"]}],
                     "node": {"id": "proxyless-test", "cluster": "test", "locality": {}}}""".formatted(isoline.port));
            clients.add(javaClient());
            for (Caller other : new Caller[] {coreClient(isoline.port), nodeClient(isoline.port)}) {
                if (other != null) {
                    clients.add(other);
                }
            }
            // Real Envoy on the same snapshot: a plain gRPC client through Envoy's listener is
            // routed by the same rules; Envoy never receives the proxyless API listeners.
            if (io.isoline.testing.RealTier.available(EnvoyProcess.binary() != null, "Envoy binary (.ci/install-envoy)")) {
                envoy = EnvoyProcess.start(dir.resolve("envoy"), IsolineProcess.run("bootstrap", "-", "--xds-port",
                        String.valueOf(isoline.port), "--admin-port", "0", "--node-id", "envoy-beside-grpc")).awaitReady();
                assertThat(envoy.configDump().toString()).contains("\"name\":\"ingress_http\"").doesNotContain("api_listener");
                clients.add(channelClient("envoy", ManagedChannelBuilder.forAddress("127.0.0.1", envoyPort).usePlaintext()
                        .overrideAuthority("echo.test").build()));
            }
            // 50/50: both backends get a fair share (binomial, 400 calls: 35-65% is > 6 sigma wide).
            for (Caller c : clients) {
                Map<String, Integer> split = c.calls(400);
                assertThat(split.get("a")).as(c.name() + " " + split).isBetween(140, 260);
                assertThat(split.get("b")).as(c.name() + " " + split).isBetween(140, 260);
            }
            // 100/0: everything moves to a.
            Files.writeString(routes, route("{name: a, port: 50051, weight: 100}, {name: b, port: 50051, weight: 0}"));
            allSee(clients, Map.of("a", 50)::equals);

            // One Service with both endpoints, then a's endpoint removed (an EDS update of that
            // cluster alone): traffic moves to b.
            Files.writeString(routes, route("{name: pool, port: 50051}"));
            allSee(clients, m -> m.size() == 2);
            Files.writeString(services, service("a", a.getPort()) + service("b", b.getPort()) + service("pool", b.getPort()));
            allSee(clients, Map.of("b", 50)::equals);
            assertThat(isoline.log()).doesNotContain("rejected");
            if (envoy != null) {
                envoy.assertNoRejections();
            }
        } finally {
            if (envoy != null) {
                envoy.close();
            }
            for (Caller c : clients) {
                c.close();
            }
            System.clearProperty("io.grpc.xds.bootstrapConfig");
            a.shutdownNow();
            b.shutdownNow();
        }
    }
}
