package io.isoline.dag;

import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One build's bookkeeping for the {@link DagCache}: every read of an input the memoized steps make
 * goes through {@link #read}, every effect they have on the build (a warning, a cluster registered)
 * through {@link #effect}, and {@link #memo} runs a step, or reuses the previous build's result of
 * it when all it read is unchanged, replaying its effects. A step inside a step passes its reads and
 * effects on to the outer one, so a reused outer result is checked against everything beneath it.
 *
 * <p>Not thread-safe: one per build.
 */
final class Reads {

    /** Where a read looked. */
    enum Source { SERVICE, ENDPOINTS, SLICES, SECRET, INGRESS_ROUTE, HTTP_PROXY, REJECTED }

    /** One read: the source and the key looked up. */
    record Dep(Source source, Object key) {
    }

    /** What a step did to the build beside returning its result; replayed when the result is reused. */
    interface Effect {
        void apply(BuildContext ctx);
    }

    /** A warning a step gave (see {@link BuildContext#warnings}). */
    record Warned(String warning) implements Effect {
        @Override
        public void apply(BuildContext ctx) {
            ctx.warnings.append(warning);
        }
    }

    /** The key of a root's whole walk: the {@link DagCache} indexes what each one read. */
    interface RootKey {
    }

    /** More than one root step reading an input (one is kept as itself). */
    record Readers(List<Object> keys) {
        Readers(Object a, Object b) {
            this(List.of(a, b));
        }

        Object with(Object key) {
            if (keys.contains(key)) {
                return this;
            }
            List<Object> more = new ArrayList<>(keys);
            more.add(key);
            return new Readers(List.copyOf(more));
        }

        /** Without {@code key}: null when none is left, the one left itself. */
        Object without(Object key) {
            List<Object> rest = new ArrayList<>(keys);
            rest.remove(key);
            return rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0) : new Readers(List.copyOf(rest));
        }
    }

    private static final class Frame {
        final Set<Dep> deps = new HashSet<>();
        final List<Effect> effects = new ArrayList<>();
        final List<Object> steps = new ArrayList<>();
    }

    private final DagCache cache;
    private final BuildContext ctx;
    private final Deque<Frame> frames = new ArrayDeque<>();

    Reads(DagCache cache, BuildContext ctx) {
        this.cache = cache;
        this.ctx = ctx;
    }

    /** Records that the current steps read {@code source}/{@code key} (and found {@code value}); returns the value. */
    <T> T read(Source source, Object key, T value) {
        Frame top = frames.peek();
        if (top != null) {
            top.deps.add(new Dep(source, key));
        }
        return value;
    }

    /** Applies {@code effect} to this build and records it for the current steps. */
    void effect(Effect effect) {
        effect.apply(ctx);
        Frame top = frames.peek();
        if (top != null) {
            top.effects.add(effect);
        }
    }

    /** A view of {@code map} whose look-ups are recorded as reads of {@code source} (only get and containsKey). */
    <K, V> Map<K, V> recorded(Source source, Map<K, V> map) {
        return new AbstractMap<>() {
            @Override
            public V get(Object key) {
                return read(source, key, map.get(key));
            }

            @Override
            public boolean containsKey(Object key) {
                return get(key) != null;
            }

            @Override
            public Set<Entry<K, V>> entrySet() {
                throw new UnsupportedOperationException("a recorded view only answers look-ups");
            }
        };
    }

    /**
     * The result of {@code step} under {@code key} (unique across steps: a record naming the step
     * and its arguments): this build's, the previous build's if nothing it read has changed since, or
     * computed now.
     */
    @SuppressWarnings("unchecked")
    <T> T memo(Object key, Supplier<T> step) {
        DagCache.Entry entry = cache.entries.get(key);
        if (entry != null && entry.used != cache.generation) {
            if (cache.unchanged(entry)) {
                // Its inner steps are not marked: unless another step uses them, they are dropped,
                // and computed again only if this step is.
                entry.used = cache.generation;
                cache.counted(true);
            } else {
                entry = null;
            }
        }
        if (entry != null) {
            entry.effects.forEach(e -> e.apply(ctx));
            pass(key, entry.deps, entry.effects);
            return (T) entry.value;
        }
        Frame frame = new Frame();
        frames.push(frame);
        T value;
        try {
            value = step.get();
        } finally {
            frames.pop();
        }
        cache.store(key, new DagCache.Entry(value, frame.deps, List.copyOf(frame.effects), List.copyOf(frame.steps),
                cache.generation));
        cache.counted(false);
        pass(key, frame.deps, frame.effects);
        return value;
    }

    private void pass(Object key, Set<Dep> deps, List<Effect> effects) {
        Frame outer = frames.peek();
        if (outer != null) {
            outer.deps.addAll(deps);
            outer.effects.addAll(effects);
            outer.steps.add(key);
        }
    }

    /** Everything {@code run} read, its steps' reads included (its effects apply as usual). */
    Set<Dep> tracked(Runnable run) {
        Frame frame = new Frame();
        frames.push(frame);
        try {
            run.run();
        } finally {
            frames.pop();
        }
        return frame.deps;
    }


    /** Whether two lists hold the very same instances in the same order. */
    static boolean sameInstances(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
