package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cache as the xDS server sees it, with NACKs handled: a state-of-the-world NACK carries the
 * last version the node accepted, so the cache alone would answer it at once with the version just
 * rejected, and a node that keeps rejecting it would loop as fast as the round trip allows. Here a
 * NACK counts as "this node has seen the version we last sent it": the node keeps its last accepted
 * configuration, gets nothing more until the next snapshot, and then gets that one. Other nodes are
 * not affected. Delta requests pass through unchanged.
 *
 * <p>Thread-safe: the map of versions sent is synchronized and bounded (least recently used nodes go
 * first), so node churn cannot grow it without limit.
 */
final class NackAwareWatcher extends ForwardingWatcher {

    static final int MAX_TRACKED = 100_000;

    private final Map<String, String> lastSent = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_TRACKED;
        }
    });

    NackAwareWatcher(ConfigWatcher delegate) {
        super(delegate);
    }

    @Override
    public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
            Consumer<Response> responseConsumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
        // (node ids are at most RequestBounds.MAX_NODE_NAME characters, so the map stays bounded in bytes too)
        String key = request.v3Request().getNode().getId() + "|" + request.getTypeUrl();
        XdsRequest effective = request;
        if (request.hasErrorDetail()) {
            String rejected = lastSent.get(key);
            if (rejected != null) {
                effective = XdsRequest.create(request.v3Request().toBuilder().setVersionInfo(rejected).build());
            }
        }
        return delegate.createWatch(ads, effective, knownResourceNames, response -> {
            lastSent.put(key, response.version());
            responseConsumer.accept(response);
        }, hasClusterChanged, allowDefaultEmptyEdsUpdate);
    }

}
