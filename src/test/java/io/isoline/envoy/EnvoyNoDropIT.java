package io.isoline.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.NoDropScenario;
import io.isoline.testing.SteadyLoad;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-dropped-connections promise on a real Envoy: steady keep-alive load (HTTP/1.1, h2c,
 * HTTP/2 over TLS) for at least 30 s while 13 kinds of change are applied. Not one request may
 * fail, and the plain-HTTP listener is never drained. {@code NoDropBenchmark} runs the same script
 * longer and records the figures in docs/benchmarks.md.
 */
class EnvoyNoDropIT {

    @TempDir
    Path dir;

    @Test
    void noRequestFailsWhileEveryKindOfChangeIsApplied() throws Exception {
        EnvoyProcess.require();
        try (NoDropScenario scenario = NoDropScenario.start(dir)) {
            NoDropScenario.Report report = scenario.run(30, 2000, false, System.out);
            SteadyLoad.Result r = report.load();
            List<NoDropScenario.Applied> applied = report.applied();
            assertThat(applied).hasSizeGreaterThanOrEqualTo(10);
            assertThat(r.failures()).as("failed requests").isEmpty();
            assertThat(r.requests()).isGreaterThan(1000);
            assertThat(r.byBackend().keySet()).as("the weights and scale changes moved traffic").contains("blue", "green", "blue2");
            // ingress_http is never replaced: every change that touched listeners only updated
            // filter chains in place, and no listener was draining after any change.
            for (NoDropScenario.Applied a : applied) {
                assertThat(a.listenerModified()).as(a.name() + ": listeners replaced").isEqualTo(a.inPlaceUpdates());
                assertThat(a.listenersDraining()).as(a.name() + ": listeners draining").isZero();
            }
            assertThat(report.connectionsDuringChanges()).as("connections Envoy closed during the changes "
                    + r.connectionsByKind()).isZero();
            // Nothing waits for Envoy's 15 s initial-fetch timeout (a resource held back).
            assertThat(applied).allSatisfy(a -> assertThat(a.millisToEnvoy()).as(a.name()).isLessThan(5000));
        }
    }
}
