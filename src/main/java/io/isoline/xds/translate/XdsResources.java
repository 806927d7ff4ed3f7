package io.isoline.xds.translate;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.isoline.dag.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One complete configuration: the five resource lists Envoy gets, each sorted by name, the API
 * listeners proxyless gRPC clients also get, and a version per type derived from content. A change to endpoints alone changes only {@link #endpointsVersion()},
 * so only EDS is re-sent; equal content always gives equal versions, on any machine.
 *
 * <p>Immutable and thread-safe: built once per rebuild and shared by every stream.
 */
public record XdsResources(
        List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints, List<Secret> secrets, List<Listener> apiListeners,
        String listenersVersion, String routesVersion, String clustersVersion,
        String endpointsVersion, String secretsVersion, String apiListenersVersion) {

    public XdsResources {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
        secrets = List.copyOf(secrets);
        apiListeners = List.copyOf(apiListeners);
    }

    /** Resources with versions computed from their content. */
    public static XdsResources of(List<Listener> listeners, List<RouteConfiguration> routes,
            List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Secret> secrets,
            List<Listener> apiListeners) {
        return of(listeners, routes, clusters, endpoints, secrets, apiListeners, TranslationMemo.none());
    }

    /** {@link #of} with each message's digest taken from {@code memo} when it has the message. */
    static XdsResources of(List<Listener> listeners, List<RouteConfiguration> routes,
            List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Secret> secrets,
            List<Listener> apiListeners, TranslationMemo memo) {
        return new XdsResources(listeners, routes, clusters, endpoints, secrets, apiListeners,
                hash("listeners", listeners, memo), hash("routes", routes, memo), hash("clusters", clusters, memo),
                hash("endpoints", endpoints, memo), hash("secrets", secrets, memo), hash("api listeners", apiListeners, memo));
    }

    /** What proxyless gRPC clients get as listeners: Envoy's, plus one API listener per virtual host. */
    public List<Listener> grpcListeners() {
        List<Listener> all = new java.util.ArrayList<>(listeners);
        all.addAll(apiListeners);
        return all;
    }

    /** One version for the whole configuration, derived from the per-type versions. */
    public String version() {
        String all = String.join(",", listenersVersion, routesVersion, clustersVersion, endpointsVersion,
                secretsVersion, apiListenersVersion);
        return ContentHash.sha256(all.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** A type's version: a digest of its messages' contents, in order (see {@link TranslationMemo#listDigest}). */
    private static String hash(String type, List<? extends Message> messages, TranslationMemo memo) {
        return memo.typeDigest(type, messages).substring(0, 16);
    }

    /** The deterministic serialization of {@code m} (map entries in key order), the same on any machine. */
    static byte[] serialized(Message m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(32, m.getSerializedSize()));
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            m.writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("serializing to memory cannot fail", e);
        }
    }
}
