package io.isoline.xds.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.dag.ObjectStatus;
import io.isoline.state.ClusterState;
import io.isoline.testing.Fixture;
import io.isoline.testing.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard's rounds: an object the guard blames is taken out and the build runs again without it;
 * a problem nobody explains stops the translation unpublishable; and the rounds end, even if every
 * round blamed someone new.
 */
class ConfigTranslatorRoundsTest {

    private static ClusterState fiveRoots() {
        StringBuilder y = new StringBuilder(Manifests.backend("a", "site", "10.0.0.1"));
        for (int i = 1; i <= 5; i++) {
            y.append("""
                    apiVersion: contour.heptio.com/v1beta1
                    kind: IngressRoute
                    metadata: {name: r%1$d, namespace: a}
                    spec: {virtualhost: {fqdn: r%1$d.example.com}, routes: [{match: /, services: [{name: site, port: 80}]}]}
                    ---
                    """.formatted(i));
        }
        return Fixture.state(y.toString());
    }

    /** Records each round's virtual hosts and answers with what {@code answer} gives for the round. */
    private static final class ScriptedGuard implements ConfigTranslator.Guard {
        final List<List<String>> hostsPerRound = new ArrayList<>();
        private final java.util.function.IntFunction<EnvoyGuard.Findings> answer;

        ScriptedGuard(java.util.function.IntFunction<EnvoyGuard.Findings> answer) {
            this.answer = answer;
        }

        @Override
        public EnvoyGuard.Findings check(io.isoline.dag.Dag dag, XdsResources resources, io.isoline.xds.validate.ValidMemo valid) {
            hostsPerRound.add(dag.httpHosts().stream().map(io.isoline.dag.VirtualHost::fqdn).toList());
            return answer.apply(hostsPerRound.size());
        }
    }

    private static EnvoyGuard.Findings blame(String owner) {
        return new EnvoyGuard.Findings(Map.of(owner, "Envoy would reject cluster x: because"), List.of());
    }

    @Test
    void aBlamedObjectIsTakenOutAndTheRestIsPublished() {
        ScriptedGuard guard = new ScriptedGuard(round -> round == 1 ? blame("IngressRoute a/r2")
                : new EnvoyGuard.Findings(Map.of(), List.of()));
        TranslationResult result = new ConfigTranslator(guard).next(fiveRoots(), TranslateOptions.DEFAULT);
        assertThat(guard.hostsPerRound).hasSize(2);
        assertThat(guard.hostsPerRound.get(1)).doesNotContain("r2.example.com").contains("r1.example.com", "r5.example.com");
        assertThat(result.publishable()).isTrue();
        ObjectStatus r2 = result.statuses().stream().filter(s -> s.name().equals("r2")).findFirst().orElseThrow();
        assertThat(r2.currentStatus()).isEqualTo("invalid");
        assertThat(r2.description()).contains("Envoy would reject cluster x: because");
    }

    @Test
    void aProblemNobodyExplainsStopsAtOnceAndNothingIsPublishable() {
        ScriptedGuard guard = new ScriptedGuard(round -> new EnvoyGuard.Findings(Map.of(), List.of("Envoy would reject listener l: bug")));
        TranslationResult result = new ConfigTranslator(guard).next(fiveRoots(), TranslateOptions.DEFAULT);
        assertThat(guard.hostsPerRound).hasSize(1); // another round without anyone rejected would find the same
        assertThat(result.publishable()).isFalse();
        assertThat(result.errors()).containsExactly("Envoy would reject listener l: bug");
    }

    @Test
    void roundsEndEvenIfEachBlamesSomeoneNewAndTheLastProblemsAreReported() {
        ScriptedGuard guard = new ScriptedGuard(round -> blame("IngressRoute a/r" + round));
        TranslationResult result = new ConfigTranslator(guard).next(fiveRoots(), TranslateOptions.DEFAULT);
        assertThat(guard.hostsPerRound).hasSize(ConfigTranslator.MAX_ROUNDS);
        assertThat(guard.hostsPerRound.get(ConfigTranslator.MAX_ROUNDS - 1))
                .containsExactly("r4.example.com", "r5.example.com");
        assertThat(result.publishable()).isFalse();
        assertThat(result.errors()).containsExactly("IngressRoute a/r4: Envoy would reject cluster x: because");
    }
}
