package io.isoline.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.NoDropScenario;
import io.isoline.testing.SteadyLoad;
import java.nio.file.Path;
import java.util.ArrayList;
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
            SteadyLoad load = scenario.startLoad();
            long start = System.nanoTime();
            List<NoDropScenario.Applied> applied = new ArrayList<>();
            long connectionsBefore;
            try {
                // (warm-up: some clients reconnect once while their first connections settle)
                Thread.sleep(2000);
                connectionsBefore = load.snapshot().connectionsOpened();
                for (NoDropScenario.Change change : scenario.changes()) {
                    applied.add(scenario.apply(change, load, 2000, System.out));
                }
                while (System.nanoTime() - start < 30_000_000_000L) {
                    Thread.sleep(200);
                }
            } finally {
                load.close();
            }
            SteadyLoad.Result r = load.snapshot();
            System.out.printf("no-drop: %d requests in %.1f s, %d failed, %d reconnects, p50 %d us, p99 %d us, max %d us, %s%n",
                    r.requests(), (System.nanoTime() - start) / 1e9, r.failed(), r.reconnects(), r.p50Micros(), r.p99Micros(),
                    r.maxMicros(), r.byBackend());
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
            assertThat(r.connectionsOpened() - connectionsBefore).as("connections Envoy closed during the changes "
                    + r.connectionsByKind()).isZero();
            // Nothing waits for Envoy's 15 s initial-fetch timeout (a resource held back).
            assertThat(applied).allSatisfy(a -> assertThat(a.millisToEnvoy()).as(a.name()).isLessThan(5000));
        }
    }
}
