package io.isoline.dag;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two builds' inputs, as the {@link Reads.Dep}s that would have found it: an
 * object added, removed or replaced by another instance, a Service whose EndpointSlices changed, a
 * rejection given, changed or taken back. Both states are sorted by key, so each kind is one walk
 * along both maps.
 */
final class Changes {

    private Changes() {
    }

    /** Calls {@code changed} for each key whose value is not the same instance in {@code before} and {@code after}. */
    interface Change<V> {
        void at(ObjectKey key, V before, V after);
    }

    /** The changes between two builds' inputs; {@code slices} is told each EndpointSlice that changed. */
    static Set<Reads.Dep> between(ClusterState before, ClusterState after, Map<String, String> rejectedBefore,
            Map<String, String> rejectedAfter, Change<EndpointSlice> slices) {
        Set<Reads.Dep> out = new HashSet<>();
        walk(before.services(), after.services(), (k, b, a) -> out.add(new Reads.Dep(Reads.Source.SERVICE, k)));
        walk(before.endpoints(), after.endpoints(), (k, b, a) -> out.add(new Reads.Dep(Reads.Source.ENDPOINTS, k)));
        walk(before.secrets(), after.secrets(), (k, b, a) -> out.add(new Reads.Dep(Reads.Source.SECRET, k)));
        walk(before.ingressRoutes(), after.ingressRoutes(), (k, b, a) -> out.add(new Reads.Dep(Reads.Source.INGRESS_ROUTE, k)));
        walk(before.httpProxies(), after.httpProxies(), (k, b, a) -> out.add(new Reads.Dep(Reads.Source.HTTP_PROXY, k)));
        Change<EndpointSlice> slice = (k, b, a) -> {
            for (EndpointSlice s : new EndpointSlice[] {b, a}) {
                ObjectKey service = EndpointIndex.serviceOf(k, s);
                if (service != null) {
                    out.add(new Reads.Dep(Reads.Source.SLICES, service));
                }
            }
            slices.at(k, b, a);
        };
        walk(before.endpointSlices(), after.endpointSlices(), slice);
        Set<String> owners = new HashSet<>(rejectedBefore.keySet());
        owners.addAll(rejectedAfter.keySet());
        owners.stream().filter(o -> !Objects.equals(rejectedBefore.get(o), rejectedAfter.get(o)))
                .forEach(o -> out.add(new Reads.Dep(Reads.Source.REJECTED, o)));
        return out;
    }

    /** Walks two maps sorted by the same key order at once. */
    static <V> void walk(NavigableMap<ObjectKey, V> before, NavigableMap<ObjectKey, V> after, Change<V> changed) {
        if (before == after) {
            return;
        }
        Iterator<Map.Entry<ObjectKey, V>> b = before.entrySet().iterator();
        Iterator<Map.Entry<ObjectKey, V>> a = after.entrySet().iterator();
        Map.Entry<ObjectKey, V> x = b.hasNext() ? b.next() : null;
        Map.Entry<ObjectKey, V> y = a.hasNext() ? a.next() : null;
        while (x != null || y != null) {
            int order = x == null ? 1 : y == null ? -1 : x.getKey() == y.getKey() ? 0 : x.getKey().compareTo(y.getKey());
            if (order < 0) {
                changed.at(x.getKey(), x.getValue(), null);
                x = b.hasNext() ? b.next() : null;
            } else if (order > 0) {
                changed.at(y.getKey(), null, y.getValue());
                y = a.hasNext() ? a.next() : null;
            } else {
                if (x.getValue() != y.getValue()) {
                    changed.at(x.getKey(), x.getValue(), y.getValue());
                }
                x = b.hasNext() ? b.next() : null;
                y = a.hasNext() ? a.next() : null;
            }
        }
    }
}
