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
 * One complete Envoy configuration: the five resource lists, each sorted by name, and a version per
 * type derived from content. A change to endpoints alone changes only {@link #endpointsVersion()},
 * so only EDS is re-sent; equal content always gives equal versions, on any machine.
 *
 * <p>Immutable and thread-safe: built once per rebuild and shared by every stream.
 */
public record XdsResources(
        List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints, List<Secret> secrets,
        String listenersVersion, String routesVersion, String clustersVersion,
        String endpointsVersion, String secretsVersion) {

    public XdsResources {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
        secrets = List.copyOf(secrets);
    }

    /** Resources with versions computed from their content. */
    public static XdsResources of(List<Listener> listeners, List<RouteConfiguration> routes,
            List<Cluster> clusters, List<ClusterLoadAssignment> endpoints, List<Secret> secrets) {
        return new XdsResources(listeners, routes, clusters, endpoints, secrets,
                hash(listeners), hash(routes), hash(clusters), hash(endpoints), hash(secrets));
    }

    /** One version for the whole configuration, derived from the per-type versions. */
    public String version() {
        String all = String.join(",", listenersVersion, routesVersion, clustersVersion, endpointsVersion,
                secretsVersion);
        return ContentHash.sha256(all.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String hash(List<? extends Message> messages) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            for (Message m : messages) {
                out.writeMessageNoTag(m);
            }
            out.flush();
            return ContentHash.sha256(bytes.toByteArray()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("serializing to memory cannot fail", e);
        }
    }
}
