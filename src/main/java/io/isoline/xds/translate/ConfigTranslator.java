package io.isoline.xds.translate;

import io.isoline.dag.Dag;
import io.isoline.dag.DagBuilder;
import io.isoline.state.ClusterState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole pure pipeline, {@code ClusterState -> Dag -> Envoy resources}: what {@code translate}
 * prints and {@code serve} publishes, so the two can never disagree.
 *
 * <p>Every translation ends with {@link EnvoyGuard}: if Envoy would reject a resource, the objects
 * that produced it are rejected (status {@code invalid}, naming the Envoy field and rule) and the
 * build runs again without them, so one bad object never stalls everyone's updates with a NACK.
 *
 * <p>Pure and thread-safe.
 */
public final class ConfigTranslator {

    /** Each round can only reject more objects; a handful is plenty (one is the rule). */
    private static final int MAX_ROUNDS = 4;

    private ConfigTranslator() {
    }

    public static TranslationResult translate(ClusterState state, TranslateOptions options) {
        Map<String, String> rejected = new TreeMap<>();
        for (int round = 1; ; round++) {
            Dag dag = DagBuilder.build(state, options.dag(), rejected);
            XdsResources resources = resources(dag, options);
            EnvoyGuard.Findings findings = EnvoyGuard.check(dag, resources);
            int before = rejected.size();
            findings.rejections().forEach(rejected::putIfAbsent);
            if (findings.clean() || rejected.size() == before || round == MAX_ROUNDS) {
                return new TranslationResult(resources, dag.statuses(), dag.warnings(),
                        findings.clean() ? List.of() : problems(findings));
            }
        }
    }

    private static List<String> problems(EnvoyGuard.Findings findings) {
        List<String> all = new ArrayList<>(findings.unattributed());
        findings.rejections().forEach((owner, problem) -> all.add(owner + ": " + problem));
        return all;
    }

    private static XdsResources resources(Dag dag, TranslateOptions options) {
        return XdsResources.of(
                ListenerTranslator.translate(dag, options.listeners()),
                RouteTranslator.translate(dag),
                ClusterTranslator.translate(dag),
                EndpointTranslator.translate(dag),
                SecretTranslator.translate(dag),
                ListenerTranslator.apiListeners(dag, options.listeners().edge()));
    }
}
