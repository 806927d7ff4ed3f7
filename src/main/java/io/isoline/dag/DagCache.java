package io.isoline.dag;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one build leaves for the next, so a rebuild after a change pays for what the change can
 * affect: the results of the core's expensive steps (resolving a Service port to a cluster and its
 * endpoints, checking a Secret, walking a root IngressRoute's delegation tree), each with the
 * objects it read. Each build finds which objects changed since the one before (an unchanged object
 * is the very same instance: informers keep it; a changed one is a new instance) and reuses a result
 * when none of what it read is among them, computing it again otherwise. So a build with a cache
 * equals a build without one; the cache only saves work ({@code DagCacheTest} drives random changes
 * and compares after every step).
 *
 * <p>A result no build used is dropped at the end of the build. A change of the build options, of
 * any TLSCertificateDelegation (every Secret check across namespaces reads them all) or of any
 * IngressClass empties the cache, and that build is a full one; so does a build that did not finish.
 *
 * <p>Not thread-safe: one build at a time (the rebuild scheduler's single thread).
 */
public final class DagCache {

    /**
     * A result and what it depends on: the objects read (its inner steps' reads included), what
     * applying it does, and the keys of the steps it ran inside; {@code used}: the last build that
     * computed or reused it.
     */
    static final class Entry {
        final Object value;
        final Set<Reads.Dep> deps;
        final List<Reads.Effect> effects;
        final List<Object> steps;
        int used;

        Entry(Object value, Set<Reads.Dep> deps, List<Reads.Effect> effects, List<Object> steps, int used) {
            this.value = value;
            this.deps = deps;
            this.effects = effects;
            this.steps = steps;
            this.used = used;
        }
    }

    final Map<Object, Entry> entries = new HashMap<>();
    /** What one object alone decides (whether it is ours, the host a root claims), by object instance. */
    final LastUse<Object, Object> ingressRoutesOfOurs = LastUse.byInstance();
    final LastUse<Object, Object> rootClaims = LastUse.byInstance();
    /** The routes a root's walk puts in the host table, by walk (so unchanged roots give the same entries). */
    final LastUse<Object, Object> commitPlans = LastUse.byInstance();
    /** The virtual hosts of the previous build, with the entries they were made from. */
    final HostTable.Outputs hosts = new HostTable.Outputs();
    private Map<ObjectKey, List<EndpointSlice>> slices;
    /** The order of the last build's cluster and endpoint group names. */
    final NameOrder clusterOrder = new NameOrder();
    final NameOrder groupOrder = new NameOrder();
    /** What changed since the previous build, as the reads it would have been found by. */
    Set<Reads.Dep> changed = Set.of();
    int generation;
    /**
     * What changed at each build since the last full one ({@code history.get(i)}: at generation
     * {@code historyBase + i}): a quick build leaves results it did not use in the cache, and a
     * result's reads are checked against every change since the build that last used it.
     */
    private final List<Set<Reads.Dep>> history = new ArrayList<>();
    private int historyBase;
    /** The root steps (see {@link Reads.RootKey}) that read each input: whom a change reaches. */
    private final Map<Reads.Dep, Object> readers = new HashMap<>();
    /** The last build's result, and what its Ingresses read (see {@link QuickBuild}). */
    Dag last;
    Set<Reads.Dep> ingressReads = Set.of();
    /** The previous build's input. */
    ClusterState previousState;
    Map<String, String> previousRejected;
    /** Whether this build keeps what the previous one left (same options, delegations and classes). */
    boolean kept;
    private Object inputs;
    private ClusterState state;
    private Map<String, String> rejected;
    private boolean building;
    private boolean quick;
    private int reused;
    private int computed;

    /** An empty cache: the first build with it is a full build. */
    public DagCache() {
    }

    /** Starts a build of {@code state}; {@code inputs} invalidate everything when they change. */
    void begin(Object inputs, ClusterState state, Map<String, String> rejected) {
        kept = !building && this.state != null && inputs.equals(this.inputs);
        if (!kept) {
            entries.clear();
            readers.clear();
            changed = Set.of();
            slices = null;
            last = null;
        } else {
            changed = Changes.between(this.state, state, this.rejected, rejected, this::moveSlice);
        }
        previousState = this.state;
        previousRejected = this.rejected;
        this.inputs = inputs;
        this.state = state;
        this.rejected = rejected;
        building = true;
        generation++;
        if (!kept) {
            history.clear();
            historyBase = generation;
        }
        history.add(changed);
        reused = 0;
        computed = 0;
        quick = false;
    }

    /** Starts a full build (after {@link #begin}): the per-object memos start their next round. */
    void full() {
        ingressRoutesOfOurs.next(kept);
        rootClaims.next(kept);
        commitPlans.next(kept);
        hosts.next(kept);
    }

    /** How many builds in a row have been quick ones (each leaves its changes in the history). */
    int quickBuilds() {
        return history.size() - 1;
    }

    /** Whether nothing {@code entry} read has changed since the last build that used it. */
    boolean unchanged(Entry entry) {
        if (entry.used < historyBase - 1) {
            return false;
        }
        for (int g = Math.max(entry.used + 1, historyBase); g <= generation; g++) {
            if (!java.util.Collections.disjoint(history.get(g - historyBase), entry.deps)) {
                return false;
            }
        }
        return true;
    }

    /** Stores a step's result; a root step's reads are indexed (see {@link #readers(Reads.Dep)}). */
    void store(Object key, Entry entry) {
        Entry old = entries.put(key, entry);
        if (key instanceof Reads.RootKey) {
            if (old != null) {
                unindex(key, old);
            }
            for (Reads.Dep d : entry.deps) {
                readers.merge(d, key, (a, b) -> a.equals(b) ? a : a instanceof Reads.Readers r ? r.with(b) : new Reads.Readers(a, b));
            }
        }
    }

    private void unindex(Object key, Entry entry) {
        for (Reads.Dep d : entry.deps) {
            readers.computeIfPresent(d, (k, v) -> v.equals(key) ? null : v instanceof Reads.Readers r ? r.without(key) : v);
        }
    }

    /** The root steps whose last result read {@code dep}. */
    List<Object> readers(Reads.Dep dep) {
        Object v = readers.get(dep);
        return v == null ? List.of() : v instanceof Reads.Readers r ? r.keys() : List.of(v);
    }

    /**
     * Every EndpointSlice by the Service it belongs to: {@code all}'s on first use, then kept up to
     * date with each build's changes (a slice's list is replaced, never changed, when one of its
     * slices changes), so a build that resolves one Service does not index every slice.
     */
    Map<ObjectKey, List<EndpointSlice>> slicesByService(java.util.function.Supplier<Map<ObjectKey, List<EndpointSlice>>> all) {
        if (slices == null) {
            slices = all.get();
        }
        return slices;
    }

    private void moveSlice(ObjectKey key, EndpointSlice before, EndpointSlice after) {
        if (slices == null) {
            return;
        }
        ObjectKey from = EndpointIndex.serviceOf(key, before);
        if (from != null) {
            List<EndpointSlice> rest = new ArrayList<>(slices.getOrDefault(from, List.of()));
            rest.removeIf(s -> s == before);
            if (rest.isEmpty()) {
                slices.remove(from);
            } else {
                slices.put(from, rest);
            }
        }
        ObjectKey to = EndpointIndex.serviceOf(key, after);
        if (to != null) {
            List<EndpointSlice> more = new ArrayList<>(slices.getOrDefault(to, List.of()));
            more.add(after);
            slices.put(to, more);
        }
    }

    /** Ends a full build: what it did not use is dropped. */
    void end(Dag dag) {
        entries.entrySet().removeIf(e -> {
            boolean drop = e.getValue().used != generation;
            if (drop && e.getKey() instanceof Reads.RootKey) {
                unindex(e.getKey(), e.getValue());
            }
            return drop;
        });
        history.clear();
        historyBase = generation + 1;
        last = dag;
        building = false;
    }

    /** Ends a quick build: results it did not use stay (checked against {@link #history} when next used). */
    void endQuick(Dag dag) {
        last = dag;
        quick = true;
        building = false;
    }

    /** Whether the last build was a quick one ({@link QuickBuild}): it touched only what the changes reach. */
    public boolean quick() {
        return quick;
    }

    void counted(boolean hit) {
        if (hit) {
            reused++;
        } else {
            computed++;
        }
    }

    /** Results the last build reused from the one before. */
    public int reused() {
        return reused;
    }

    /** Results the last build computed (new, or something they read changed). */
    public int computed() {
        return computed;
    }
}
