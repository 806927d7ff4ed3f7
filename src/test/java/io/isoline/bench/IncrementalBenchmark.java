package io.isoline.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One change, then the whole pipeline again ({@code ClusterState -> Dag -> Envoy resources}, the
 * guard included): a full translation against the serving path's incremental one
 * ({@link ConfigTranslator#incremental()}), which reuses what the previous build made for
 * everything the change cannot affect. Changes alternate between an EndpointSlice (a pod moved)
 * and an IngressRoute's or HTTPProxy's weight (a route change); each is a new object instance in an otherwise
 * unchanged state, as informers deliver them. Every incremental result is checked equal to the
 * full one. Prints a Markdown table for docs/benchmarks.md.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.mainClass=io.isoline.bench.IncrementalBenchmark
 * -Dexec.classpathScope=test -Dexec.args="1000 10000 50000"} (N routing objects, each with its own
 * Service and EndpointSlice). {@code -Dbench.runs=N} changes the number of timed changes (21).
 */
public final class IncrementalBenchmark {

    private static final int WARMUP = 5;
    private static final int RUNS = Integer.getInteger("bench.runs", 21);
    /** {@code -Dbench.check=false}: incremental builds only (no full one to compare), for a profiler. */
    private static final boolean CHECK = Boolean.parseBoolean(System.getProperty("bench.check", "true"));
    /** {@code -Dbench.pause=500}: milliseconds of quiet before each change, as a lone edit finds the controller. */
    private static final long PAUSE = Long.getLong("bench.pause", 0);

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("JVM %s, %d cores, max heap %d MiB%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| shape | routing objects | all objects | full: median (ms) | incremental: median (ms) | p90 | min | max"
                + " | full / incremental | steps reused / computed |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            row("roots (own host each)", n, IncrementalBenchmark::roots, "r");
            row("IngressRoute trees (10 per root)", n, TranslationBenchmark::generateIngressRoutes, "r");
            row("HTTPProxy trees (10 per root)", n, TranslationBenchmark::generateProxies, "p");
        }
    }

    private static void row(String shape, int n, IntFunction<ClusterState> generator, String prefix) {
        if (!shape.startsWith(System.getProperty("bench.shape", ""))) {
            return; // -Dbench.shape=roots (or IngressRoute, HTTPProxy): one shape only, for a profiler
        }
        ClusterState state = generator.apply(n);
        ConfigTranslator translator = ConfigTranslator.incremental();
        translator.next(state, TranslateOptions.DEFAULT);
        long[] full = new long[RUNS];
        long[] incremental = new long[RUNS];
        long reused = 0;
        long computed = 0;
        for (int i = -WARMUP; i < RUNS; i++) {
            state = change(state, i + WARMUP, prefix, n);
            pause();
            long t0 = System.nanoTime();
            TranslationResult inc = translator.next(state, TranslateOptions.DEFAULT);
            long t1 = System.nanoTime();
            if (!CHECK) {
                if (i >= 0) {
                    incremental[i] = t1 - t0;
                }
                continue;
            }
            TranslationResult all = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
            long t2 = System.nanoTime();
            if (!inc.equals(all)) {
                throw new AssertionError("the incremental translation differs from the full one at change " + i);
            }
            if (i >= 0) {
                incremental[i] = t1 - t0;
                full[i] = t2 - t1;
                reused += translator.dagCache().reused();
                computed += translator.dagCache().computed();
            }
        }
        Arrays.sort(full);
        Arrays.sort(incremental);
        System.out.printf("| %s | %,d | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1fx | %,d / %,d |%n", shape, n, state.size(),
                ms(full[RUNS / 2]), ms(incremental[RUNS / 2]), ms(incremental[RUNS * 9 / 10]), ms(incremental[0]),
                ms(incremental[RUNS - 1]), (double) full[RUNS / 2] / incremental[RUNS / 2], reused / RUNS, computed / RUNS);
    }

    private static void pause() {
        if (PAUSE > 0) {
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** N roots, each with its own host, Service and EndpointSlice (ChangeLatencyBenchmark's extra roots). */
    static ClusterState roots(int n) {
        ClusterState.Builder b = ClusterState.builder();
        ClusterState services = TranslationBenchmark.generateIngressRoutes(n);
        services.services().values().forEach(b::add);
        services.endpointSlices().values().forEach(b::add);
        for (int i = 0; i < n; i++) {
            IngressRoute ir = new IngressRoute();
            ir.setMetadata(new ObjectMetaBuilder().withNamespace("team-" + i).withName("r" + i).build());
            ir.setSpec(new IngressRouteSpec());
            ir.getSpec().virtualhost = new IngressRouteSpec.VirtualHost();
            ir.getSpec().virtualhost.fqdn = "host-" + i + ".example.com";
            ir.getSpec().routes = List.of(route("/", 1));
            b.add(ir);
        }
        return b.build();
    }

    private static IngressRouteSpec.Route route(String match, long weight) {
        IngressRouteSpec.Route route = new IngressRouteSpec.Route();
        route.match = match;
        IngressRouteSpec.Service svc = new IngressRouteSpec.Service();
        svc.name = "app";
        svc.port = 80L;
        svc.weight = weight;
        route.services = List.of(svc);
        return route;
    }

    /** Change {@code i}: even ones move a pod of one Service, odd ones change the weight of one IngressRoute's route. */
    private static ClusterState change(ClusterState state, int i, String prefix, int n) {
        int target = (i * 7919) % n;
        String ns = "team-" + target;
        ClusterState.Builder b = state.toBuilder();
        if (i % 2 == 0) {
            EndpointSlice slice = state.endpointSlices().get(new ObjectKey(ns, "app-x"));
            b.add(new EndpointSliceBuilder(slice).editFirstEndpoint().withAddresses("10.200." + (i & 255) + ".1").endEndpoint().build());
        } else if (prefix.equals("p")) {
            io.isoline.k8s.HTTPProxy old = state.httpProxies().get(new ObjectKey(ns, prefix + target));
            io.isoline.k8s.HTTPProxy p = new io.isoline.k8s.HTTPProxy();
            p.setMetadata(old.getMetadata());
            p.setSpec(new io.isoline.k8s.HTTPProxySpec());
            p.getSpec().virtualhost = old.getSpec().virtualhost;
            p.getSpec().includes = old.getSpec().includes;
            io.isoline.k8s.HTTPProxySpec.Route route = new io.isoline.k8s.HTTPProxySpec.Route();
            io.isoline.k8s.HTTPProxySpec.Service svc = new io.isoline.k8s.HTTPProxySpec.Service();
            svc.name = "app";
            svc.port = 80L;
            svc.weight = 2L + i;
            route.services = List.of(svc);
            p.getSpec().routes = List.of(route);
            b.add(p);
        } else {
            IngressRoute old = state.ingressRoutes().get(new ObjectKey(ns, prefix + target));
            IngressRoute ir = new IngressRoute();
            ir.setMetadata(old.getMetadata());
            ir.setSpec(new IngressRouteSpec());
            ir.getSpec().virtualhost = old.getSpec().virtualhost;
            List<IngressRouteSpec.Route> routes = new ArrayList<>(old.getSpec().routes);
            routes.set(0, route(routes.get(0).match, 2 + i));
            ir.getSpec().routes = routes;
            b.add(ir);
        }
        return b.build();
    }
}
