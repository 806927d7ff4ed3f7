package io.isoline.xds.server;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Snapshot;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * State-of-the-world EDS one cluster at a time. The xDS protocol lets a server leave out of an EDS
 * response the ClusterLoadAssignments a client already has (unlike LDS and CDS, a missing one is not
 * a removal), and every xDS client honours that. java-control-plane versions EDS as a whole, so an
 * endpoint change in one cluster would re-send every cluster to every node. Here a response carries
 * only the assignments that changed since the version the stream last acknowledged, plus the ones
 * the client newly asked for; delta xDS already works that way and passes through untouched.
 *
 * <p>It needs to know, per stream, what was sent: the xDS server calls
 * {@link #onV3StreamRequest} on the thread that then creates the watch, which is how a watch learns
 * its stream. When that does not hold (or the stream is new, or the request is a NACK), the response
 * is complete, exactly as without this class.
 *
 * <p>Thread-safe: per-stream state is in a concurrent map (removed when the stream closes) and
 * written by one response at a time; the version histories are small bounded maps under one lock
 * (the endpoint history's), the cached diffs under their own.
 */
final class EndpointUpdates extends ForwardingWatcher implements DiscoveryServerCallbacks {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EndpointUpdates.class);

    /** Versions remembered per type (both node groups); a stream further behind gets a complete response. */
    static final int HISTORY = 8;

    private record Current(long stream, DiscoveryRequest request) {
    }

    /** What one ADS stream was sent. */
    private static final class Sent {
        volatile String clusters;           // the CDS version last sent
        volatile String endpoints;          // the EDS version last sent
        volatile List<String> names = List.of(); // the EDS names asked for when it was sent
        volatile String clustersAtEndpoints; // the CDS version when the EDS version was sent
    }

    private final ThreadLocal<Current> current = new ThreadLocal<>();
    private final Map<Long, Sent> streams = new ConcurrentHashMap<>();
    private final Map<String, Map<String, VersionedResource<?>>> endpointHistory = bounded(HISTORY);
    private final Map<String, Map<String, VersionedResource<?>>> clusterHistory = bounded(HISTORY);
    private final Map<String, Set<String>> diffs = bounded(4 * HISTORY);

    EndpointUpdates(ConfigWatcher delegate) {
        super(delegate);
    }

    /** Remembers a snapshot's clusters and endpoints by version; called before it is set in the cache. */
    void record(Snapshot snapshot) {
        synchronized (endpointHistory) {
            endpointHistory.putIfAbsent(snapshot.version(ResourceType.ENDPOINT, List.of()),
                    snapshot.versionedResources(ResourceType.ENDPOINT));
            clusterHistory.putIfAbsent(snapshot.version(ResourceType.CLUSTER, List.of()),
                    snapshot.versionedResources(ResourceType.CLUSTER));
        }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        current.set(new Current(streamId, request));
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        streams.remove(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        streams.remove(streamId);
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
            Consumer<Response> responseConsumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
        Current c = current.get();
        current.remove();
        ResourceType type = request.getResourceType();
        if (!ads || c == null || c.request() != request.v3Request()
                || (type != ResourceType.ENDPOINT && type != ResourceType.CLUSTER)) {
            return delegate.createWatch(ads, request, knownResourceNames, responseConsumer, hasClusterChanged,
                    allowDefaultEmptyEdsUpdate);
        }
        Sent sent = streams.computeIfAbsent(c.stream(), id -> new Sent());
        if (type == ResourceType.CLUSTER) {
            return delegate.createWatch(true, request, knownResourceNames, response -> {
                sent.clusters = response.version(); // CDS goes out before EDS in every publish
                responseConsumer.accept(response);
            }, hasClusterChanged, allowDefaultEmptyEdsUpdate);
        }
        DiscoveryRequest q = request.v3Request();
        boolean ack = !q.getResponseNonce().isEmpty() && !q.hasErrorDetail();
        Set<String> known = knownResourceNames;
        if (ack && q.getVersionInfo().equals(sent.endpoints)) {
            // The stream holds everything it asked for then, at that version (sent now or before).
            known = new HashSet<>(knownResourceNames);
            known.addAll(sent.names);
        }
        Set<String> fresh = new HashSet<>(q.getResourceNamesList());
        fresh.removeAll(known);
        // Clusters sent since this stream's last EDS response are re-warmed by Envoy, which waits for
        // their assignments even when the EDS version did not change (a cluster replaced by one with
        // new options and the same endpoints). java-control-plane's own flag for this is cleared by
        // whichever EDS request comes next, which can be an ACK already on its way, so it is also
        // derived here from what this stream was sent.
        String clustersThen = sent.clustersAtEndpoints;
        boolean tracked = sent.clusters != null && !sent.clusters.equals(clustersThen);
        boolean rewarm = hasClusterChanged || tracked;
        // After a NACK or on a new stream: complete responses. While Envoy re-warms clusters after
        // CDS, the response is forced (rewarm) but still only what changed, is new, or belongs to a
        // cluster this stream was sent since its last EDS response (onlyChanged), whether this ACK
        // was sent before or after those clusters went out; complete if java-control-plane saw a
        // cluster change this stream's record does not show.
        String base = ack && (tracked || !hasClusterChanged) ? q.getVersionInfo() : null;
        return delegate.createWatch(true, request, Collections.unmodifiableSet(known), response -> {
            String clustersNow = sent.clusters;
            Response out = base == null ? response : onlyChanged(response, base, fresh, clustersThen, clustersNow);
            if (LOG.isDebugEnabled()) {
                LOG.debugf("stream %d: EDS %s -> %s, %d of %d assignments sent (asked for %s, new %s, clusters %s -> %s)",
                        c.stream(), base, out.version(), out.resources().size(), response.resources().size(),
                        q.getResourceNamesList(), fresh, clustersThen, clustersNow);
            }
            sent.endpoints = out.version();
            sent.names = q.getResourceNamesList();
            sent.clustersAtEndpoints = clustersNow;
            responseConsumer.accept(out);
        }, rewarm, allowDefaultEmptyEdsUpdate);
    }

    /**
     * {@code response} without the assignments the stream already has: kept are those changed since
     * {@code base}, those newly asked for, and those of clusters changed since the stream's last EDS
     * response (Envoy re-warms a changed cluster and waits for its assignment). Complete when any
     * version involved is no longer remembered.
     */
    private Response onlyChanged(Response response, String base, Set<String> fresh, String clustersThen, String clustersNow) {
        Set<String> changed = changed(endpointHistory, "eds", base, response.version());
        Set<String> rewarmed = Objects.equals(clustersThen, clustersNow) ? Set.of()
                : clustersThen == null || clustersNow == null ? null
                : changed(clusterHistory, "cds", clustersThen, clustersNow);
        if (changed == null || rewarmed == null) {
            return response;
        }
        List<? extends Message> kept = response.resources().stream().filter(m -> {
            String name = ((ClusterLoadAssignment) m).getClusterName();
            return fresh.contains(name) || changed.contains(name) || rewarmed.contains(name);
        }).toList();
        return kept.size() == response.resources().size() ? response : Response.create(response.request(), kept, response.version());
    }

    /** The assignment a resource is or uses: a ClusterLoadAssignment's own name, an EDS cluster's service name. */
    private static String assignmentName(Message m) {
        if (m instanceof ClusterLoadAssignment cla) {
            return cla.getClusterName();
        }
        Cluster c = (Cluster) m;
        String service = c.getEdsClusterConfig().getServiceName();
        return service.isEmpty() ? c.getName() : service;
    }

    /**
     * The assignments touched by resources added or changed from version {@code from} to {@code to}
     * of one type; null if either version is no longer remembered.
     */
    private Set<String> changed(Map<String, Map<String, VersionedResource<?>>> history, String type, String from, String to) {
        String key = type + "\n" + from + "\n" + to;
        synchronized (diffs) {
            Set<String> cached = diffs.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Map<String, VersionedResource<?>> before;
        Map<String, VersionedResource<?>> after;
        synchronized (endpointHistory) {
            before = history.get(from);
            after = history.get(to);
        }
        if (before == null || after == null) {
            return null;
        }
        Set<String> out = new HashSet<>();
        after.forEach((name, resource) -> {
            VersionedResource<?> old = before.get(name);
            if (old == null || !Objects.equals(old.resource(), resource.resource())) {
                out.add(assignmentName(resource.resource()));
            }
        });
        Set<String> result = Set.copyOf(out);
        synchronized (diffs) {
            diffs.put(key, result);
        }
        return result;
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
