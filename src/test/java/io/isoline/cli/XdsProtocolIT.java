package io.isoline.cli;

import static io.isoline.testing.AdsClient.CDS;
import static io.isoline.testing.AdsClient.EDS;
import static io.isoline.testing.AdsClient.LDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.testing.AdsClient;
import io.isoline.testing.DeltaAdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The xDS protocol as Envoy speaks it, state of the world and delta, against the packaged jar. */
class XdsProtocolIT {

    private static final Duration WAIT = Duration.ofSeconds(30); // an expected event, on a loaded 2-core machine
    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private static List<String> clusters(DiscoveryResponse r) {
        return AdsClient.unpack(r, Cluster.class).stream().map(Cluster::getName).toList();
    }

    private static String backends(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(Manifests.backend("default", n, "10.0.0.1"));
        }
        return sb.toString();
    }

    private static String ingress(String... services) {
        StringBuilder sb = new StringBuilder();
        for (String s : services) {
            sb.append(Manifests.ingress(s, s + ".example.com", "/", "Prefix", s));
        }
        return sb.toString();
    }

    private static double metric(int port, String sample) {
        return RestAssured.given().port(port).get("/q/metrics").asString().lines().filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1))).findFirst().orElse(0);
    }

    /** A manifest directory {@code name} holding {@code yaml} in objects.yaml; returns that file. */
    private Path objects(String name, String yaml) throws Exception {
        Path file = Files.createDirectories(dir.resolve(name)).resolve("objects.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** {@code serve --manifests} over the directory of {@code objects}, polling fast. */
    private IsolineProcess serve(Path objects) throws Exception {
        return IsolineProcess.start(dir.resolve("log"),
                List.of("-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", objects.getParent().toString()).awaitListening(60_000);
    }

    /** What an unauthenticated client sends is bounded and escaped before it is kept or logged. */
    @Test
    void hostileClientsCannotChooseMegabyteNodeIdsOrForgeLogLines() throws Exception {
        try (IsolineProcess isoline = serve(objects("h", backends("a") + ingress("a")))) {
            try (AdsClient huge = new AdsClient("127.0.0.1", isoline.port, "x".repeat(2000))) {
                assertThatThrownBy(() -> huge.subscribe(CDS, List.of(), WAIT)).hasStackTraceContaining("INVALID_ARGUMENT")
                        .hasStackTraceContaining("at most 1024 characters");
            }
            try (AdsClient odd = new AdsClient("127.0.0.1", isoline.port, "odd")) {
                assertThatThrownBy(() -> odd.subscribe("type.googleapis.com/no.such.Type", List.of(), WAIT))
                        .hasStackTraceContaining("INVALID_ARGUMENT").hasStackTraceContaining("unknown type URL");
            }
            try (AdsClient liar = new AdsClient("127.0.0.1", isoline.port, "liar\n12:00:00.000 INFO  forged node line")) {
                DiscoveryResponse cds = liar.subscribe(CDS, List.of(), WAIT);
                liar.nack(cds, "", "bad\n12:00:00.000 INFO  [i.quarkus] forged error line " + "y".repeat(100_000));
                await().atMost(WAIT).until(() -> isoline.log().contains("rejected " + CDS));
            }
            String log = isoline.log();
            assertThat(log).contains("liar\\x0a12:00:00.000 INFO  forged node line").contains("bad\\x0a12:00:00.000 INFO")
                    .contains("more characters)");
            assertThat(log.lines()).noneMatch(l -> l.startsWith("12:00:00.000")).allMatch(l -> l.length() < 10_000);
        }
    }

    /**
     * SDS hands out only the certificates a served listener uses: a client asking by name for a
     * Secret nobody references, or one referenced only by an invalid object, gets nothing for it.
     */
    @Test
    void sdsServesOnlySecretsThatAServedListenerReferences() throws Exception {
        String yaml = backends("a") + Manifests.tlsSecret("default", "used") + Manifests.tlsSecret("default", "unused")
                + Manifests.tlsSecret("default", "invalid-only") + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: tls, namespace: default}
                spec:
                  tls: [{hosts: [a.example.com], secretName: used}]
                  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: broken, namespace: default}
                spec:
                  virtualhost: {fqdn: broken.example.com, tls: {secretName: invalid-only}}
                  routes: [{match: /, services: [{name: missing, port: 80}]}]
                ---
                """;
        try (IsolineProcess isoline = serve(objects("sds", yaml));
                AdsClient thief = new AdsClient("127.0.0.1", isoline.port, "curious")) {
            DiscoveryResponse sds = thief.subscribe(AdsClient.SDS, List.of("default/used", "default/unused", "default/invalid-only",
                    "kube-system/anything"), WAIT);
            assertThat(AdsClient.unpack(sds, io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.class))
                    .extracting(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret::getName).containsExactly("default/used");
        }
    }

    @Test
    void stateOfTheWorldAckNackReconnectAndRemoval() throws Exception {
        Path objects = objects("m", backends("a", "b") + ingress("a"));
        try (IsolineProcess isoline = serve(objects);
                AdsClient good = new AdsClient("127.0.0.1", isoline.port, "good-envoy");
                AdsClient picky = new AdsClient("127.0.0.1", isoline.port, "picky-envoy")) {
            DiscoveryResponse g1 = good.subscribe(CDS, List.of(), WAIT);
            DiscoveryResponse p1 = picky.subscribe(CDS, List.of(), WAIT);
            assertThat(clusters(g1)).containsExactly("default/a/80/da39a3ee5e");
            good.ack(g1, List.of());
            picky.ack(p1, List.of());

            // v2: the picky node rejects it; the other accepts. One log line, one count.
            writeAtomically(objects, backends("a", "b") + ingress("a", "b"));
            DiscoveryResponse g2 = good.next(WAIT);
            DiscoveryResponse p2 = picky.next(WAIT);
            assertThat(clusters(g2)).containsExactly("default/a/80/da39a3ee5e", "default/b/80/da39a3ee5e");
            good.ack(g2, List.of());
            picky.nack(p2, p1.getVersionInfo(), "cluster default/b rejected on purpose");
            await().atMost(WAIT).until(() -> isoline.log().contains("rejected"));
            assertThat(isoline.log()).containsOnlyOnce("cluster default/b rejected on purpose").contains("picky-envoy");
            assertThat(metric(isoline.managementPort, "isoline_xds_nacks_total{type=\"cds\"}")).isEqualTo(1);
            // The NACK does not make the server resend the rejected version, to anyone.
            assertThat(picky.next(QUIET)).isNull();
            assertThat(good.next(Duration.ofMillis(200))).isNull();

            // v3, the next good snapshot, reaches both, including the one that rejected v2.
            writeAtomically(objects, backends("a", "b") + ingress("b"));
            DiscoveryResponse g3 = good.next(WAIT);
            DiscoveryResponse p3 = picky.next(WAIT);
            assertThat(clusters(p3)).containsExactly("default/b/80/da39a3ee5e");
            assertThat(p3.getVersionInfo()).isEqualTo(g3.getVersionInfo());
            good.ack(g3, List.of());
            picky.ack(p3, List.of());

            // Reconnecting with the last accepted version: nothing is re-sent until something changes.
            try (AdsClient again = new AdsClient("127.0.0.1", isoline.port, "good-envoy")) {
                again.resume(CDS, g3.getVersionInfo());
                assertThat(again.next(QUIET)).isNull();
                // Resource removal in state of the world: the cluster is absent from the next response.
                writeAtomically(objects, backends("a", "b"));
                DiscoveryResponse empty = again.next(WAIT);
                assertThat(clusters(empty)).isEmpty();
                assertThat(empty.getVersionInfo()).isNotEqualTo(g3.getVersionInfo());
            }
        }
    }

    @Test
    void anEndpointChangeSendsOnlyThatClustersAssignment() throws Exception {
        String ingresses = ingress("a", "b", "c");
        Path objects = objects("e", backends("a", "b", "c") + ingresses);
        try (IsolineProcess isoline = serve(objects);
                AdsClient envoy = new AdsClient("127.0.0.1", isoline.port, "envoy-1")) {
            DiscoveryResponse cds = envoy.subscribe(CDS, List.of(), WAIT);
            envoy.ack(cds, List.of());
            List<String> names = AdsClient.unpack(cds, Cluster.class).stream()
                    .map(c -> c.getEdsClusterConfig().getServiceName().isEmpty() ? c.getName()
                            : c.getEdsClusterConfig().getServiceName()).toList();
            assertThat(names).hasSize(3);
            DiscoveryResponse first = envoy.subscribe(EDS, names, WAIT);
            assertThat(assignments(first)).hasSize(3);
            envoy.ack(first, names);
            assertThat(envoy.next(QUIET)).as("nothing re-sent after the ACK").isNull();

            // Service a moves to another pod: only a's assignment is sent, not b's or c's.
            double edsSent = metric(isoline.managementPort, "isoline_xds_resources_sent_total{type=\"eds\"}");
            writeAtomically(objects, Manifests.backend("default", "a", "10.0.0.9") + backends("b", "c") + ingresses);
            DiscoveryResponse changed = envoy.next(WAIT);
            assertThat(changed.getTypeUrl()).isEqualTo(EDS);
            assertThat(assignments(changed)).singleElement().satisfies(cla -> {
                assertThat(cla.getClusterName()).startsWith("default/a/");
                assertThat(cla.toString()).contains("10.0.0.9");
            });
            envoy.ack(changed, names);
            assertThat(envoy.next(QUIET)).as("the ACK of a partial response asks for nothing more").isNull();
            assertThat(metric(isoline.managementPort, "isoline_xds_resources_sent_total{type=\"eds\"}")).isEqualTo(edsSent + 1);

            // A client that connects now still gets every assignment it asks for.
            try (AdsClient fresh = new AdsClient("127.0.0.1", isoline.port, "envoy-2")) {
                DiscoveryResponse all = fresh.subscribe(EDS, names, WAIT);
                assertThat(assignments(all)).hasSize(3);
                assertThat(all.getVersionInfo()).isEqualTo(changed.getVersionInfo());
            }
            // A new Service d: CDS first; the EDS version moves, but nothing this client watches
            // changed, so the EDS response is empty. Asking for d then gets d alone.
            writeAtomically(objects, Manifests.backend("default", "a", "10.0.0.9") + backends("b", "c", "d")
                    + ingresses + ingress("d"));
            DiscoveryResponse cds2 = envoy.next(WAIT);
            DiscoveryResponse eds3 = ackClustersThenNextEndpoints(envoy, cds2);
            assertThat(assignments(eds3)).isEmpty();
            List<String> withD = new java.util.ArrayList<>(names);
            withD.add(AdsClient.unpack(cds2, Cluster.class).stream().map(c -> c.getEdsClusterConfig().getServiceName())
                    .filter(n -> n.startsWith("default/d/")).findFirst().orElseThrow());
            envoy.ack(eds3, withD);
            DiscoveryResponse onlyD = envoy.next(WAIT);
            assertThat(assignments(onlyD)).extracting(ClusterLoadAssignment::getClusterName)
                    .containsExactly(withD.get(3));
            envoy.ack(onlyD, withD);
            assertThat(envoy.next(QUIET)).isNull();

            // In one publish, Service a's cluster changes (an option, so a new cluster on the same
            // endpoints) and b's endpoints move. The new cluster has an EDS name of its own (Envoy
            // does not ask again for an assignment it already has), so the client asks for it as
            // Envoy does, and gets it; b's moved endpoints come too; c's and d's are not re-sent.
            String annotatedA = Manifests.backend("default", "a", "10.0.0.9").replace("metadata: {name: a, namespace: default}",
                    "metadata: {name: a, namespace: default, annotations: {contour.heptio.com/max-connections: \"10\"}}");
            writeAtomically(objects, annotatedA + Manifests.backend("default", "b", "10.0.0.7") + backends("c", "d")
                    + ingresses + ingress("d"));
            DiscoveryResponse lastEds = onlyD;
            List<String> asked = withD;
            java.util.Set<String> sent = new java.util.TreeSet<>();
            for (DiscoveryResponse r = envoy.next(WAIT); r != null; r = envoy.next(QUIET)) {
                if (r.getTypeUrl().equals(CDS)) {
                    asked = AdsClient.unpack(r, Cluster.class).stream().map(c -> c.getEdsClusterConfig().getServiceName()).toList();
                    envoy.ack(r, List.of());
                    envoy.ack(lastEds, asked);
                } else {
                    assignments(r).forEach(cla -> sent.add(cla.getClusterName()));
                    lastEds = r;
                    envoy.ack(r, asked);
                }
            }
            assertThat(sent).hasSize(2).contains("default/b/http")
                    .anySatisfy(n -> assertThat(n).startsWith("default/a/http/"));
        }
    }

    /**
     * Replaces the manifest file in one step, as a ConfigMap swap does: with a plain rewrite a loaded
     * machine can stall between truncating and writing for longer than the 100 ms holdoff, and the
     * half-written file is published first (then every assignment comes again).
     */
    private static void writeAtomically(Path file, String text) throws java.io.IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** After a publish that changed clusters: CDS comes first; ACK it and return the EDS response that follows. */
    private static DiscoveryResponse ackClustersThenNextEndpoints(AdsClient envoy, DiscoveryResponse cds) throws Exception {
        assertThat(cds.getTypeUrl()).isEqualTo(CDS);
        envoy.ack(cds, List.of());
        DiscoveryResponse eds = envoy.next(WAIT);
        assertThat(eds.getTypeUrl()).isEqualTo(EDS);
        return eds;
    }

    private static List<ClusterLoadAssignment> assignments(DiscoveryResponse r) {
        return AdsClient.unpack(r, ClusterLoadAssignment.class);
    }

    @Test
    void aClientSendingItsNodeOnlyInTheFirstRequestStaysInItsNodeGroup() throws Exception {
        Path objects = objects("n", backends("a", "b") + ingress("a"));
        try (IsolineProcess isoline = serve(objects);
                AdsClient grpc = AdsClient.nodeOnFirstRequestOnly(isoline.port, "core-like", "gRPC C-core test")) {
            DiscoveryResponse first = grpc.subscribe(LDS, List.of(), WAIT);
            assertThat(listeners(first)).contains("a.example.com"); // an API listener: the gRPC group
            grpc.ack(first, List.of()); // no node in this request
            assertThat(grpc.next(QUIET)).as("nothing re-sent: the ACK counts for the same group").isNull();
            writeAtomically(objects, backends("a", "b") + ingress("a", "b"));
            assertThat(listeners(grpc.next(WAIT))).contains("a.example.com", "b.example.com");
        }
    }

    private static List<String> listeners(DiscoveryResponse r) {
        return AdsClient.unpack(r, Listener.class).stream().map(Listener::getName).toList();
    }

    @Test
    void deltaSubscribeAckChangeAndRemoval() throws Exception {
        Path objects = objects("d", backends("a", "b") + ingress("a"));
        try (IsolineProcess isoline = serve(objects)) {
            try (DeltaAdsClient delta = new DeltaAdsClient("127.0.0.1", isoline.port, "delta-envoy")) {
                delta.subscribe(CDS, List.of()); // wildcard
                DeltaDiscoveryResponse first = delta.next(WAIT);
                assertThat(first.getResourcesList()).extracting(r -> r.getName()).containsExactly("default/a/80/da39a3ee5e");
                delta.ack(first);

                // A new cluster: only it is sent, not the whole world.
                writeAtomically(objects, backends("a", "b") + ingress("a", "b"));
                DeltaDiscoveryResponse added = delta.next(WAIT);
                assertThat(added.getResourcesList()).extracting(r -> r.getName()).containsExactly("default/b/80/da39a3ee5e");
                assertThat(added.getRemovedResourcesList()).isEmpty();
                delta.ack(added);

                // A removed cluster is named in removed_resources.
                writeAtomically(objects, backends("a", "b") + ingress("b"));
                DeltaDiscoveryResponse removed = delta.next(WAIT);
                assertThat(removed.getRemovedResourcesList()).containsExactly("default/a/80/da39a3ee5e");
                assertThat(removed.getResourcesList()).isEmpty();
                delta.nack(removed, "delta rejected on purpose");
                await().atMost(WAIT).until(() -> isoline.log().contains("delta rejected on purpose"));
                assertThat(metric(isoline.managementPort, "isoline_xds_nacks_total{type=\"cds\"}")).isEqualTo(1);
            }
        }
    }
}
