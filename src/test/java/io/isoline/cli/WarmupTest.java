package io.isoline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isoline.dag.ObjectStatus;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/** The start-up rehearsal goes through every stage a real first build does (or it warms nothing). */
class WarmupTest {

    @Test
    void theRehearsalTranslatesEveryKindToEveryResourceTypeWithoutAProblem() {
        TranslationResult result = ConfigTranslator.translate(Warmup.sample(), TranslateOptions.DEFAULT);
        assertTrue(result.publishable(), result.errors().toString());
        assertEquals(3, result.statuses().size());
        result.statuses().forEach(s -> assertEquals(ObjectStatus.VALID, s.currentStatus(), s.toString()));
        assertTrue(result.warnings().isEmpty(), result.warnings().toString());
        assertFalse(result.resources().listeners().isEmpty());
        assertEquals(3, result.resources().routes().get(0).getVirtualHostsCount());
        assertFalse(result.resources().clusters().isEmpty());
        assertFalse(result.resources().endpoints().isEmpty());
    }
}
