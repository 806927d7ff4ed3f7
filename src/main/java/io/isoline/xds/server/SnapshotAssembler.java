package io.isoline.xds.server;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.isoline.xds.translate.XdsResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes java-control-plane snapshots from {@link XdsResources}, paying only for the types that
 * changed since the previous call: a type whose version is unchanged is the very same
 * {@link SnapshotResources} again, and in a changed type each message that is the same instance as
 * before keeps its {@link VersionedResource} (whose per-resource version is a hash of the whole
 * message). Envoy's and the proxyless clients' snapshots share every type but listeners. The
 * result is what {@code Snapshot.create} gives for the same resources ({@code SnapshotAssemblerTest}).
 *
 * <p>Not thread-safe: one assembler per publishing thread.
 */
final class SnapshotAssembler {

    /** One slot per resource list kept: the version it was made for and what was made. */
    private final Map<String, Made<?>> made = new HashMap<>();
    /** Version pairs already checked by {@link #ensureConsistent}: clusters|endpoints, listeners|routes. */
    private final Map<String, Boolean> consistent = new HashMap<>();

    private record Made<T extends Message>(String version, SnapshotResources<T> resources) {
    }

    /** Envoy's snapshot. */
    Snapshot envoy(XdsResources r) {
        return assemble(r, resources("listeners", r::listeners, r.listenersVersion()));
    }

    /** What proxyless gRPC clients get: Envoy's snapshot plus the API listeners. */
    Snapshot grpc(XdsResources r) {
        return assemble(r, resources("grpc-listeners", r::grpcListeners, r.listenersVersion() + "-" + r.apiListenersVersion()));
    }

    /** Every type but listeners is the same for both node groups. */
    private Snapshot assemble(XdsResources r, SnapshotResources<Listener> listeners) {
        return new Assembled(
                resources("clusters", r::clusters, r.clustersVersion()),
                resources("endpoints", r::endpoints, r.endpointsVersion()),
                listeners,
                resources("routes", r::routes, r.routesVersion()),
                resources("secrets", r::secrets, r.secretsVersion()));
    }

    /**
     * {@link Snapshot#ensureConsistent()}, remembered per version pair: whether every EDS name has
     * its assignment and every RDS name its route table depends only on those types' content.
     */
    void ensureConsistent(Snapshot s) throws SnapshotConsistencyException {
        String key = s.clusters().version() + "|" + s.endpoints().version() + "|" + s.listeners().version()
                + "|" + s.routes().version();
        if (consistent.containsKey(key)) {
            return;
        }
        s.ensureConsistent();
        if (consistent.size() > 64) {
            consistent.clear(); // a bounded memory of recent pairs
        }
        consistent.put(key, Boolean.TRUE);
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> SnapshotResources<T> resources(String slot, java.util.function.Supplier<List<? extends T>> list,
            String version) {
        Made<T> before = (Made<T>) made.get(slot);
        if (before != null && before.version().equals(version)) {
            return before.resources(); // the list is not even made (grpcListeners() copies)
        }
        List<? extends T> messages = list.get();
        Map<String, VersionedResource<T>> old = before == null ? Map.of() : before.resources().versionedResources();
        List<VersionedResource<T>> wrapped = new ArrayList<>(messages.size());
        for (T m : messages) {
            VersionedResource<T> kept = old.isEmpty() ? null : old.get(io.envoyproxy.controlplane.cache.Resources.getResourceName(m));
            wrapped.add(kept != null && kept.resource() == m ? kept : VersionedResource.create(m));
        }
        SnapshotResources<T> made = SnapshotResources.create(wrapped, names -> version);
        this.made.put(slot, new Made<>(version, made));
        return made;
    }

    /** A snapshot of five prepared resource sets. */
    private static final class Assembled extends Snapshot {
        private final SnapshotResources<Cluster> clusters;
        private final SnapshotResources<ClusterLoadAssignment> endpoints;
        private final SnapshotResources<Listener> listeners;
        private final SnapshotResources<RouteConfiguration> routes;
        private final SnapshotResources<Secret> secrets;

        Assembled(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
                SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes,
                SnapshotResources<Secret> secrets) {
            this.clusters = clusters;
            this.endpoints = endpoints;
            this.listeners = listeners;
            this.routes = routes;
            this.secrets = secrets;
        }

        @Override
        public SnapshotResources<Cluster> clusters() {
            return clusters;
        }

        @Override
        public SnapshotResources<ClusterLoadAssignment> endpoints() {
            return endpoints;
        }

        @Override
        public SnapshotResources<Listener> listeners() {
            return listeners;
        }

        @Override
        public SnapshotResources<RouteConfiguration> routes() {
            return routes;
        }

        @Override
        public SnapshotResources<Secret> secrets() {
            return secrets;
        }

        /**
         * The same as the library's own (v3.Snapshot declares it with a return type javac does not
         * accept as overriding its superclass's, so a subclass must declare it again; raw for that reason).
         */
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Map versionedResources(io.envoyproxy.controlplane.cache.Resources.ResourceType type) {
            return switch (type) {
                case CLUSTER -> clusters.versionedResources();
                case ENDPOINT -> endpoints.versionedResources();
                case LISTENER -> listeners.versionedResources();
                case ROUTE -> routes.versionedResources();
                case SECRET -> secrets.versionedResources();
            };
        }
    }
}
