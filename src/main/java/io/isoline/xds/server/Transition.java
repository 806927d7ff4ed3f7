package io.isoline.xds.server;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.isoline.xds.translate.XdsResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Make before break: the snapshots to publish, in order, to go from one configuration to the next
 * without a request meeting a route to a cluster Envoy does not have yet, or that it has already
 * removed. The xDS protocol asks for this order (clusters and their endpoints before the routes
 * that use them; stale clusters removed only after); java-control-plane sends each type on its own
 * as soon as a snapshot is set, so the publisher sets these steps one at a time and waits for the
 * clients between them:
 * <ol>
 * <li><b>add</b>: the previous listeners and routes, with the union of old and new clusters,
 * endpoints and secrets (only when something is added and listeners or routes change);
 * <li><b>switch</b>: the new listeners and routes, still with the union (only when something is
 * removed);
 * <li>the new configuration.
 * </ol>
 * Pure: no I/O; thread-safe.
 */
final class Transition {

    private Transition() {
    }

    /** The snapshots to set in order; the last is always {@code next}. */
    static List<XdsResources> steps(XdsResources previous, XdsResources next) {
        if (previous == null || sameNames(previous.clusters(), next.clusters(), Cluster::getName)
                && sameNames(previous.secrets(), next.secrets(), Secret::getName)) {
            return List.of(next); // nothing added or removed (the usual change): no step between
        }
        List<Cluster> clusters = union(previous.clusters(), next.clusters(), Cluster::getName);
        List<ClusterLoadAssignment> endpoints = union(previous.endpoints(), next.endpoints(), ClusterLoadAssignment::getClusterName);
        List<Secret> secrets = union(previous.secrets(), next.secrets(), Secret::getName);
        boolean adds = clusters.size() > previous.clusters().size() || secrets.size() > previous.secrets().size();
        boolean removes = clusters.size() > next.clusters().size() || secrets.size() > next.secrets().size();
        boolean switches = !previous.listenersVersion().equals(next.listenersVersion())
                || !previous.routesVersion().equals(next.routesVersion())
                || !previous.apiListenersVersion().equals(next.apiListenersVersion());
        List<XdsResources> steps = new ArrayList<>();
        if (adds && switches) {
            steps.add(XdsResources.of(previous.listeners(), previous.routes(), clusters, endpoints, secrets, previous.apiListeners()));
        }
        if (removes && switches) {
            steps.add(XdsResources.of(next.listeners(), next.routes(), clusters, endpoints, secrets, next.apiListeners()));
        }
        steps.add(next);
        return steps;
    }

    /** Whether two lists sorted by name hold resources of the same names (one pass, no map). */
    private static <M extends Message> boolean sameNames(List<M> older, List<M> newer, Function<M, String> name) {
        if (older.size() != newer.size()) {
            return false;
        }
        for (int i = 0; i < older.size(); i++) {
            if (!name.apply(older.get(i)).equals(name.apply(newer.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** {@code older}'s resources with {@code newer}'s replacing those of the same name, sorted by name. */
    private static <M extends Message> List<M> union(List<M> older, List<M> newer, Function<M, String> name) {
        Map<String, M> all = new TreeMap<>();
        older.forEach(m -> all.put(name.apply(m), m));
        newer.forEach(m -> all.put(name.apply(m), m));
        return List.copyOf(all.values());
    }
}
