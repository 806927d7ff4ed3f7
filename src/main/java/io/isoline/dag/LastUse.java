package io.isoline.dag;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values computed by a pure function, remembered for the keys the last round used: a round reuses
 * what the one before computed and forgets what it did not use, so nothing outlives the objects it
 * was made from by more than a round. Keys are compared by value or, for objects that stay the same
 * instance while unchanged, by instance (no hashing of their content).
 *
 * <p>Not thread-safe: one round at a time.
 */
public final class LastUse<K, V> {

    private final Map<K, Slot<V>> values;
    private int round;

    /** A value and the last round that used it. */
    private static final class Slot<V> {
        final V value;
        int used;

        Slot(V value, int used) {
            this.value = value;
            this.used = used;
        }
    }

    private LastUse(boolean byInstance) {
        this.values = byInstance ? new IdentityHashMap<>() : new HashMap<>();
    }

    /** Keys compared by value ({@code equals}). */
    public static <K, V> LastUse<K, V> byValue() {
        return new LastUse<>(false);
    }

    /** Keys compared by instance. */
    public static <K, V> LastUse<K, V> byInstance() {
        return new LastUse<>(true);
    }

    /** The value for {@code key}: this round's, the last round's, or {@code compute}'s. */
    public V get(K key, Function<? super K, ? extends V> compute) {
        Slot<V> slot = values.get(key);
        if (slot == null) {
            slot = new Slot<>(compute.apply(key), round);
            values.put(key, slot);
        } else {
            slot.used = round;
        }
        return slot.value;
    }

    /** Forgets {@code key}'s value (an object no build will see again: it was replaced). */
    public void forget(K key) {
        values.remove(key);
    }

    /** Starts the next round; {@code keep} false forgets everything (the inputs of the function changed). */
    public void next(boolean keep) {
        if (keep) {
            int last = round;
            values.values().removeIf(s -> s.used != last);
        } else {
            values.clear();
        }
        round++;
    }
}
