package io.isoline.xds.server;

/**
 * When a rebuild should start, given when changes arrive and rebuilds run: the policy of
 * {@link RebuildScheduler}, kept free of clocks and threads so it can be tested with made-up times.
 *
 * <ul>
 *   <li><b>Leading edge</b>: a change on a quiet system (nothing waiting, nothing running, the last
 *       rebuild started at least {@code holdoff} ago) is rebuilt at once.</li>
 *   <li><b>Bounded trailing edge</b>: a change that finds a rebuild running or waiting, or comes
 *       within {@code holdoff} of the last rebuild's start, waits until the state has been quiet
 *       for {@code holdoff}, but never past {@code maxDelay} after the first change still waiting.</li>
 * </ul>
 * So a burst costs one rebuild at its start and one per {@code holdoff} of quiet (at least one per
 * {@code maxDelay} while it lasts), and a lone change costs no wait at all.
 *
 * <p>Not thread-safe: the scheduler calls it under its own lock. Times are {@link System#nanoTime()}
 * values (any origin; only differences matter).
 */
final class Holdoff {

    private final long holdoffNanos;
    private final long maxDelayNanos;
    private boolean waiting;
    private long firstWaiting;
    private boolean leading; // what waits is a leading-edge rebuild, due at once
    private boolean running;
    private boolean startedOnce;
    private long lastStart; // also when the running rebuild started

    Holdoff(long holdoffNanos, long maxDelayNanos) {
        if (holdoffNanos < 0 || maxDelayNanos < holdoffNanos) {
            throw new IllegalArgumentException("need 0 <= holdoff <= max delay, got " + holdoffNanos + " and " + maxDelayNanos);
        }
        this.holdoffNanos = holdoffNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** A change arrived at {@code now}: how long from now the rebuild that reads it should start. */
    long changed(long now) {
        if (!waiting && !running) {
            waiting = true;
            firstWaiting = now;
            long quietSince = startedOnce ? now - lastStart : Long.MAX_VALUE;
            leading = quietSince >= holdoffNanos;
            return leading ? 0 : holdoffNanos - quietSince;
        }
        if (waiting && leading) {
            return 0; // the rebuild due at once has not started yet: it will read this change too
        }
        if (!waiting) {
            waiting = true; // the running rebuild read the state before this change
            firstWaiting = now;
            leading = false;
        }
        long deadline = Math.min(now + holdoffNanos, firstWaiting + maxDelayNanos);
        return Math.max(0, deadline - now);
    }

    /** A rebuild starts at {@code now}: it reads every change that is waiting. */
    void started(long now) {
        waiting = false;
        leading = false;
        running = true;
        startedOnce = true;
        lastStart = now;
    }

    void finished() {
        running = false;
    }

    /** How long a change has been waiting, or a rebuild running, at {@code now}; 0 when neither. */
    long stalled(long now) {
        long wait = waiting ? now - firstWaiting : 0;
        long run = running ? now - lastStart : 0;
        return Math.max(wait, run);
    }
}
