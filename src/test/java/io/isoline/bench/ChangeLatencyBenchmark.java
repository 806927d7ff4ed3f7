package io.isoline.bench;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One weight change, as a user makes it, until an ADS client has it: Kubernetes mode against a real
 * API server ({@code .ci/install-kube}), the packaged controller as the install's ServiceAccount, and
 * an ADS client subscribed to the {@code ingress_http} route table that ACKs like Envoy. The
 * measured IngressRoute {@code bench/app} splits "/" between two Services; each sample patches the
 * first one's weight (a JSON merge patch through the API server, as {@code kubectl patch} sends) and
 * times from just before the request until the client receives a route table with the new weight.
 * Samples are 500 ms apart (a quiet system, as a lone edit finds it).
 *
 * <p>EXTRA more roots (each with its own host, Service and EndpointSlice, created first with
 * {@code kubectl apply --server-side}) make the route table as large as a shared cluster's. Also
 * reported: when every status was written after the last create, the controller's RSS then and
 * after the samples and a full GC, and the live heap (class histogram total). {@code BENCH_TRACE=1}
 * prints each sample's times, {@code BENCH_LOG=file} keeps the controller's log.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.ChangeLatencyBenchmark -Dexec.classpathScope=test -Dexec.args="EXTRA [JVM,OPTIONS]"}
 */
public final class ChangeLatencyBenchmark {

    private static final int WARMUP = 5;
    private static final int SAMPLES = 40;
    private static final String HOST = "app.bench.example.com";

    private ChangeLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int extra = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        List<String> jvm = args.length > 1 ? List.of(args[1].split(",")) : List.of();
        Path dir = Files.createTempDirectory("isoline-latency");
        try (KubeApiServer api = KubeApiServer.start(dir.resolve("api"))) {
            api.installDeploy();
            api.kubectl("create", "namespace", "bench");
            api.kubectlResultWithInput(ApiServerScaleBenchmark.service("bench", "a") + ApiServerScaleBenchmark.service("bench", "b") + """
                    apiVersion: contour.heptio.com/v1beta1
                    kind: IngressRoute
                    metadata: {name: app, namespace: bench}
                    spec:
                      virtualhost: {fqdn: %s}
                      routes:
                      - {match: /, services: [{name: a, port: 80, weight: 1}, {name: b, port: 80, weight: 1}]}
                    """.formatted(HOST), "apply", "--server-side", "-f", "-");
            Path kubeconfig = api.kubeconfig("isoline", api.token("isoline-system", "isoline"));
            try (IsolineProcess controller = IsolineProcess.start(dir.resolve("controller.log"),
                    KubeApiServer.controllerEnv(kubeconfig, "bench"), jvm, "serve").awaitListening(120_000);
                    AdsClient envoy = new AdsClient("127.0.0.1", controller.port, "bench-envoy");
                    KubernetesClient client = api.adminClient()) {
                List<String> names = List.of("ingress_http");
                envoy.request(AdsClient.RDS, names);
                if (!envoy.awaitAcking(names, r -> weight(r) == 1, Duration.ofMinutes(2))) {
                    throw new AssertionError("bench/app never reached the ADS client");
                }
                String statuses = extra == 0 ? "-" : createExtra(api, envoy, names, extra);
                long rss = ApiServerScaleBenchmark.rssKib(controller.pid());
                long[] ms = new long[SAMPLES];
                long[] acked = new long[SAMPLES];
                boolean trace = System.getenv("BENCH_TRACE") != null;
                for (int i = 0; i < WARMUP + SAMPLES; i++) {
                    Thread.sleep(500);
                    int weight = 2 + i;
                    long wall = System.currentTimeMillis();
                    long t0 = System.nanoTime();
                    client.genericKubernetesResources("contour.heptio.com/v1beta1", "IngressRoute").inNamespace("bench").withName("app")
                            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"routes\":[{\"match\":\"/\",\"services\":"
                                    + "[{\"name\":\"a\",\"port\":80,\"weight\":" + weight + "},{\"name\":\"b\",\"port\":80,\"weight\":1}]}]}}");
                    long t1 = System.nanoTime();
                    long received = awaitWeight(envoy, names, weight);
                    if (trace) { // to line up with the controller log's "published" lines (BENCH_LOG)
                        System.out.printf("sample %d at %tT.%<tL: API server answered after %.1f ms, client had it after %.1f ms%n",
                                i, wall, (t1 - t0) / 1e6, (received - t0) / 1e6);
                    }
                    if (i >= WARMUP) {
                        ms[i - WARMUP] = received - t0;
                        acked[i - WARMUP] = t1 - t0;
                    }
                }
                Arrays.sort(ms);
                Arrays.sort(acked);
                String histogram = jcmd(controller.pid(), "GC.class_histogram");
                long rssAfterGc = ApiServerScaleBenchmark.rssKib(controller.pid());
                String live = histogram.lines().filter(l -> l.startsWith("Total")).findFirst().orElse("?");
                if (System.getenv("BENCH_NMT") != null) { // with -XX:NativeMemoryTracking=summary
                    Files.writeString(Path.of(System.getenv("BENCH_NMT")), jcmd(controller.pid(), "VM.native_memory"));
                }
                if (System.getenv("BENCH_HISTO") != null) {
                    Files.writeString(Path.of(System.getenv("BENCH_HISTO")), histogram);
                }
                System.out.printf("| %,d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %d | %d | %.0f |%n", extra,
                        jvm.isEmpty() ? "defaults" : String.join(" ", jvm),
                        acked[SAMPLES / 2] / 1e6, ms[0] / 1e6, ms[SAMPLES / 2] / 1e6, ms[SAMPLES * 99 / 100] / 1e6, ms[SAMPLES - 1] / 1e6,
                        statuses, rss / 1024, rssAfterGc / 1024, liveMib(live));
                if (System.getenv("BENCH_LOG") != null) {
                    Files.copy(dir.resolve("controller.log"), Path.of(System.getenv("BENCH_LOG")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.exit(0); // the ADS client's event loop is not a daemon thread, and exec:java waits for it
    }

    /** {@code jcmd PID COMMAND}'s output (the class histogram runs a full GC first). */
    static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** The live heap from a histogram's "Total instances bytes" line, in MiB. */
    static double liveMib(String total) {
        String[] f = total.trim().split("\\s+");
        return f.length == 3 ? Long.parseLong(f[2]) / 1048576.0 : -1;
    }

    /** Creates the extra roots; returns how long after the last create every status was valid. */
    private static String createExtra(KubeApiServer api, AdsClient envoy, List<String> names, int extra) throws Exception {
        int namespaces = 10;
        for (int n = 0; n < namespaces; n++) {
            api.kubectl("create", "namespace", "scale-" + n);
        }
        for (int n = 0; n < namespaces; n++) {
            StringBuilder yaml = new StringBuilder();
            for (int r = n; r < extra; r += namespaces) {
                yaml.append(ApiServerScaleBenchmark.objects("scale-" + n, r, 0));
            }
            KubeApiServer.Result created = api.kubectlResultWithInput(yaml.toString(), "apply", "--server-side", "-f", "-");
            if (created.exit() != 0) {
                throw new AssertionError(created.out());
            }
        }
        long t1 = System.nanoTime();
        while (ApiServerScaleBenchmark.valid(api) < extra + 1) {
            Thread.sleep(250);
        }
        double statuses = (System.nanoTime() - t1) / 1e9;
        String last = "r" + (extra - 1) + ".scale.example.com";
        if (!envoy.awaitAcking(names, r -> AdsClient.unpack(r, RouteConfiguration.class).stream()
                .flatMap(rc -> rc.getVirtualHostsList().stream()).anyMatch(v -> v.getDomainsList().contains(last)), Duration.ofMinutes(5))) {
            throw new AssertionError("the extra roots never reached the ADS client");
        }
        return "%.1f s".formatted(statuses);
    }

    /** Reads responses (ACKing each) until one carries {@code weight}; returns when that one arrived. */
    private static long awaitWeight(AdsClient envoy, List<String> names, int weight) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            DiscoveryResponse r = envoy.next(Duration.ofSeconds(5));
            long at = System.nanoTime();
            if (r != null) {
                envoy.ack(r, names);
                if (weight(r) == weight) {
                    return at;
                }
            }
        }
        throw new AssertionError("weight " + weight + " never reached the ADS client");
    }

    /** The weight of Service a on bench/app's "/" route in this response, or -1. */
    private static int weight(DiscoveryResponse r) {
        return AdsClient.unpack(r, RouteConfiguration.class).stream().flatMap(rc -> rc.getVirtualHostsList().stream())
                .filter(v -> v.getDomainsList().contains(HOST)).flatMap(v -> v.getRoutesList().stream())
                .filter(rt -> rt.getRoute().hasWeightedClusters())
                .flatMap(rt -> rt.getRoute().getWeightedClusters().getClustersList().stream())
                .filter(c -> c.getName().startsWith("bench/a/")).mapToInt(c -> c.getWeight().getValue()).findFirst().orElse(-1);
    }
}
