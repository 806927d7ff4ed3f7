package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A snapshot takes in only what changed since the previous one (the rest is the previous snapshot's),
 * and no change is ever missed, even one made while a snapshot is being taken.
 */
class StateStoreSnapshotTest {

    private static Service service(String name, String version) {
        return new ServiceBuilder().withNewMetadata().withNamespace("team").withName(name).withResourceVersion(version)
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
    }

    private static EndpointSlice slice(String name) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("team").withName(name).endMetadata()
                .withAddressType("IPv4").build();
    }

    @Test
    void kindsThatDidNotChangeAreTheSameMapsAndChangesAndDeletionsAreSeen() {
        StateStore store = new StateStore();
        store.itemStore(Service.class).put("team/a", service("a", "1"));
        store.itemStore(EndpointSlice.class).put("team/a-1", slice("a-1"));
        ClusterState first = store.snapshot();
        assertThat(store.snapshot()).isSameAs(first);

        store.itemStore(Service.class).put("team/b", service("b", "1"));
        ClusterState second = store.snapshot();
        assertThat(second.services().keySet()).extracting(Object::toString).containsExactly("team/a", "team/b");
        assertThat(second.endpointSlices()).isSameAs(first.endpointSlices());
        assertThat(second.services().get(new ObjectKey("team", "a"))).isSameAs(first.services().get(new ObjectKey("team", "a")));
        // Unchanged objects keep their key instances, which is what lets the next build compare by identity.
        assertThat(second.services().firstKey()).isSameAs(first.services().firstKey());

        store.itemStore(Service.class).remove("team/a");
        store.itemStore(EndpointSlice.class).remove("team/a-1");
        ClusterState third = store.snapshot();
        assertThat(third.services().keySet()).extracting(Object::toString).containsExactly("team/b");
        assertThat(third.endpointSlices()).isEmpty();
        assertThat(first.services()).hasSize(1); // earlier snapshots never change
    }

    @Test
    void aChangeMadeWhileSnapshotsAreTakenIsInTheNextOne() throws Exception {
        StateStore store = new StateStore();
        int n = 2_000;
        CountDownLatch done = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                store.itemStore(Service.class).put("team/s" + i, service("s" + i, "1"));
                store.itemStore(Service.class).put("team/s" + i, service("s" + i, "2"));
            }
            done.countDown();
        });
        writer.start();
        int snapshots = 0;
        while (!done.await(0, TimeUnit.MILLISECONDS)) {
            store.snapshot();
            snapshots++;
        }
        writer.join();
        ClusterState last = store.snapshot();
        assertThat(last.services()).hasSize(n);
        assertThat(last.services().values()).allSatisfy(s -> assertThat(s.getMetadata().getResourceVersion()).isEqualTo("2"));
        assertThat(snapshots).isPositive();
    }
}
