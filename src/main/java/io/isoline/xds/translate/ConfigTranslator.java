package io.isoline.xds.translate;

import io.isoline.dag.Dag;
import io.isoline.dag.DagBuilder;
import io.isoline.dag.DagCache;
import io.isoline.state.ClusterState;
import io.isoline.xds.validate.ValidMemo;
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
 * <p>{@link #translate} is pure and thread-safe. An instance ({@link #incremental()}) keeps what
 * each translation made for the next one (the {@link DagCache}, and the Envoy messages of the Dag
 * parts that did not change), so a rebuild pays for what changed; its results equal the static
 * method's. An instance is for one thread (the rebuild scheduler's).
 */
public final class ConfigTranslator {

    /** Each round can only reject more objects; a handful is plenty (one is the rule). */
    static final int MAX_ROUNDS = 4;

    /** The last check of a translation ({@link EnvoyGuard#check(Dag, XdsResources, ValidMemo)}; tests give their own). */
    interface Guard {
        EnvoyGuard.Findings check(Dag dag, XdsResources resources, ValidMemo valid);
    }

    private final Guard guard;

    private final DagCache cache = new DagCache();
    private final TranslationMemo memo = new TranslationMemo();
    /** What the last guard check found valid: a rebuild re-checks only messages that changed. */
    private ValidMemo valid = ValidMemo.empty();
    private TranslateOptions last;

    ConfigTranslator(Guard guard) {
        this.guard = guard;
    }

    /** A translator that reuses the previous translation's results where nothing they came from changed. */
    public static ConfigTranslator incremental() {
        return new ConfigTranslator(EnvoyGuard::check);
    }

    /**
     * Pays ahead, on the calling thread, for the guard's one-time costs that are the same every time:
     * loading Envoy's descriptors and finding which of their types have rules (the core's are
     * {@link DagBuilder#prepare()}). Optional: translations are the same without it. A server calls it
     * on its translating thread while it loads its first state.
     */
    public static void prepare() {
        EnvoyGuard.prepare();
    }

    /** What the last translation's core build reused and computed (for logs and benchmarks). */
    public DagCache dagCache() {
        return cache;
    }

    /** A full translation. */
    public static TranslationResult translate(ClusterState state, TranslateOptions options) {
        return incremental().next(state, options);
    }

    /** Translates {@code state}, reusing what the previous call made; equal to {@link #translate(ClusterState, TranslateOptions)}. */
    public TranslationResult next(ClusterState state, TranslateOptions options) {
        if (!options.equals(last)) {
            memo.next(false); // other listener options: nothing made for the old ones is reused
            last = options;
        }

        Map<String, String> rejected = new TreeMap<>();
        for (int round = 1; ; round++) {
            memo.next(true);
            Dag dag = DagBuilder.build(state, options.dag(), rejected, cache);
            XdsResources resources = resources(dag, options, memo);
            valid = valid.next(memo.typeDigests());
            EnvoyGuard.Findings findings = guard.check(dag, resources, valid);
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

    static XdsResources resources(Dag dag, TranslateOptions options, TranslationMemo memo) {
        return XdsResources.of(
                ListenerTranslator.translate(dag, options.listeners(), memo),
                RouteTranslator.translate(dag, memo),
                ClusterTranslator.translate(dag, memo),
                EndpointTranslator.translate(dag, memo),
                SecretTranslator.translate(dag, memo),
                ListenerTranslator.apiListeners(dag, options.listeners().edge(), memo), memo);
    }
}
