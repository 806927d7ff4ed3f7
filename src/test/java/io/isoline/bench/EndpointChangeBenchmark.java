package io.isoline.bench;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one endpoint change costs on the wire: starts the packaged jar over C Services (one Ingress
 * each), opens N ADS streams that subscribe to CDS and to every cluster's EDS as Envoy does, then
 * moves one Service to another pod and measures, per stream, how many assignments and bytes the EDS
 * response carries (against the complete set each stream first received), and when the last stream
 * has it.
 *
 * <p>Run (after {@code ./mvnw package -DskipTests}): {@code ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.EndpointChangeBenchmark -Dexec.classpathScope=test
 * -Dexec.args="200 1000"} (streams, Services)
 */
public final class EndpointChangeBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("isoline-eds");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        StringBuilder all = new StringBuilder();
        for (int i = 1; i < services; i++) {
            all.append(Manifests.backend("default", "s" + i, "10.0." + (i / 250) + "." + (i % 250 + 1)))
                    .append(Manifests.ingress("s" + i, "s" + i + ".example.com", "/", "Prefix", "s" + i));
        }
        Files.writeString(manifests.resolve("others.yaml"), all.toString());
        Path moving = manifests.resolve("s0.yaml");
        Files.writeString(moving, Manifests.backend("default", "s0", "10.1.0.1")
                + Manifests.ingress("s0", "s0.example.com", "/", "Prefix", "s0"));
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Xmx1g", "-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", manifests.toString()).awaitListening(60_000)) {
            List<AdsClient> clients = new ArrayList<>();
            List<String> names = null;
            long fullBytes = 0;
            int fullCount = 0;
            for (int i = 0; i < n; i++) {
                AdsClient c = new AdsClient("127.0.0.1", isoline.port, "envoy-" + i);
                DiscoveryResponse cds = c.subscribe(AdsClient.CDS, List.of(), Duration.ofSeconds(60));
                c.ack(cds, List.of());
                names = AdsClient.unpack(cds, Cluster.class).stream().map(cl -> cl.getEdsClusterConfig().getServiceName()).toList();
                DiscoveryResponse eds = c.subscribe(AdsClient.EDS, names, Duration.ofSeconds(60));
                c.ack(eds, names);
                fullBytes = eds.getSerializedSize();
                fullCount = eds.getResourcesCount();
                clients.add(c);
            }
            long change = System.nanoTime();
            Files.writeString(moving, Manifests.backend("default", "s0", "10.1.0.2")
                    + Manifests.ingress("s0", "s0.example.com", "/", "Prefix", "s0"));
            List<CompletableFuture<DiscoveryResponse>> arrivals = new ArrayList<>();
            long[] at = new long[n];
            for (int i = 0; i < n; i++) {
                AdsClient c = clients.get(i);
                int k = i;
                arrivals.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        DiscoveryResponse r = c.next(Duration.ofSeconds(60));
                        at[k] = System.nanoTime();
                        return r;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            List<DiscoveryResponse> got = arrivals.stream().map(CompletableFuture::join).toList();
            long missing = got.stream().filter(r -> r == null).count();
            double meanCount = got.stream().filter(r -> r != null).mapToInt(DiscoveryResponse::getResourcesCount).average().orElse(0);
            double meanBytes = got.stream().filter(r -> r != null).mapToInt(DiscoveryResponse::getSerializedSize).average().orElse(0);
            long last = Arrays.stream(at).max().orElse(change);
            System.out.printf("JVM %s, %d cores; server -Xmx1g%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.println("| streams | clusters | first EDS response (assignments / bytes) | after one endpoint change (assignments / bytes, mean per stream) | change -> last stream (ms) | missing |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            System.out.printf("| %,d | %,d | %,d / %,d | %.1f / %,.0f | %.0f | %d |%n", n, names.size(), fullCount, fullBytes,
                    meanCount, meanBytes, (last - change) / 1e6, missing);
            for (AdsClient c : clients) {
                c.close();
            }
        }
    }
}
