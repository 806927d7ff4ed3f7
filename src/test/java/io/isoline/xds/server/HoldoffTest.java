package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The rebuild timing policy with made-up times (milliseconds as nanosecond values, for reading). */
class HoldoffTest {

    private static final long MS = 1_000_000;
    private final Holdoff holdoff = new Holdoff(100 * MS, 1000 * MS);

    @Test
    void aLoneChangeOnAQuietSystemIsRebuiltAtOnce() {
        assertThat(holdoff.changed(5_000 * MS)).isZero();
        holdoff.started(5_000 * MS);
        holdoff.finished();
        // Long after: quiet again, so no wait either.
        assertThat(holdoff.changed(9_000 * MS)).isZero();
    }

    @Test
    void theFirstChangeEverIsRebuiltAtOnce() {
        assertThat(holdoff.changed(0)).isZero();
    }

    @Test
    void changesBeforeTheLeadingRebuildStartsRideOnIt() {
        assertThat(holdoff.changed(1_000 * MS)).isZero();
        assertThat(holdoff.changed(1_001 * MS)).isZero();
        holdoff.started(1_002 * MS);
        assertThat(holdoff.changed(1_003 * MS)).isEqualTo(100 * MS); // read too late: trailing edge
    }

    @Test
    void aChangeSoonAfterARebuildWaitsOnlyForTheRestOfTheHoldoff() {
        holdoff.changed(1_000 * MS);
        holdoff.started(1_000 * MS);
        holdoff.finished();
        assertThat(holdoff.changed(1_030 * MS)).isEqualTo(70 * MS);
    }

    @Test
    void changesDuringARebuildWaitForQuietAndAreCoalesced() {
        holdoff.changed(0);
        holdoff.started(0);
        // While it runs, three changes 20 ms apart: each pushes the trailing rebuild to 100 ms after it.
        assertThat(holdoff.changed(10 * MS)).isEqualTo(100 * MS);
        assertThat(holdoff.changed(30 * MS)).isEqualTo(100 * MS);
        assertThat(holdoff.changed(50 * MS)).isEqualTo(100 * MS);
        holdoff.finished();
        // One more after the running one ended but before the trailing one started: still coalesced.
        assertThat(holdoff.changed(60 * MS)).isEqualTo(100 * MS);
    }

    @Test
    void aBurstThatNeverPausesIsStillRebuiltWithinTheMaximumDelay() {
        holdoff.changed(0);
        holdoff.started(0);
        holdoff.finished();
        long first = 10 * MS;
        // A change every 40 ms: each one alone would push the rebuild 100 ms out, forever.
        assertThat(holdoff.changed(first)).isEqualTo(90 * MS); // the rest of the last build's holdoff
        for (long t = first + 40 * MS; t < 890 * MS; t += 40 * MS) {
            assertThat(holdoff.changed(t)).isEqualTo(100 * MS);
        }
        // At 930 ms, 100 ms more would pass the first change's deadline (1,010 ms): the deadline wins.
        assertThat(holdoff.changed(930 * MS)).isEqualTo(80 * MS);
        assertThat(holdoff.changed(1_000 * MS)).isEqualTo(10 * MS);
    }

    @Test
    void stalledCountsTheOldestWaitingChangeOrTheRunningRebuild() {
        assertThat(holdoff.stalled(0)).isZero();
        holdoff.changed(0);
        holdoff.started(0);
        holdoff.changed(20 * MS);
        assertThat(holdoff.stalled(500 * MS)).isEqualTo(500 * MS); // running since 0
        holdoff.finished();
        assertThat(holdoff.stalled(500 * MS)).isEqualTo(480 * MS); // waiting since 20
        holdoff.started(600 * MS);
        holdoff.finished();
        assertThat(holdoff.stalled(700 * MS)).isZero();
    }

    @Test
    void aMaximumDelayShorterThanTheHoldoffIsRefused() {
        assertThatThrownBy(() -> new Holdoff(100 * MS, 50 * MS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holdoff <= max delay");
    }
}
