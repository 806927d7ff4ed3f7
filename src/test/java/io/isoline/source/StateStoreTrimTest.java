package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.isoline.state.ObjectKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store keeps what the core reads, not the field managers or kubectl's last-applied copy. */
class StateStoreTrimTest {

    @Test
    void fieldManagersAndTheLastAppliedCopyAreDroppedOtherAnnotationsKept() {
        Service service = new ServiceBuilder().withNewMetadata().withNamespace("team").withName("app").withResourceVersion("7")
                .withAnnotations(Map.of(StateStore.LAST_APPLIED, "{\"kind\":\"Service\",\"spec\":{\"big\":\"" + "x".repeat(10_000) + "\"}}",
                        "projectcontour.io/upstream-protocol.h2c", "80"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build();
        StateStore store = new StateStore();
        store.itemStore(Service.class).put("team/app", service);
        Service held = store.snapshot().services().get(new ObjectKey("team", "app"));
        assertThat(held.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(held.getMetadata().getAnnotations()).containsOnlyKeys("projectcontour.io/upstream-protocol.h2c");
        assertThat(held.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(held.getSpec().getPorts()).hasSize(1);
    }
}
