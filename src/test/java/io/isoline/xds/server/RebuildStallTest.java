package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoline.state.ClusterState;
import io.isoline.xds.translate.TranslateOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A rebuild that never finishes is visible (readiness turns it into "not ready"), and clears when it ends. */
class RebuildStallTest {

    @Test
    void aStuckRebuildIsMeasuredUntilItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean();
        RebuildScheduler scheduler = new RebuildScheduler(new SnapshotPublisher(), Duration.ZERO, Duration.ofMillis(100), null);
        scheduler.start(() -> {
            if (block.get()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ClusterState.EMPTY;
        }, TranslateOptions.DEFAULT, r -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.stalledNanos() == 0);
        block.set(true);
        scheduler.markDirty();
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.stalledNanos() > Duration.ofMillis(500).toNanos());
        long first = scheduler.stalledNanos();
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.stalledNanos() > first);
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.stalledNanos() == 0);
        scheduler.stop();
    }
}
