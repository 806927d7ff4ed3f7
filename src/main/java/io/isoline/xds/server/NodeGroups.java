package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Which configuration a connecting xDS node gets: proxyless gRPC clients (their libraries fill the
 * node's {@code user_agent_name} with a name starting with "gRPC": "gRPC Java", "gRPC Go", "gRPC
 * Node.js", "gRPC C-core" based ones) are in {@link #GRPC} and also get an API listener per virtual
 * host; everything else, Envoy included, is in {@link #ENVOY}.
 *
 * <p>Stateless and thread-safe.
 */
public final class NodeGroups implements NodeGroup<String> {

    public static final String ENVOY = "envoy";
    public static final String GRPC = "grpc";

    @Override
    public String hash(Node node) {
        return node.getUserAgentName().startsWith("gRPC") ? GRPC : ENVOY;
    }
}
