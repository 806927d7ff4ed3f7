package io.isoline.bench;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.testing.AdsClient;
import io.isoline.testing.DeltaAdsClient;
import io.isoline.testing.IngressRoutes;
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
 * Many Envoys on one Isoline: starts the packaged jar ({@code serve --manifests}), opens N ADS
 * streams (one connection each, as N Envoys would) subscribed to the HTTP route table, changes one
 * route, and measures when every stream has received the new version. Also reports the server's
 * heap per stream: its live heap after a full GC (jcmd's class histogram) with the streams open,
 * minus before they connected, over N (what the first response makes once is in it too).
 *
 * <p>Run (after {@code ./mvnw package -DskipTests}): {@code ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.StreamsBenchmark -Dexec.classpathScope=test -Dexec.args="1000"}, or
 * {@code -Dexec.args="1000 delta"} for incremental (delta) ADS streams; a third argument adds that many
 * more roots, each with its own host, Service and EndpointSlice ({@code -Dexec.args="200 sotw 3000"})
 */
public final class StreamsBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean delta = args.length > 1 && args[1].equals("delta");
        int extra = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path dir = Files.createTempDirectory("isoline-streams");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("backend.yaml"), Manifests.backend("default", "web", "10.0.0.1"));
        StringBuilder more = new StringBuilder(); // EXTRA roots: a route table as large as a shared cluster's
        for (int r = 0; r < extra; r++) {
            more.append(ApiServerScaleBenchmark.objects("scale-" + r % 10, r, 0));
        }
        Files.writeString(manifests.resolve("extra.yaml"), more);
        Path route = manifests.resolve("route.yaml");
        Files.writeString(route, IngressRoutes.root("default", "www", "www.example.com", IngressRoutes.toService("/", "web")));
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Xmx1g", "-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", manifests.toString()).awaitListening(60_000)) {
            long heapBefore = heapAfterGc(isoline);
            List<Stream> clients = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                clients.add(delta ? new DeltaStream(isoline.port, "envoy-" + i) : new SotwStream(isoline.port, "envoy-" + i));
            }
            for (Stream c : clients) {
                if (!c.receiveAndAck()) {
                    throw new AssertionError("a stream got no configuration");
                }
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            long heapWith = heapAfterGc(isoline);

            // One route change; every stream must get the new version.
            long change = System.nanoTime();
            Files.writeString(route, IngressRoutes.root("default", "www", "www.example.com",
                    IngressRoutes.toService("/", "web") + IngressRoutes.toService("/new", "web")));
            List<CompletableFuture<Long>> arrivals = new ArrayList<>();
            for (Stream c : clients) {
                arrivals.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.receiveAndAck() ? System.nanoTime() : -1L;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long[] at = arrivals.stream().mapToLong(CompletableFuture::join).sorted().toArray();
            long missing = Arrays.stream(at).filter(t -> t < 0).count();
            long[] ok = Arrays.stream(at).filter(t -> t >= 0).toArray();
            System.out.printf("JVM %s, %d cores; server -Xmx1g%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.println("| streams | extra roots | protocol | connect + first config (s) | change -> first stream (ms) | -> median (ms) | -> last stream (ms) | missing | heap per stream (KiB) |");
            System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
            System.out.printf("| %,d | %,d | %s | %.1f | %.0f | %.0f | %.0f | %d | %.1f |%n", n, extra, delta ? "delta" : "state of the world", connectSeconds,
                    (ok[0] - change) / 1e6, (ok[ok.length / 2] - change) / 1e6, (ok[ok.length - 1] - change) / 1e6, missing,
                    (heapWith - heapBefore) / 1024.0 / n);
            for (Stream c : clients) {
                c.close();
            }
            if (System.getenv("BENCH_LOG") != null) { // the server's "published ... (built in, set in)" lines
                Files.copy(dir.resolve("isoline.log"), Path.of(System.getenv("BENCH_LOG")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** One xDS stream subscribed to the HTTP route table. */
    private interface Stream extends AutoCloseable {
        /** Waits for the next response and ACKs it; false if none came within a minute. */
        boolean receiveAndAck() throws InterruptedException;

        @Override
        void close() throws InterruptedException;
    }

    private static final class SotwStream implements Stream {
        private final AdsClient client;

        SotwStream(int port, String node) {
            client = new AdsClient("127.0.0.1", port, node);
            client.request(AdsClient.RDS, List.of("ingress_http"));
        }

        @Override
        public boolean receiveAndAck() throws InterruptedException {
            DiscoveryResponse r = client.next(Duration.ofSeconds(60));
            if (r != null) {
                client.ack(r, List.of("ingress_http"));
            }
            return r != null;
        }

        @Override
        public void close() throws InterruptedException {
            client.close();
        }
    }

    private static final class DeltaStream implements Stream {
        private final DeltaAdsClient client;

        DeltaStream(int port, String node) {
            client = new DeltaAdsClient("127.0.0.1", port, node);
            client.subscribe(AdsClient.RDS, List.of("ingress_http"));
        }

        @Override
        public boolean receiveAndAck() throws InterruptedException {
            DeltaDiscoveryResponse r = client.next(Duration.ofSeconds(60));
            if (r != null) {
                client.ack(r);
            }
            return r != null;
        }

        @Override
        public void close() throws InterruptedException {
            client.close();
        }
    }

    /**
     * The server's live heap: the class histogram's total, counted right after the full GC it runs
     * (nothing allocates in between, as it can before a metrics scrape answers).
     */
    private static long heapAfterGc(IsolineProcess isoline) throws Exception {
        String histogram = ChangeLatencyBenchmark.jcmd(isoline.pid(), "GC.class_histogram");
        if (System.getenv("BENCH_HISTO") != null) { // the last one is taken with the streams open
            Files.writeString(Path.of(System.getenv("BENCH_HISTO")), histogram);
        }
        String total = histogram.lines().filter(l -> l.startsWith("Total")).findFirst().orElseThrow();
        return (long) (ChangeLatencyBenchmark.liveMib(total) * 1048576);
    }
}
