package io.isoline.cli;

import static io.isoline.testing.AdsClient.CDS;
import static io.isoline.testing.AdsClient.EDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State-of-the-world EDS sends only what a stream lacks, so the client's picture is assembled from
 * many partial responses. Whatever happens in between (endpoints moving, clusters appearing,
 * disappearing or changing options), that picture must equal what a client connecting afresh gets.
 * A seeded random walk of changes, a client following the protocol as Envoy does, and a fresh
 * client as the reference after every step.
 */
class EdsConsistencyIT {

    private static final Duration WAIT = Duration.ofSeconds(30); // an expected event, on a loaded 2-core machine
    private static final Duration QUIET = Duration.ofMillis(1200);
    private static final int SERVICES = 6;
    private static final int STEPS = 12;

    @TempDir
    Path dir;

    /** An Envoy-like client: CDS by wildcard, EDS for every cluster, each response ACKed. */
    private static final class Follower {
        final AdsClient client;
        final Map<String, ClusterLoadAssignment> view = new TreeMap<>();
        List<String> names = List.of();
        DiscoveryResponse lastEds;
        int partial;

        Follower(int port) throws InterruptedException {
            client = new AdsClient("127.0.0.1", port, "follower");
            client.request(CDS, List.of());
            pump(client.next(WAIT));
        }

        /** Handles {@code first} and then every response until none comes for a while. */
        void pump(DiscoveryResponse first) throws InterruptedException {
            for (DiscoveryResponse r = first; r != null; r = client.next(QUIET)) {
                if (r.getTypeUrl().equals(CDS)) {
                    client.ack(r, List.of());
                    List<String> now = assignmentNames(r);
                    if (!now.equals(names)) {
                        names = now;
                        view.keySet().retainAll(names); // Envoy forgets the endpoints of removed clusters
                        if (lastEds == null) {
                            client.request(EDS, names);
                        } else {
                            client.ack(lastEds, names);
                        }
                    }
                } else {
                    AdsClient.unpack(r, ClusterLoadAssignment.class).forEach(cla -> view.put(cla.getClusterName(), cla));
                    partial += r.getResourcesCount() < names.size() ? 1 : 0;
                    lastEds = r;
                    client.ack(r, names);
                }
            }
        }
    }

    private static long publishes(IsolineProcess isoline) throws java.io.IOException {
        return isoline.log().lines().filter(l -> l.contains("published version")).count();
    }

    private static List<String> assignmentNames(DiscoveryResponse cds) {
        return AdsClient.unpack(cds, Cluster.class).stream().map(c -> c.getEdsClusterConfig().getServiceName())
                .distinct().sorted().toList();
    }

    private static String objects(String[] ips, boolean[] routed, boolean[] limited) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < SERVICES; i++) {
            String service = Manifests.backend("default", "s" + i, ips[i].split(","));
            if (limited[i]) {
                service = service.replace("metadata: {name: s" + i + ", namespace: default}", "metadata: {name: s" + i
                        + ", namespace: default, annotations: {contour.heptio.com/max-connections: \"5\"}}");
            }
            yaml.append(service);
            if (routed[i]) {
                yaml.append(Manifests.ingress("s" + i, "s" + i + ".example.com", "/", "Prefix", "s" + i));
            }
        }
        return yaml.toString();
    }

    @Test
    void assignmentsAssembledFromPartialResponsesMatchAFreshClientAfterEveryChange() throws Exception {
        Random random = new Random(20261127);
        String[] ips = new String[SERVICES];
        boolean[] routed = new boolean[SERVICES];
        boolean[] limited = new boolean[SERVICES];
        for (int i = 0; i < SERVICES; i++) {
            ips[i] = "10.0." + i + ".1";
            routed[i] = i < 4;
        }
        Path file = Files.createDirectories(dir.resolve("m")).resolve("objects.yaml");
        Files.writeString(file, objects(ips, routed, limited));
        List<String> steps = new ArrayList<>();
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("log"),
                List.of("-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", file.getParent().toString()).awaitListening(60_000)) {
            Follower envoy = new Follower(isoline.port);
            for (int step = 0; step < STEPS; step++) {
                // Every step changes what is served (a change to an unrouted Service would not).
                int s = random.nextInt(SERVICES);
                int change = routed[s] ? random.nextInt(4) : 2;
                switch (change) {
                    case 0, 1 -> ips[s] = "10.1." + step + "." + (1 + random.nextInt(200))
                            + (random.nextBoolean() ? ",10.2." + step + ".9" : "");
                    case 2 -> routed[s] = !routed[s];
                    default -> limited[s] = !limited[s];
                }
                steps.add("s" + s + " ips=" + ips[s] + " routed=" + routed[s] + " limited=" + limited[s]);
                long published = publishes(isoline);
                Files.writeString(file, objects(ips, routed, limited));
                await().atMost(WAIT).until(() -> publishes(isoline) > published);
                envoy.pump(envoy.client.next(QUIET));

                try (AdsClient fresh = new AdsClient("127.0.0.1", isoline.port, "reference")) {
                    DiscoveryResponse cds = fresh.subscribe(CDS, List.of(), WAIT);
                    List<String> names = assignmentNames(cds);
                    Map<String, ClusterLoadAssignment> reference = new TreeMap<>();
                    if (!names.isEmpty()) {
                        AdsClient.unpack(fresh.subscribe(EDS, names, WAIT), ClusterLoadAssignment.class)
                                .forEach(cla -> reference.put(cla.getClusterName(), cla));
                    }
                    assertThat(envoy.names).as("clusters after %s", steps).isEqualTo(names);
                    assertThat(envoy.view).as("assignments after %s", steps).isEqualTo(reference);
                }
            }
            assertThat(envoy.partial).as("partial EDS responses seen").isPositive();
            envoy.client.close();
        }
    }
}
