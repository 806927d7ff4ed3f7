package io.isoline.xds.translate;

import io.isoline.dag.Dag;
import io.isoline.dag.DagBuilder;
import io.isoline.state.ClusterState;

/**
 * The whole pure pipeline, {@code ClusterState -> Dag -> Envoy resources}: what {@code translate}
 * prints and {@code serve} publishes, so the two can never disagree.
 *
 * <p>Pure and thread-safe.
 */
public final class ConfigTranslator {

    private ConfigTranslator() {
    }

    public static TranslationResult translate(ClusterState state, TranslateOptions options) {
        Dag dag = DagBuilder.build(state, options.dag());
        XdsResources resources = XdsResources.of(
                ListenerTranslator.translate(dag, options.listeners()),
                RouteTranslator.translate(dag),
                ClusterTranslator.translate(dag),
                EndpointTranslator.translate(dag),
                SecretTranslator.translate(dag),
                ListenerTranslator.apiListeners(dag));
        return new TranslationResult(resources, dag.statuses(), dag.warnings());
    }
}
