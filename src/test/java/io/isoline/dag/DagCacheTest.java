package io.isoline.dag;

import static io.isoline.testing.RandomCluster.ir;
import static io.isoline.testing.RandomCluster.parse;
import static io.isoline.testing.RandomCluster.slice;
import static io.isoline.testing.RandomCluster.state;
import static io.isoline.testing.RandomCluster.svc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.state.ClusterState;
import io.isoline.testing.RandomCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A build with a {@link DagCache} equals a full build: random sequences of changes (an object
 * replaced by another version, re-read with the same content, or deleted; objects rejected by the
 * guard; the options changed) over a {@link RandomCluster}, compared with a fresh full build after
 * every step.
 */
class DagCacheTest {

    @Test
    void incrementalBuildsEqualFullBuildsAfterEveryRandomChange() {
        int reused = 0;
        int steps = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            DagOptions options = random.nextBoolean() ? DagOptions.DEFAULT : DagOptions.DEFAULT.withExternalNameServices(true);
            DagCache cache = new DagCache();
            RandomCluster cluster = new RandomCluster(random);
            for (int step = 0; step < 40; step++) {
                Map<String, String> rejected = cluster.rejected();
                if (random.nextInt(25) == 0) {
                    options = options.withExternalNameServices(!options.externalNameServices());
                }
                ClusterState state = cluster.state();
                Dag incremental = DagBuilder.build(state, options, rejected, cache);
                Dag full = DagBuilder.build(state, options, rejected);
                assertEquals(full, incremental, "seed " + seed + ", step " + step + ", versions " + cluster.describe()
                        + ", rejected " + rejected);
                reused += cache.reused();
                steps++;
                cluster.change();
            }
        }
        assertTrue(reused > steps, "the builds reused results (" + reused + " in " + steps + " builds)");
    }

    @Test
    void aChangeRecomputesOnlyWhatReadTheChangedObject() {
        Map<String, HasMetadata> objects = new TreeMap<>();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(svc("t" + i, "app", ""));
            docs.add(slice("t" + i, "app", "[{addresses: [10.0.0." + (i + 1) + "]}]"));
            docs.add(ir("t" + i, "root", "virtualhost: {fqdn: h" + i + ".example.com}\n"
                    + "routes: [{match: /, services: [{name: app, port: 80}]}]"));
        }
        docs.forEach(d -> objects.put(d, parse(d)));
        DagCache cache = new DagCache();
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertEquals(0, cache.reused());
        int all = cache.computed();

        String changed = docs.get(1);
        objects.put(changed, parse(slice("t0", "app", "[{addresses: [10.9.9.9]}]")));
        Dag dag = DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);

        // t0's resolution and root walk again (its Service's annotations are not read again, and
        // the other roots are not even looked at: a quick build).
        assertTrue(cache.quick());
        assertEquals(2, cache.computed());
        assertEquals(1, cache.reused());
        assertEquals(DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of()), dag);
        assertTrue(dag.endpointGroups().stream().anyMatch(g -> g.endpoints().toString().contains("10.9.9.9")), dag.endpointGroups().toString());

        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of(), cache);
        assertEquals(0, cache.computed(), "nothing changed, nothing computed");
        assertEquals(0, cache.reused());

        // A full build (another rejection) reuses every other root's walk.
        DagBuilder.build(state(objects), DagOptions.DEFAULT, Map.of("Ingress x/y", "rejected"), cache);
        assertTrue(!cache.quick());
        assertEquals(0, cache.computed());
        assertEquals(20, cache.reused());
        assertTrue(all > 20, "a full build computes every step: " + all);
    }
}
