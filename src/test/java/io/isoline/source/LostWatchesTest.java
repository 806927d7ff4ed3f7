package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A watch counts as lost only when it has stayed down for the whole grace period. */
class LostWatchesTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aWatchDownForTheGracePeriodIsLostUntilItIsBack() {
        LostWatches lost = new LostWatches(30 * S);
        assertThat(lost.look(Map.of("ingresses/Service", true, "ingressroutes/ingressroutes", true), 0)).isEmpty();
        assertThat(lost.look(Map.of("ingresses/Service", true, "ingressroutes/ingressroutes", false), 10 * S))
                .as("just lost: a routine reconnect gets its chance").isEmpty();
        assertThat(lost.look(Map.of("ingresses/Service", true, "ingressroutes/ingressroutes", false), 39 * S)).isEmpty();
        assertThat(lost.look(Map.of("ingresses/Service", false, "ingressroutes/ingressroutes", false), 40 * S))
                .containsExactly("ingressroutes/ingressroutes");
        assertThat(lost.look(Map.of("ingresses/Service", true, "ingressroutes/ingressroutes", true), 41 * S)).isEmpty();
    }

    @Test
    void aWatchThatCameBackBetweenLooksStartsItsGraceAgain() {
        LostWatches lost = new LostWatches(30 * S);
        lost.look(Map.of("w", false), 0);
        lost.look(Map.of("w", true), 20 * S);
        assertThat(lost.look(Map.of("w", false), 40 * S)).isEmpty();
        assertThat(lost.look(Map.of("w", false), 70 * S)).containsExactly("w");
        lost.look(Map.of(), 71 * S); // an informer that is gone is forgotten
        assertThat(lost.look(Map.of("w", false), 72 * S)).isEmpty();
    }
}
