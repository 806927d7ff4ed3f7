package io.isoline.xds.server;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import org.jboss.logging.Logger;

/**
 * Logs what xDS clients tell us: streams opening and closing (debug) and rejected configuration
 * (NACKs: a request carrying {@code error_detail}), once per response nonce, with the node, the type
 * and the client's error.
 *
 * <p>Thread-safe: stateless.
 */
public final class XdsCallbacks implements DiscoveryServerCallbacks {

    private static final Logger LOG = Logger.getLogger(XdsCallbacks.class);

    @Override
    public void onStreamOpen(long streamId, String typeUrl) {
        LOG.debugf("xDS stream %d opened (%s)", streamId, typeUrl.isEmpty() ? "ADS" : typeUrl);
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        LOG.debugf("xDS stream %d closed", streamId);
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            LOG.warnf("node %s rejected %s version %s: %s", request.getNode().getId(), request.getTypeUrl(),
                    request.getResponseNonce(), request.getErrorDetail().getMessage());
        }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        if (request.hasErrorDetail()) {
            LOG.warnf("node %s rejected %s (delta, nonce %s): %s", request.getNode().getId(), request.getTypeUrl(),
                    request.getResponseNonce(), request.getErrorDetail().getMessage());
        }
    }
}
