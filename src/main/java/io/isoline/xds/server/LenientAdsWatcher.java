package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers requests with the requested resources that exist, where java-control-plane's ADS mode
 * would wait until every requested name exists:
 * <ul>
 * <li>For Envoy, route tables, endpoints and secrets (the types whose names come from other
 * resources). A filter chain or cluster that Envoy is draining keeps its route table, assignment
 * or secret subscribed after the snapshot dropped it; the strict rule would then hold back the
 * resources that replace it (a new TLS host's route table and secret) until the drain ends, and
 * Envoy would serve the new filter chain without them after its 15 s initial-fetch timeout. A
 * missing resource in a response of these types is not a removal, so answering is safe.
 * <li>For proxyless gRPC clients, every type: they ask for clusters by name, so when a cluster is
 * removed they would never hear of it. For them a CDS or LDS response without a requested name is
 * how a removal is told.
 * </ul>
 * Listeners and clusters for Envoy keep the strict rule (Envoy asks for them with no names).
 *
 * <p>Thread-safe: stateless.
 */
final class LenientAdsWatcher extends ForwardingWatcher {

    private static final Set<Resources.ResourceType> NAMED_TYPES = Set.of(Resources.ResourceType.ROUTE,
            Resources.ResourceType.ENDPOINT, Resources.ResourceType.SECRET);
    private final NodeGroups groups = new NodeGroups();

    LenientAdsWatcher(ConfigWatcher delegate) {
        super(delegate);
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
            Consumer<Response> responseConsumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
        boolean lenient = NAMED_TYPES.contains(request.getResourceType())
                || NodeGroups.GRPC.equals(groups.hash(request.v3Request().getNode()));
        return delegate.createWatch(ads && !lenient, request, knownResourceNames, responseConsumer, hasClusterChanged,
                allowDefaultEmptyEdsUpdate);
    }
}
