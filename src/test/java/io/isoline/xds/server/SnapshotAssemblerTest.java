package io.isoline.xds.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.isoline.testing.RandomCluster;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.XdsResources;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the publisher hands java-control-plane is what {@code Snapshot.create} makes of the same
 * resources, for Envoy and for proxyless clients, after every random change, while unchanged types
 * are not made again.
 */
class SnapshotAssemblerTest {

    @Test
    void assembledSnapshotsEqualTheLibrarysAfterEveryRandomChange() {
        for (long seed = 1; seed <= 20; seed++) {
            RandomCluster cluster = new RandomCluster(new Random(seed));
            ConfigTranslator translator = ConfigTranslator.incremental();
            SnapshotAssembler assembler = new SnapshotAssembler();
            for (int step = 0; step < 25; step++) {
                XdsResources r = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
                String where = "seed " + seed + ", step " + step;
                assertSameContent(library(r, r.listeners(), r.listenersVersion()), assembler.envoy(r), where);
                assertSameContent(library(r, r.grpcListeners(), r.listenersVersion() + "-" + r.apiListenersVersion()),
                        assembler.grpc(r), where + " (proxyless)");
                cluster.change();
            }
        }
    }

    @Test
    void aTypeWhoseVersionDidNotChangeIsTheSameSetAndUnchangedMessagesKeepTheirWrapper() {
        RandomCluster cluster = new RandomCluster(new Random(3));
        ConfigTranslator translator = ConfigTranslator.incremental();
        SnapshotAssembler assembler = new SnapshotAssembler();
        XdsResources first = translator.next(cluster.state(), TranslateOptions.DEFAULT).resources();
        Snapshot a = assembler.envoy(first);
        Snapshot b = assembler.envoy(translator.next(cluster.state(), TranslateOptions.DEFAULT).resources());
        assertSame(a.clusters(), b.clusters());
        assertSame(a.listeners(), b.listeners());
        assertSame(a.clusters(), assembler.grpc(first).clusters(), "Envoy's and proxyless clients' clusters are one set");
        // A new list holding the same messages under a new version: each wrapper is kept.
        XdsResources renamed = new XdsResources(first.listeners(), first.routes(), first.clusters(), first.endpoints(),
                first.secrets(), first.apiListeners(), first.listenersVersion(), first.routesVersion(), "other",
                first.endpointsVersion(), first.secretsVersion(), first.apiListenersVersion());
        Snapshot c = assembler.envoy(renamed);
        assertEquals("other", c.version(ResourceType.CLUSTER));
        a.clusters().versionedResources().forEach((name, wrapped) ->
                assertSame(wrapped, c.clusters().versionedResources().get(name), name));
    }

    @Test
    void anInconsistentSnapshotIsRefusedEveryTimeItIsChecked() throws Exception {
        RandomCluster cluster = new RandomCluster(new Random(5));
        XdsResources good = ConfigTranslator.translate(cluster.state(), TranslateOptions.DEFAULT).resources();
        for (int step = 0; step < 100 && good.clusters().stream().noneMatch(c -> c.hasEdsClusterConfig()); step++) {
            cluster.change();
            good = ConfigTranslator.translate(cluster.state(), TranslateOptions.DEFAULT).resources();
        }
        SnapshotAssembler assembler = new SnapshotAssembler();
        assembler.ensureConsistent(assembler.envoy(good));
        // Endpoints missing for EDS clusters: the library refuses it, and so does a second check.
        XdsResources broken = XdsResources.of(good.listeners(), good.routes(), good.clusters(), List.of(),
                good.secrets(), good.apiListeners());
        org.junit.jupiter.api.Assertions.assertTrue(good.clusters().stream().anyMatch(c -> c.hasEdsClusterConfig()),
                "random changes give an EDS cluster");
        for (int i = 0; i < 2; i++) {
            Snapshot s = assembler.envoy(broken);
            assertThrows(SnapshotConsistencyException.class, () -> assembler.ensureConsistent(s));
        }
    }

    private static Snapshot library(XdsResources r, List<io.envoyproxy.envoy.config.listener.v3.Listener> listeners,
            String listenersVersion) {
        return Snapshot.create(r.clusters(), r.clustersVersion(), r.endpoints(), r.endpointsVersion(),
                listeners, listenersVersion, r.routes(), r.routesVersion(), r.secrets(), r.secretsVersion());
    }

    private static void assertSameContent(Snapshot expected, Snapshot actual, String where) {
        for (ResourceType type : List.of(ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER,
                ResourceType.ROUTE, ResourceType.SECRET)) {
            assertEquals(expected.version(type), actual.version(type), where + ": " + type + " version");
            assertEquals(expected.versionedResources(type), actual.versionedResources(type), where + ": " + type);
            assertEquals(List.copyOf(expected.resources(type).keySet()), List.copyOf(actual.resources(type).keySet()),
                    where + ": " + type + " order");
        }
    }
}
