package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Proxyless gRPC clients are answered with the requested resources that exist. In ADS mode
 * java-control-plane answers a request only when every name in it exists, which suits Envoy (it
 * asks for routes and endpoints its listeners and clusters name) but not gRPC clients: they ask for
 * clusters by name, so when a cluster is removed they would never hear of it and keep waiting.
 * For them a state-of-the-world CDS or LDS response without a requested name is how a removal is
 * told; a missing route table or assignment is only "not (yet) there" to them.
 *
 * <p>Thread-safe: stateless.
 */
final class ProxylessWatcher extends ForwardingWatcher {

    private final NodeGroups groups = new NodeGroups();

    ProxylessWatcher(ConfigWatcher delegate) {
        super(delegate);
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
            Consumer<Response> responseConsumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
        boolean proxyless = NodeGroups.GRPC.equals(groups.hash(request.v3Request().getNode()));
        return delegate.createWatch(ads && !proxyless, request, knownResourceNames, responseConsumer, hasClusterChanged,
                allowDefaultEmptyEdsUpdate);
    }
}
