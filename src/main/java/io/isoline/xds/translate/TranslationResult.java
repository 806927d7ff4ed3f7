package io.isoline.xds.translate;

import io.isoline.dag.ObjectStatus;
import java.util.List;

/**
 * What one translation produced: the Envoy resources, a status per object, and warnings about
 * ignored input (each naming its object).
 *
 * @param errors problems Envoy would reject the resources for that no object explains (a translator
 *               bug); when there are any, the resources must not be published
 */
public record TranslationResult(XdsResources resources, List<ObjectStatus> statuses, List<String> warnings,
        List<String> errors) {

    public TranslationResult {
        errors = List.copyOf(errors);
    }

    /** Whether the resources may be sent to Envoy. */
    public boolean publishable() {
        return errors.isEmpty();
    }
}
