package io.isoline.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.k8s.IngressRoute;
import io.isoline.source.StateStore;
import io.isoline.state.ClusterState;
import io.isoline.xds.server.RebuildScheduler;
import io.isoline.xds.server.SnapshotPublisher;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.XdsResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;

/**
 * Kubernetes mode's path from an informer update to a published snapshot: the {@link StateStore}
 * (as the informers write it), the {@link RebuildScheduler} and the {@link SnapshotPublisher}, for N
 * IngressRoutes in delegation trees (see {@link TranslationBenchmark#generateIngressRoutes}). Each
 * sample changes one delegated child's route timeout and waits until the new snapshot is published.
 * Also reports the heap the store holds.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=io.isoline.bench.StorePublishBenchmark
 * -Dexec.classpathScope=test -Dexec.args="1000 10000"}
 */
public final class StorePublishBenchmark {

    private static final int SAMPLES = 15;

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.isoline").setLevel(Level.WARNING);
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("JVM %s, %d cores%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.println("| IngressRoutes | holdoff (ms) | update -> published median (ms) | p90 (ms) | max (ms) | store heap (MiB) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            for (Duration holdoff : List.of(Duration.ZERO, Duration.ofMillis(100))) {
                run(n, holdoff);
            }
        }
    }

    private static void run(int n, Duration holdoff) throws InterruptedException {
        StateStore store = new StateStore();
        ClusterState generated = TranslationBenchmark.generateIngressRoutes(n);
        List<HasMetadata> objects = new java.util.ArrayList<>();
        generated.services().values().forEach(objects::add);
        generated.endpointSlices().values().forEach(objects::add);
        generated.ingressRoutes().values().forEach(objects::add);
        objects.forEach(o -> put(store, o));
        SnapshotPublisher publisher = new SnapshotPublisher();
        RebuildScheduler scheduler = new RebuildScheduler(publisher, holdoff, Duration.ofSeconds(1), null);
        store.onChange(scheduler::markDirty);
        scheduler.start(store::snapshot, TranslateOptions.DEFAULT, r -> { });
        long[] samples = new long[SAMPLES];
        for (int i = 0; i < SAMPLES + 3; i++) {
            XdsResources before = publisher.current();
            IngressRoute child = store.itemStore(IngressRoute.class).get("team-" + (1 + 10 * (i % (n / 10))) + "/r" + (1 + 10 * (i % (n / 10))));
            var timeout = new io.isoline.k8s.IngressRouteSpec.TimeoutPolicy();
            timeout.request = (i + 1) + "s"; // a new value every sample, so every sample is a new configuration
            child.getSpec().routes.get(0).timeoutPolicy = timeout;
            long t0 = System.nanoTime();
            store.itemStore(IngressRoute.class).put(store.itemStore(IngressRoute.class).getKey(child), child);
            while (publisher.current() == before) {
                Thread.sleep(0, 200_000);
            }
            if (i >= 3) {
                samples[i - 3] = System.nanoTime() - t0;
            }
        }
        scheduler.stop();
        Arrays.sort(samples);
        double storeHeap = storeHeapMiB(n);
        System.out.printf("| %,d | %d | %.1f | %.1f | %.1f | %.1f |%n", n, holdoff.toMillis(), samples[SAMPLES / 2] / 1e6,
                samples[SAMPLES * 9 / 10] / 1e6, samples[SAMPLES - 1] / 1e6, storeHeap);
    }

    /**
     * What a store of N IngressRoutes and their Services and EndpointSlices retains, the objects
     * referenced by the store alone: freed when it is dropped (robust against other garbage).
     */
    private static double storeHeapMiB(int n) {
        StateStore[] holder = {new StateStore()};
        ClusterState generated = TranslationBenchmark.generateIngressRoutes(n);
        generated.services().values().forEach(o -> put(holder[0], o));
        generated.endpointSlices().values().forEach(o -> put(holder[0], o));
        generated.ingressRoutes().values().forEach(o -> put(holder[0], o));
        generated = null;
        long withStore = usedHeap();
        holder[0] = null;
        return (withStore - usedHeap()) / 1048576.0;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> void put(StateStore store, T o) {
        var items = store.itemStore((Class<T>) o.getClass());
        items.put(items.getKey(o), o);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
