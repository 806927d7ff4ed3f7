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
    private Object inputs;
    private ClusterState state;
    private Map<String, String> rejected;
    private boolean building;
    private int reused;
    private int computed;

    /** An empty cache: the first build with it is a full build. */
    public DagCache() {
    }

    /** Starts a build of {@code state}; {@code inputs} invalidate everything when they change. */
    void begin(Object inputs, ClusterState state, Map<String, String> rejected) {
        boolean keep = !building && this.state != null && inputs.equals(this.inputs);
        ingressRoutesOfOurs.next(keep);
        rootClaims.next(keep);
        commitPlans.next(keep);
        hosts.next(keep);
        if (!keep) {
            entries.clear();
            changed = Set.of();
            slices = null;
        } else {
            changed = Changes.between(this.state, state, this.rejected, rejected, this::moveSlice);
        }
        this.inputs = inputs;
        this.state = state;
        this.rejected = rejected;
        building = true;
        generation++;
        reused = 0;
        computed = 0;
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

    /** Ends a build: what it did not use is dropped. */
    void end() {
        entries.values().removeIf(e -> e.used != generation);
        building = false;
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
