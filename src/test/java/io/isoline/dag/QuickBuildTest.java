package io.isoline.dag;

import static io.isoline.testing.RandomCluster.ir;
import static io.isoline.testing.RandomCluster.parse;
import static io.isoline.testing.RandomCluster.slice;
import static io.isoline.testing.RandomCluster.state;
import static io.isoline.testing.RandomCluster.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.testing.Manifests;
import io.isoline.testing.Proxies;
import io.isoline.testing.RandomCluster;
import io.isoline.testing.RandomCluster.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A {@link QuickBuild} gives exactly what a full build gives: random changes over many tenants,
 * each with its own root IngressRoute, Service, EndpointSlice, certificate and delegate, and a few
 * objects that cut across them (an Ingress and an HTTPProxy on a tenant's Service, a delegation to
 * another tenant's child, a second root for a host, a wildcard HTTPProxy host, annotations that
 * warn), compared with a fresh full build after every change; both kinds of build must occur.
 */
class QuickBuildTest {

    private static final int TENANTS = 8;

    private static List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String ns = "t" + t;
            String host = "h" + t + ".example.com";
            String next = "t" + ((t + 1) % TENANTS);
            String service = "services: [{name: app, port: 80, weight: %d}]";
            slots.add(new Slot(ns + "/root", List.of("",
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, " + service.formatted(1) + "}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, " + service.formatted(2) + "}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, " + service.formatted(3) + "}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, " + service.formatted(4) + "},"
                            + " {match: /api, delegate: {name: child}}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + ", tls: {secretName: tls}}\nroutes: [{match: /, "
                            + service.formatted(1) + "}, {match: /api, delegate: {name: child}}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + ", tls: {secretName: tls}}\nroutes: [{match: /, "
                            + service.formatted(5) + "}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, " + service.formatted(1) + "},"
                            + " {match: /api, delegate: {name: child, namespace: " + next + "}}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, services: [{name: app, port: 9000}]}]"),
                    ir(ns, "root", "virtualhost: {fqdn: " + host + "}\nroutes: [{match: /, services: [{name: gone, port: 80}]}]")),
                    8));
            slots.add(new Slot(ns + "/child", List.of("",
                    ir(ns, "child", "routes: [{match: /api, " + service.formatted(1) + "}]"),
                    ir(ns, "child", "routes: [{match: /api, " + service.formatted(2) + "}]"),
                    ir(ns, "child", "routes: [{match: /api/v2, " + service.formatted(1) + "}, {match: /other, "
                            + service.formatted(1) + "}]")), 3));
            slots.add(new Slot(ns + "/service", List.of("", svc(ns, "app", ""),
                    svc(ns, "app", ", annotations: {projectcontour.io/max-connections: \"5\"}"),
                    svc(ns, "app", ", annotations: {projectcontour.io/max-requests: \"5\"}"),
                    svc(ns, "app", ", annotations: {projectcontour.io/max-connections: \"x\"}")), 3));
            slots.add(new Slot(ns + "/slice", List.of("", slice(ns, "app", "[{addresses: [10.0." + t + ".1]}]"),
                    slice(ns, "app", "[{addresses: [10.0." + t + ".2]}, {addresses: [10.0." + t + ".3]}]"),
                    slice(ns, "app", "[{addresses: [10.0." + t + ".4]}]")), 6));
            slots.add(new Slot(ns + "/tls", List.of("", Manifests.tlsSecret(ns, "tls")), 1));
            String front = "virtualhost: {fqdn: p" + t + ".example.com%s}\n";
            String weighted = "routes: [{services: [{name: app, port: 80, weight: %d}]}]";
            slots.add(new Slot(ns + "/front", List.of("",
                    Proxies.proxy(ns, "front", front.formatted("") + weighted.formatted(1)),
                    Proxies.proxy(ns, "front", front.formatted("") + weighted.formatted(2)),
                    Proxies.proxy(ns, "front", front.formatted("") + weighted.formatted(3)
                            + "\nincludes: [{name: inc, conditions: [{prefix: /inc}]}]"),
                    Proxies.proxy(ns, "front", front.formatted(", tls: {secretName: tls}") + weighted.formatted(4)
                            + "\nincludes: [{name: inc, conditions: [{prefix: /inc}]}]"),
                    Proxies.proxy(ns, "front", front.formatted("") + weighted.formatted(1)
                            + "\nincludes: [{name: inc, namespace: " + next + ", conditions: [{prefix: /next}]}]"),
                    Proxies.proxy(ns, "front", front.formatted("") + "routes: [{services: [{name: app, port: 9000}]}]")), 8));
            slots.add(new Slot(ns + "/inc", List.of("",
                    Proxies.proxy(ns, "inc", weighted.formatted(1)),
                    Proxies.proxy(ns, "inc", weighted.formatted(2)),
                    Proxies.proxy(ns, "inc", "routes: [{loadBalancerPolicy: {strategy: Bogus}, services: [{name: app, port: 80}]}]"),
                    Proxies.proxy(ns, "inc", "routes: [{conditions: [{prefix: /v2}], services: [{name: app, port: 80}]}]"),
                    RandomCluster.LENIENT + Proxies.proxy(ns, "inc", "routes: 5"),
                    annotated(Proxies.proxy(ns, "inc", weighted.formatted(3)), ns)), 3));
        }
        slots.add(new Slot("t0/ingress", List.of("", """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: t0}
                spec: {rules: [{host: w.example.com, http: {paths: [{path: /, pathType: Prefix,
                  backend: {service: {name: app, port: {number: 80}}}}]}}]}
                """), 1));
        slots.add(new Slot("t1/proxy", List.of("", Proxies.proxy("t1", "proxy",
                "virtualhost: {fqdn: p.example.com}\nroutes: [{services: [{name: app, port: 80}]}]")), 1));
        slots.add(new Slot("t2/wildcard", List.of("", Proxies.proxy("t2", "wildcard",
                "virtualhost: {fqdn: \"*.example.com\", tls: {secretName: tls}}\nroutes: [{services: [{name: app, port: 80}]}]")), 1));
        slots.add(new Slot("t3/second-root", List.of("", ir("t3", "second-root",
                "virtualhost: {fqdn: h4.example.com}\nroutes: [{match: /, services: [{name: app, port: 80}]}]")), 1));
        slots.add(new Slot("t5/annotated", List.of("", annotated(ir("t5", "child",
                "routes: [{match: /api, services: [{name: app, port: 80}]}]"), "t5")), 1));
        return slots;
    }

    /** {@code yaml} with an annotation the controller warns about. */
    private static String annotated(String yaml, String ns) {
        String out = yaml.replace("namespace: " + ns + "}", "namespace: " + ns + ", annotations: {contour.heptio.com/bogus: \"1\"}}");
        if (out.equals(yaml)) {
            throw new IllegalArgumentException(yaml);
        }
        return out;
    }

    @Test
    void quickBuildsEqualFullBuildsAfterEveryRandomChange() {
        int quick = 0;
        int steps = 0;
        for (long seed = 1; seed <= 40; seed++) {
            RandomCluster cluster = new RandomCluster(new Random(seed), slots());
            DagCache cache = new DagCache();
            for (int step = 0; step < 60; step++) {
                Dag incremental = DagBuilder.build(cluster.state(), DagOptions.DEFAULT, Map.of(), cache);
                Dag full = DagBuilder.build(cluster.state(), DagOptions.DEFAULT);
                assertEquals(full, incremental, "seed " + seed + ", step " + step + ", versions " + cluster.describe());
                quick += cache.quick() ? 1 : 0;
                steps++;
                cluster.change();
            }
        }
        assertTrue(quick > steps / 3, "quick builds: " + quick + " of " + steps);
        assertTrue(quick < steps - steps / 10, "full builds too: " + (steps - quick) + " of " + steps);
    }

    @Test
    void anHttpProxyWeightChangeAmongManyRootsIsQuick() {
        Map<String, HasMetadata> objects = new TreeMap<>();
        for (int t = 0; t < 50; t++) {
            String ns = "t" + t;
            objects.put(ns + "/svc", parse(svc(ns, "app", "")));
            objects.put(ns + "/slice", parse(slice(ns, "app", "[{addresses: [10.0.0." + (t + 1) + "]}]")));
            objects.put(ns + "/root", parse(Proxies.proxy(ns, "root", "virtualhost: {fqdn: h" + t + ".example.com}\n"
                    + "includes: [{name: child, conditions: [{prefix: /api}]}]\nroutes: [{services: [{name: app, port: 80}]}]")));
            objects.put(ns + "/child", parse(Proxies.proxy(ns, "child", "routes: [{services: [{name: app, port: 80}]}]")));
        }
        DagCache cache = new DagCache();
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        objects.put("t7/child", parse(Proxies.proxy("t7", "child", "routes: [{services: [{name: app, port: 80, weight: 5}]}]")));
        Dag dag = DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertTrue(cache.quick(), "a child only its own root includes changed its weight");
        assertEquals(DagBuilder.build(state(objects), DagOptions.DEFAULT), dag);
        assertEquals(1, cache.computed(), "its root's walk alone");

        objects.put("t8/child", parse(Proxies.proxy("t8", "child", "routes: [{services: [{name: app, port: 80}]}]\n"
                + "includes: [{name: child, namespace: t9}]")));
        dag = DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertFalse(cache.quick(), "t8's tree now takes in t9's child, which t9's root reports on too");
        assertEquals(DagBuilder.build(state(objects), DagOptions.DEFAULT), dag);
    }

    /** The index of what each root read follows each new walk: one entry per root, none once it stops reading. */
    @Test
    void theIndexOfWhatRootsReadFollowsTheirWalks() {
        Map<String, HasMetadata> objects = new TreeMap<>();
        objects.put("svc", parse(svc("a", "app", "")));
        objects.put("other", parse(svc("a", "other", "")));
        DagCache cache = new DagCache();
        Reads.Dep app = new Reads.Dep(Reads.Source.SERVICE, io.isoline.state.ObjectKey.parse("a/app", "a"));
        Reads.Dep other = new Reads.Dep(Reads.Source.SERVICE, io.isoline.state.ObjectKey.parse("a/other", "a"));
        for (int weight = 1; weight <= 3; weight++) {
            objects.put("root", parse(ir("a", "root", "virtualhost: {fqdn: a.example.com}\n"
                    + "routes: [{match: /, services: [{name: app, port: 80, weight: " + weight + "}]}]")));
            DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
            assertEquals(List.of(new IngressRouteProcessor.RootStep(io.isoline.state.ObjectKey.parse("a/root", "a"))),
                    cache.readers(app), "after walk " + weight);
        }
        objects.put("root", parse(ir("a", "root", "virtualhost: {fqdn: a.example.com}\n"
                + "routes: [{match: /, services: [{name: other, port: 80}]}]")));
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertEquals(List.of(), cache.readers(app), "no longer read");
        assertEquals(1, cache.readers(other).size());
    }

    /**
     * A quick build leaves results it did not use in the cache; one whose input changed meanwhile
     * is not reused when a later build asks for it.
     */
    @Test
    void aResultNotUsedWhileItsInputChangedIsNotReusedLater() {
        Map<String, HasMetadata> objects = new TreeMap<>();
        objects.put("svc", parse(svc("a", "app", "")));
        DagCache cache = new DagCache();
        Reads.Dep read = new Reads.Dep(Reads.Source.SERVICE, io.isoline.state.ObjectKey.parse("a/app", "a"));
        Object inputs = new BuildContext.Inputs(DagOptions.DEFAULT, List.of());
        cache.begin(inputs, state(objects), Map.of());
        cache.full();
        DagCache.Entry entry = new DagCache.Entry("resolved", java.util.Set.of(read), List.of(), List.of(), cache.generation);
        DagCache.Entry other = new DagCache.Entry("resolved", java.util.Set.of(new Reads.Dep(Reads.Source.SERVICE,
                io.isoline.state.ObjectKey.parse("b/other", "b"))), List.of(), List.of(), cache.generation);
        cache.store("step", entry);
        cache.store("other step", other);
        cache.end(DagBuilder.build(state(objects), DagOptions.DEFAULT));

        objects.put("svc", parse(svc("a", "app", ", annotations: {projectcontour.io/max-connections: \"5\"}")));
        cache.begin(inputs, state(objects), Map.of()); // the Service changed; nobody asks for the step
        assertFalse(cache.unchanged(entry));
        cache.endQuick(cache.last);
        cache.begin(inputs, state(objects), Map.of()); // nothing changed since the last build
        assertFalse(cache.unchanged(entry), "its input changed after the build that last used it");
        assertTrue(cache.unchanged(other), "nothing it read changed");
    }

    @Test
    void aWeightChangeAmongManyRootsIsQuickAndAChildSharedByTwoRootsIsNot() {
        Map<String, HasMetadata> objects = new TreeMap<>();
        for (int t = 0; t < 50; t++) {
            String ns = "t" + t;
            objects.put(ns + "/svc", parse(svc(ns, "app", "")));
            objects.put(ns + "/slice", parse(slice(ns, "app", "[{addresses: [10.0.0." + (t + 1) + "]}]")));
            objects.put(ns + "/root", parse(ir(ns, "root", "virtualhost: {fqdn: h" + t + ".example.com}\n"
                    + "routes: [{match: /, services: [{name: app, port: 80}]}, {match: /api, delegate: {name: child, namespace: t0}}]")));
        }
        objects.put("t0/child", parse(ir("t0", "child", "routes: [{match: /api, services: [{name: app, port: 80}]}]")));
        DagCache cache = new DagCache();
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertFalse(cache.quick(), "the first build is a full one");

        objects.put("t7/root", parse(ir("t7", "root", "virtualhost: {fqdn: h7.example.com}\n"
                + "routes: [{match: /, services: [{name: app, port: 80, weight: 3}]}]")));
        Dag dag = DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertEquals(DagBuilder.build(state(objects), DagOptions.DEFAULT), dag);
        assertFalse(cache.quick(), "t7 no longer reads t0/child, which every root reads: t0/child's status is theirs too");

        objects.put("t9/root", parse(ir("t9", "root", "virtualhost: {fqdn: h9.example.com}\n"
                + "routes: [{match: /, services: [{name: app, port: 80, weight: 3}]}]")));
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        objects.put("t9/root", parse(ir("t9", "root", "virtualhost: {fqdn: h9.example.com}\n"
                + "routes: [{match: /, services: [{name: app, port: 80, weight: 4}]}]")));
        dag = DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertTrue(cache.quick(), "a root that reads nobody else's objects changed its weight");
        assertEquals(DagBuilder.build(state(objects), DagOptions.DEFAULT), dag);
        assertEquals(1, cache.computed(), "its walk alone");
        assertTrue(dag.httpHosts().toString().contains("weight=4"), dag.httpHosts().toString());
    }
}
