package io.isoline.source;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which watches count as lost: those not watching at every look for at least the grace period. A
 * watch that is back (or gone) is forgotten, so a routine reconnect between two looks never counts.
 *
 * <p>Pure apart from the times it is given; thread-safe.
 */
final class LostWatches {

    private final long graceNanos;
    /** watch -> when it was first seen not watching (in the caller's nanoTime). */
    private final Map<String, Long> notWatchingSince = new HashMap<>();

    LostWatches(long graceNanos) {
        this.graceNanos = graceNanos;
    }

    /**
     * @param watching every watch there is now, and whether it is watching
     * @param now      the caller's {@code System.nanoTime()}
     * @return the watches lost for at least the grace period, sorted
     */
    synchronized SortedSet<String> look(Map<String, Boolean> watching, long now) {
        notWatchingSince.keySet().removeIf(w -> !watching.containsKey(w) || watching.get(w));
        SortedSet<String> lost = new TreeSet<>();
        watching.forEach((watch, ok) -> {
            if (!ok && now - notWatchingSince.computeIfAbsent(watch, w -> now) >= graceNanos) {
                lost.add(watch);
            }
        });
        return lost;
    }
}
