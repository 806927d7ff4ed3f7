package io.isoline.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.isoline.cli.TranslationJson;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
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
 * 2N Ingress paths and 3N Envoy routes; for N IngressRoutes in delegation trees (one root per ten
 * objects); and for N HTTPProxies in include trees of the same shape. Prints Markdown tables for
 * docs/benchmarks.md.
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
        table("Ingresses", sizes, TranslationBenchmark::generate);
        System.out.println();
        table("IngressRoutes", sizes, TranslationBenchmark::generateIngressRoutes);
        System.out.println();
        table("HTTPProxies", sizes, TranslationBenchmark::generateProxies);
    }

    private static void table(String what, int[] sizes, java.util.function.IntFunction<ClusterState> generator) {
        System.out.println("| " + what + " | Envoy routes | clusters | first translation (ms) | translate median (ms) | min (ms) | JSON render (ms) | state heap (MiB) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            ClusterState state = generator.apply(n);
            // The first translation of a state checks every resource against Envoy's rules; later ones
            // re-check only resources that changed (none, here), as a rebuild in serve does.
            long first = System.nanoTime();
            TranslationResult result = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
            first = System.nanoTime() - first;
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
            // What the state retains is what is freed when it is dropped (robust against garbage that
            // the host JVM, e.g. Maven's under exec:java, collects meanwhile).
            result = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
            int clusters = result.resources().clusters().size();
            int routes = countRoutes(result);
            result = null;
            long withState = usedHeap();
            state = null;
            long stateHeap = withState - usedHeap();
            System.out.printf("| %,d | %,d | %,d | %.1f | %.1f | %.1f | %.0f (%,d bytes) | %.1f |%n", n, routes,
                    clusters, first / 1e6, times[RUNS / 2] / 1e6, times[0] / 1e6, json / 1e6, jsonLength, stateHeap / 1048576.0);
        }
    }

    private static int countRoutes(TranslationResult result) {
        return result.resources().routes().stream()
                .mapToInt(rc -> rc.getVirtualHostsList().stream().mapToInt(v -> v.getRoutesCount()).sum()).sum();
    }

    /**
     * N IngressRoutes: every tenth is a root (its own host and a "/" route), delegating "/team-i" to
     * each of the next nine, which live in their own namespaces with their own Service.
     */
    static ClusterState generateIngressRoutes(int n) {
        ClusterState.Builder b = ClusterState.builder();
        IngressRoute root = null;
        for (int i = 0; i < n; i++) {
            String ns = "team-" + i;
            addService(b, ns, "app", i);
            IngressRoute ir = new IngressRoute();
            ir.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName("r" + i).build());
            ir.setSpec(new IngressRouteSpec());
            IngressRouteSpec.Route route = new IngressRouteSpec.Route();
            IngressRouteSpec.Service svc = new IngressRouteSpec.Service();
            svc.name = "app";
            svc.port = 80L;
            route.services = List.of(svc);
            if (i % 10 == 0) {
                root = ir;
                ir.getSpec().virtualhost = new IngressRouteSpec.VirtualHost();
                ir.getSpec().virtualhost.fqdn = "host-" + i + ".example.com";
                route.match = "/";
                ir.getSpec().routes = new ArrayList<>(List.of(route));
            } else {
                route.match = "/team-" + i;
                ir.getSpec().routes = List.of(route);
                IngressRouteSpec.Route delegation = new IngressRouteSpec.Route();
                delegation.match = "/team-" + i;
                delegation.delegate = new IngressRouteSpec.Delegate();
                delegation.delegate.name = "r" + i;
                delegation.delegate.namespace = ns;
                root.getSpec().routes.add(delegation);
            }
            b.add(ir);
        }
        return b.build();
    }

    /** N HTTPProxies: every tenth is a root ("/" to its Service), including each of the next nine under "/team-i". */
    static ClusterState generateProxies(int n) {
        ClusterState.Builder b = ClusterState.builder();
        io.isoline.k8s.HTTPProxy root = null;
        for (int i = 0; i < n; i++) {
            String ns = "team-" + i;
            addService(b, ns, "app", i);
            io.isoline.k8s.HTTPProxy p = new io.isoline.k8s.HTTPProxy();
            p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName("p" + i).build());
            p.setSpec(new io.isoline.k8s.HTTPProxySpec());
            io.isoline.k8s.HTTPProxySpec.Route route = new io.isoline.k8s.HTTPProxySpec.Route();
            io.isoline.k8s.HTTPProxySpec.Service svc = new io.isoline.k8s.HTTPProxySpec.Service();
            svc.name = "app";
            svc.port = 80L;
            route.services = List.of(svc);
            p.getSpec().routes = List.of(route);
            if (i % 10 == 0) {
                root = p;
                p.getSpec().virtualhost = new io.isoline.k8s.HTTPProxySpec.VirtualHost();
                p.getSpec().virtualhost.fqdn = "host-" + i + ".example.com";
                p.getSpec().includes = new ArrayList<>();
            } else {
                io.isoline.k8s.HTTPProxySpec.Include include = new io.isoline.k8s.HTTPProxySpec.Include();
                include.name = "p" + i;
                include.namespace = ns;
                io.isoline.k8s.HTTPProxySpec.MatchCondition prefix = new io.isoline.k8s.HTTPProxySpec.MatchCondition();
                prefix.prefix = "/team-" + i;
                include.conditions = List.of(prefix);
                root.getSpec().includes.add(include);
            }
            b.add(p);
        }
        return b.build();
    }

    private static void addService(ClusterState.Builder b, String ns, String name, int i) {
        b.add(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build());
        var slice = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name + "-x")
                .addToLabels("kubernetes.io/service-name", name).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort();
        for (int e = 0; e < 3; e++) {
            slice.addNewEndpoint().withAddresses("10." + (i >> 8 & 255) + "." + (i & 255) + "." + (e + 1))
                    .withNewConditions().withReady(true).endConditions().endEndpoint();
        }
        b.add(slice.build());
    }

    /** N namespaces' worth of objects: Service + EndpointSlice + Ingress (host, "/" and "/api"). */
    static ClusterState generate(int n) {
        ClusterState.Builder b = ClusterState.builder();
        for (int i = 0; i < n; i++) {
            String ns = "team-" + (i % 100);
            String name = "app-" + i;
            addService(b, ns, name, i);
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
