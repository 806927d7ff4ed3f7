package io.isoline.xds.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.isoline.state.ClusterState;
import io.isoline.testing.RandomCluster;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The serving path's translator ({@link ConfigTranslator#incremental()}, reusing the previous
 * build's results and Envoy messages) publishes exactly what a full translation gives: the same
 * resources, the same per-type versions, statuses, warnings and errors, after every random change.
 */
class IncrementalTranslationTest {

    @Test
    void incrementalTranslationsEqualFullOnesAfterEveryRandomChange() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            ConfigTranslator translator = ConfigTranslator.incremental();
            RandomCluster cluster = new RandomCluster(random);
            for (int step = 0; step < 30; step++) {
                ClusterState state = cluster.state();
                TranslationResult full = ConfigTranslator.translate(state, TranslateOptions.DEFAULT);
                TranslationResult incremental = translator.next(state, TranslateOptions.DEFAULT);
                assertEquals(full, incremental, "seed " + seed + ", step " + step + ", versions " + cluster.describe());
                cluster.change();
            }
        }
    }

    /**
     * What the guard found valid (messages, and whole types' lists) never vouches for content that
     * came back broken: an object Envoy would reject, gone and back, is rejected every time.
     */
    @Test
    void aBrokenObjectComingBackIsRejectedAgain() {
        String clean = io.isoline.testing.Manifests.backend("default", "web", "10.0.0.1")
                + io.isoline.testing.Manifests.backend("team", "api", "10.0.1.3")
                + io.isoline.testing.IngressRoutes.root("default", "www", "www.example.com",
                        io.isoline.testing.IngressRoutes.toService("/", "web")
                                + io.isoline.testing.IngressRoutes.delegate("/api", "team", "api"));
        String good = clean + io.isoline.testing.IngressRoutes.child("team", "api",
                "  - {match: /api, services: [{name: api, port: 80, healthCheck: {path: /healthz}}]}\n");
        String broken = clean + io.isoline.testing.IngressRoutes.child("team", "api",
                "  - {match: /api, services: [{name: api, port: 80, healthCheck: {path: \"/h\\r\\nX: 1\"}}]}\n");
        ConfigTranslator translator = ConfigTranslator.incremental();
        for (String yaml : List.of(good, broken, good, broken, broken, good)) {
            ClusterState state = io.isoline.testing.Fixture.state(yaml);
            TranslationResult incremental = translator.next(state, TranslateOptions.DEFAULT);
            assertEquals(ConfigTranslator.translate(state, TranslateOptions.DEFAULT), incremental);
            assertEquals(yaml == broken, io.isoline.testing.IngressRoutes.statuses(incremental).get("team/api")
                    .startsWith("invalid: Envoy would reject cluster team/api/80/"), yaml);
        }
    }

    /** Nothing made for other options is reused: other ports, or other DAG rules, give what a full translation gives. */
    @Test
    void otherOptionsReuseNothingMadeForTheOldOnes() {
        ClusterState state = new RandomCluster(new Random(11)).state();
        TranslateOptions ports = new TranslateOptions(io.isoline.dag.DagOptions.DEFAULT, new ListenerOptions("0.0.0.0", 9080, 9443));
        TranslateOptions strict = new TranslateOptions(io.isoline.dag.DagOptions.DEFAULT.withConflictingRootsInvalid(true),
                ListenerOptions.DEFAULT);
        ConfigTranslator translator = ConfigTranslator.incremental();
        for (TranslateOptions options : new TranslateOptions[] {TranslateOptions.DEFAULT, ports, strict, TranslateOptions.DEFAULT}) {
            assertEquals(ConfigTranslator.translate(state, options), translator.next(state, options), options.toString());
        }
        assertNotEquals(ConfigTranslator.translate(state, TranslateOptions.DEFAULT).resources().listeners(),
                ConfigTranslator.translate(state, ports).resources().listeners(), "the ports show in the listeners");
    }

    @Test
    void unchangedPartsAreTheSameMessagesAndVersionsFollowContent() {
        RandomCluster cluster = new RandomCluster(new Random(7));
        ConfigTranslator translator = ConfigTranslator.incremental();
        XdsResources first = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
        XdsResources again = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
        assertEquals(first, again);
        org.junit.jupiter.api.Assertions.assertFalse(first.clusters().isEmpty(), "the seed gives clusters");
        for (int i = 0; i < first.clusters().size(); i++) {
            assertSame(first.clusters().get(i), again.clusters().get(i), "a cluster nothing changed is not made again");
        }
        for (int step = 0; step < 50; step++) {
            XdsResources before = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
            cluster.change();
            XdsResources after = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
            assertEquals(before.routes().equals(after.routes()), before.routesVersion().equals(after.routesVersion()));
            assertEquals(before.clusters().equals(after.clusters()), before.clustersVersion().equals(after.clustersVersion()));
            assertEquals(before.endpoints().equals(after.endpoints()), before.endpointsVersion().equals(after.endpointsVersion()));
            assertEquals(before.listeners().equals(after.listeners()), before.listenersVersion().equals(after.listenersVersion()));
            assertEquals(before.secrets().equals(after.secrets()), before.secretsVersion().equals(after.secretsVersion()));
        }
        assertNotEquals(first.routesVersion(), XdsResources.of(first.listeners(), java.util.List.of(), first.clusters(),
                first.endpoints(), first.secrets(), first.apiListeners()).routesVersion());
    }
}
