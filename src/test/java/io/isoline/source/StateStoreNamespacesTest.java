package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import org.junit.jupiter.api.Test;

/**
 * {@code --watch-namespaces}: the store keeps only objects of those namespaces (and cluster-scoped
 * ones), whatever the informers deliver, so what is served never depends on another namespace.
 */
class StateStoreNamespacesTest {

    private static Service service(String ns, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().build();
    }

    @Test
    void objectsOutsideTheWatchedNamespacesAreNeverHeldNorServed() {
        StateStore store = new StateStore();
        store.restrictTo(java.util.Set.of("team"));
        ItemStore<Service> services = store.itemStore(Service.class);
        services.put("team/app", service("team", "app"));
        services.put("other/app", service("other", "app"));
        ItemStore<IngressClass> classes = store.itemStore(IngressClass.class);
        classes.put("contour", new IngressClassBuilder().withNewMetadata().withName("contour").endMetadata().build());
        assertThat(services.keySet()).containsExactly("team/app");
        assertThat(services.get("other/app")).isNull();
        assertThat(store.snapshot().services().keySet()).extracting(Object::toString).containsExactly("team/app");
        assertThat(store.snapshot().ingressClasses()).hasSize(1);
        assertThat(store.sizes()).containsEntry("Service", 1);
    }

    @Test
    void unrestrictedTheStoreHoldsEveryNamespace() {
        StateStore store = new StateStore();
        ItemStore<Service> services = store.itemStore(Service.class);
        services.put("team/app", service("team", "app"));
        services.put("other/app", service("other", "app"));
        assertThat(services.keySet()).containsExactlyInAnyOrder("team/app", "other/app");
    }

    /** OLM passes its target namespaces as one annotation: "" for AllNamespaces, "a,b" otherwise. */
    @Test
    void anEmptyNamespaceListAsOlmGivesItForAllNamespacesMeansAll() {
        StateStore store = new StateStore();
        store.restrictTo(java.util.Set.of(""));
        ItemStore<Service> services = store.itemStore(Service.class);
        services.put("team/app", service("team", "app"));
        services.put("other/app", service("other", "app"));
        assertThat(services.keySet()).containsExactlyInAnyOrder("team/app", "other/app");
    }
}
