package io.isoline.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.isoline.cli.TranslationJson;
import io.isoline.state.ClusterState;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times a full translation ({@code ClusterState -> Dag -> Envoy resources}, what every publish does)
 * for N Ingresses, each with its own Service (3 ready endpoints) and two paths, so N Ingresses make
 * 2N Ingress paths and 3N Envoy routes. Prints a Markdown table for docs/benchmarks.md.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=io.isoline.bench.TranslationBenchmark
 * -Dexec.classpathScope=test -Dexec.args="1000 10000"}
 */
public final class TranslationBenchmark {

    private static final int WARMUP = 3;
    private static final int RUNS = 7;

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("JVM %s, %d cores, max heap %d MiB%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| Ingresses | Envoy routes | clusters | translate median (ms) | min (ms) | JSON render (ms) | state heap (MiB) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            long before = usedHeap();
            ClusterState state = generate(n);
            long stateHeap = usedHeap() - before;
            TranslationResult result = null;
            for (int i = 0; i < WARMUP; i++) {
                result = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
            }
            long[] times = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                result = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
                times[i] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            long t0 = System.nanoTime();
            int jsonLength = TranslationJson.render(result).length();
            long json = System.nanoTime() - t0;
            int routes = result.resources().routes().stream()
                    .mapToInt(rc -> rc.getVirtualHostsList().stream().mapToInt(v -> v.getRoutesCount()).sum()).sum();
            System.out.printf("| %,d | %,d | %,d | %.1f | %.1f | %.0f (%,d bytes) | %.1f |%n", n, routes,
                    result.resources().clusters().size(), times[RUNS / 2] / 1e6, times[0] / 1e6, json / 1e6,
                    jsonLength, stateHeap / 1048576.0);
        }
    }

    /** N namespaces' worth of objects: Service + EndpointSlice + Ingress (host, "/" and "/api"). */
    static ClusterState generate(int n) {
        ClusterState.Builder b = ClusterState.builder();
        for (int i = 0; i < n; i++) {
            String ns = "team-" + (i % 100);
            String name = "app-" + i;
            b.add(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                    .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                    .endSpec().build());
            List<String> ips = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                ips.add("10." + (i >> 8 & 255) + "." + (i & 255) + "." + (e + 1));
            }
            var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name + "-x")
                    .addToLabels("kubernetes.io/service-name", name).endMetadata()
                    .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort();
            ips.forEach(ip -> slice.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions().endEndpoint());
            b.add(slice.build());
            b.add(new IngressBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                    .withNewSpec().addNewRule().withHost(name + ".example.com").withNewHttp()
                    .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName(name)
                    .withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                    .addNewPath().withPath("/api").withPathType("Prefix").withNewBackend().withNewService().withName(name)
                    .withNewPort().withName("http").endPort().endService().endBackend().endPath()
                    .endHttp().endRule().endSpec().build());
        }
        return b.build();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
