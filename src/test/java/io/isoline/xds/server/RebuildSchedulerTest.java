package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoline.state.ClusterState;
import io.isoline.xds.translate.TranslateOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on real threads: a lone change does not wait out the holdoff, a burst is coalesced.
 * The holdoffs are long on purpose, so a loaded machine cannot blur the two cases.
 */
class RebuildSchedulerTest {

    @Test
    void aLoneChangeIsPublishedWithoutWaitingForTheHoldoff() throws InterruptedException {
        AtomicInteger builds = new AtomicInteger();
        RebuildScheduler scheduler = new RebuildScheduler(new SnapshotPublisher(), Duration.ofMinutes(10), Duration.ofMinutes(10), null);
        try {
            startCounting(scheduler, builds);
            assertThat(builds).hasValue(1);
            // The first build started moments ago, inside the 10-minute holdoff: this change waits...
            scheduler.markDirty();
            assertThat(scheduler.stalledNanos()).isPositive();
            assertThat(builds).hasValue(1);
        } finally {
            scheduler.stop();
        }
        RebuildScheduler quiet = new RebuildScheduler(new SnapshotPublisher(), Duration.ofSeconds(3), Duration.ofMinutes(10), null);
        try {
            startCounting(quiet, builds);
            builds.set(0);
            Thread.sleep(3_100); // quiet for longer than the holdoff
            // ...while on a quiet system a change is built at once, not after another 3 s.
            quiet.markDirty();
            await().atMost(Duration.ofMillis(2_500)).until(() -> builds.get() == 1);
        } finally {
            quiet.stop();
        }
    }

    /** Starts {@code scheduler} over an empty state, counting its builds in {@code builds}. */
    private static void startCounting(RebuildScheduler scheduler, AtomicInteger builds) {
        scheduler.start(() -> {
            builds.incrementAndGet();
            return ClusterState.EMPTY;
        }, TranslateOptions.DEFAULT, r -> { });
    }

    @Test
    void aBurstIsCoalescedIntoAtMostALeadingAndATrailingBuild() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        AtomicInteger changes = new AtomicInteger();
        AtomicInteger lastSeen = new AtomicInteger(-1);
        RebuildScheduler scheduler = new RebuildScheduler(new SnapshotPublisher(), Duration.ofMillis(500), Duration.ofSeconds(5), null);
        try {
            scheduler.start(() -> {
                builds.incrementAndGet();
                lastSeen.set(changes.get());
                return ClusterState.EMPTY;
            }, TranslateOptions.DEFAULT, r -> { });
            Thread.sleep(600); // quiet: past the holdoff of the first build
            builds.set(0);
            for (int i = 0; i < 200; i++) {
                changes.incrementAndGet();
                scheduler.markDirty();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> lastSeen.get() == 200 && scheduler.stalledNanos() == 0);
            assertThat(builds.get()).isBetween(1, 2);
        } finally {
            scheduler.stop();
        }
    }
}
