package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.NodeGroup;
import io.envoyproxy.envoy.config.core.v3.Node;

/**
 * Which configuration a connecting xDS node gets. Today every node is in the {@link #ENVOY} group;
 * proxyless gRPC clients get their own group once it carries their extra listeners.
 *
 * <p>Stateless and thread-safe.
 */
public final class NodeGroups implements NodeGroup<String> {

    public static final String ENVOY = "envoy";

    @Override
    public String hash(Node node) {
        return ENVOY;
    }
}
