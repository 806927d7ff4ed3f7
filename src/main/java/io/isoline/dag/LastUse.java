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

    private final boolean byInstance;
    private Map<K, V> previous;
    private Map<K, V> current;

    private LastUse(boolean byInstance) {
        this.byInstance = byInstance;
        this.previous = map(16);
        this.current = map(16);
    }

    /** Keys compared by value ({@code equals}). */
    public static <K, V> LastUse<K, V> byValue() {
        return new LastUse<>(false);
    }

    /** Keys compared by instance. */
    public static <K, V> LastUse<K, V> byInstance() {
        return new LastUse<>(true);
    }

    private Map<K, V> map(int size) {
        return byInstance ? new IdentityHashMap<>(size) : new HashMap<>(size * 4 / 3 + 1);
    }

    /** The value for {@code key}: this round's, the last round's, or {@code compute}'s (which must not return null). */
    public V get(K key, Function<? super K, ? extends V> compute) {
        V v = current.get(key);
        if (v == null) {
            v = previous.get(key);
            if (v == null) {
                v = compute.apply(key);
            }
            current.put(key, v);
        }
        return v;
    }

    /** Starts the next round; {@code keep} false forgets everything (the inputs of the function changed). */
    public void next(boolean keep) {
        previous = keep ? current : map(16);
        current = map(Math.max(16, previous.size()));
    }
}
