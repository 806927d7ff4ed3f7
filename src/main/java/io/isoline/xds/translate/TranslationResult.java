package io.isoline.xds.translate;

import io.isoline.dag.ObjectStatus;
import java.util.List;

/**
 * What one translation produced: the Envoy resources, a status per object, and warnings about
 * ignored input (each naming its object).
 */
public record TranslationResult(XdsResources resources, List<ObjectStatus> statuses, List<String> warnings) {
}
