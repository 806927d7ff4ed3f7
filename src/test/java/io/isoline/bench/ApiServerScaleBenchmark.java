package io.isoline.bench;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes mode at scale against a real API server ({@code .ci/install-kube}): ROOTS root
 * IngressRoutes, each delegating CHILDREN prefixes to children in its namespace (10 namespaces),
 * one Service and one EndpointSlice per IngressRoute, all created through the API server with
 * {@code kubectl apply --server-side} while the controller (the packaged jar, as the install's
 * ServiceAccount) runs. Reports: creation time, when the last route reached an ADS client, when
 * every status was written, the controller's RSS, and API requests per second while converging.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.ApiServerScaleBenchmark -Dexec.classpathScope=test -Dexec.args="ROOTS CHILDREN [JVM,OPTIONS]"}
 * (default 1000 9: 10,000 IngressRoutes, 10,000 Services, 10,000 EndpointSlices; JVM options for
 * the controller, comma-separated, e.g. {@code -Xmx768m}).
 */
public final class ApiServerScaleBenchmark {

    private static final int NAMESPACES = 10;

    private ApiServerScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int roots = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int children = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        List<String> jvm = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        Path dir = Files.createTempDirectory("isoline-scale");
        try {
            run(dir, roots, children, jvm);
        } finally {
            try (var files = Files.walk(dir)) { // etcd's data: hundreds of MiB
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int roots, int children, List<String> jvm) throws Exception {
        try (KubeApiServer api = KubeApiServer.start(dir.resolve("api"))) {
            api.installDeploy();
            for (int n = 0; n < NAMESPACES; n++) {
                api.kubectl("create", "namespace", "scale-" + n);
            }
            Path kubeconfig = api.kubeconfig("isoline", api.token("isoline-system", "isoline"));
            try (IsolineProcess controller = IsolineProcess.start(dir.resolve("controller.log"),
                    KubeApiServer.controllerEnv(kubeconfig, "bench"), jvm, "serve").awaitListening(60_000);
                    AdsClient envoy = new AdsClient("127.0.0.1", controller.port, "bench-envoy")) {
                envoy.request(AdsClient.RDS, List.of("ingress_http"));
                String lastHost = "r" + (roots - 1) + ".scale.example.com";
                String lastPrefix = "/c" + (children - 1);
                AtomicLong routeSeen = new AtomicLong();
                Thread watcher = new Thread(() -> watch(envoy, lastHost, lastPrefix, routeSeen), "ads-watcher");
                watcher.setDaemon(true);
                watcher.start();
                double requestsBefore = requests(api);

                long t0 = System.nanoTime();
                for (int n = 0; n < NAMESPACES; n++) {
                    StringBuilder yaml = new StringBuilder();
                    for (int r = n; r < roots; r += NAMESPACES) {
                        yaml.append(objects("scale-" + n, r, children));
                    }
                    KubeApiServer.Result created = api.kubectlResultWithInput(yaml.toString(), "apply", "--server-side", "-f", "-");
                    if (created.exit() != 0) {
                        throw new AssertionError(created.out());
                    }
                }
                long t1 = System.nanoTime();
                double requestsCreated = requests(api);
                int total = roots * (1 + children);
                long peakRss = 0;
                while (valid(api) < total) {
                    peakRss = Math.max(peakRss, rssKib(controller.pid()));
                    Thread.sleep(1000);
                }
                long t2 = System.nanoTime();
                double requestsDone = requests(api);
                while (routeSeen.get() == 0) {
                    Thread.sleep(100);
                }
                System.gc();
                System.out.printf("| %s | %,d IngressRoutes (%,d roots x %d children) + %,d Services + %,d EndpointSlices | created in %.1f s "
                        + "| last route at the ADS client %.1f s after the first create (%.1f s after the last) | all statuses %.1f s after "
                        + "the last create | controller RSS peak %d MiB, now %d MiB | API requests/s while creating %.0f, while converging %.0f |%n",
                        jvm.isEmpty() ? "JVM defaults" : String.join(" ", jvm), total, roots, children, total, total, (t1 - t0) / 1e9, (routeSeen.get() - t0) / 1e9, (routeSeen.get() - t1) / 1e9,
                        (t2 - t1) / 1e9, peakRss / 1024, rssKib(controller.pid()) / 1024,
                        (requestsCreated - requestsBefore) / ((t1 - t0) / 1e9), (requestsDone - requestsCreated) / ((t2 - t1) / 1e9));
            }
        }
    }

    /** Root {@code r} in {@code ns}, its children, and a Service and EndpointSlice for each. */
    static String objects(String ns, int r, int children) {
        StringBuilder y = new StringBuilder(service(ns, "s" + r)).append("""
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r%1$d, namespace: %2$s}
                spec:
                  virtualhost: {fqdn: r%1$d.scale.example.com}
                  routes:
                  - {match: /, services: [{name: s%1$d, port: 80}]}
                """.formatted(r, ns));
        for (int c = 0; c < children; c++) {
            y.append("  - {match: /c").append(c).append(", delegate: {name: r").append(r).append("-c").append(c).append("}}\n");
        }
        y.append("---\n");
        for (int c = 0; c < children; c++) {
            String name = "r" + r + "-c" + c;
            y.append(service(ns, name)).append("""
                    apiVersion: contour.heptio.com/v1beta1
                    kind: IngressRoute
                    metadata: {name: %1$s, namespace: %2$s}
                    spec: {routes: [{match: /c%3$d, services: [{name: %1$s, port: 80}]}]}
                    ---
                    """.formatted(name, ns, c));
        }
        return y.toString();
    }

    static String service(String ns, String name) {
        int h = Math.abs(name.hashCode());
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: %2$s}
                spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %1$s-1, namespace: %2$s, labels: {kubernetes.io/service-name: %1$s}}
                addressType: IPv4
                ports: [{name: http, port: 8080}]
                endpoints: [{addresses: ["10.%3$d.%4$d.%5$d"]}]
                ---
                """.formatted(name, ns, h % 200 + 1, h / 200 % 250, h / 50000 % 250 + 1);
    }

    /** Reads the ADS stream (ACKing like Envoy) and records when {@code host} first has {@code prefix}. */
    private static void watch(AdsClient envoy, String host, String prefix, AtomicLong seen) {
        try {
            if (envoy.awaitAcking(List.of("ingress_http"), r -> AdsClient.unpack(r, RouteConfiguration.class).stream()
                    .flatMap(rc -> rc.getVirtualHostsList().stream()).filter(v -> v.getDomainsList().contains(host))
                    .flatMap(v -> v.getRoutesList().stream()).anyMatch(rt -> rt.getMatch().getPrefix().equals(prefix)),
                    Duration.ofHours(1))) {
                seen.set(System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** IngressRoutes whose status is valid, all namespaces. */
    static long valid(KubeApiServer api) throws Exception {
        return api.kubectl("get", "ingressroute", "-A", "-o", "jsonpath={range .items[*]}{.status.currentStatus}{\"\\n\"}{end}")
                .lines().filter("valid"::equals).count();
    }

    /** The API server's request count so far (apiserver_request_total, every client). */
    private static double requests(KubeApiServer api) throws Exception {
        return api.kubectl("get", "--raw", "/metrics").lines().filter(l -> l.startsWith("apiserver_request_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static long rssKib(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }
}
