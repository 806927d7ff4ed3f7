package io.isoline.xds.server;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.metrics.IsolineMetrics;
import io.isoline.text.LogText;
import org.jboss.logging.Logger;

/**
 * Counts and logs what xDS clients do: streams opening and closing, responses pushed, ACKs, and
 * rejected configuration (NACKs: a reply carrying {@code error_detail}), logged once per response
 * nonce with the node, the type and the client's error.
 *
 * <p>Thread-safe: stateless.
 */
public final class XdsCallbacks implements DiscoveryServerCallbacks {

    private static final Logger LOG = Logger.getLogger(XdsCallbacks.class);

    private final IsolineMetrics metrics;

    public XdsCallbacks(IsolineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onStreamOpen(long streamId, String typeUrl) {
        LOG.debugf("xDS stream %d opened (%s)", streamId, typeUrl.isEmpty() ? "ADS" : typeUrl);
        metrics.streamOpened(IsolineMetrics.shortType(typeUrl));
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        LOG.debugf("xDS stream %d closed", streamId);
        metrics.streamClosed(IsolineMetrics.shortType(typeUrl));
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        LOG.debugf("xDS stream %d closed: %s", streamId, error.getMessage());
        metrics.streamClosed(IsolineMetrics.shortType(typeUrl));
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        reply(request.getNode().getId(), request.getTypeUrl(), request.getResponseNonce(), request.hasErrorDetail(),
                request.getErrorDetail().getMessage(), "version " + request.getVersionInfo());
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        reply(request.getNode().getId(), request.getTypeUrl(), request.getResponseNonce(), request.hasErrorDetail(),
                request.getErrorDetail().getMessage(), "delta");
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        metrics.pushed(IsolineMetrics.shortType(response.getTypeUrl()), response.getResourcesCount());
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
        metrics.pushed(IsolineMetrics.shortType(response.getTypeUrl()), response.getResourcesCount());
    }

    /** A request answering an earlier response (it carries its nonce) is an ACK, or a NACK with an error. */
    private void reply(String node, String typeUrl, String nonce, boolean rejected, String error, String what) {
        if (nonce.isEmpty()) {
            return; // a new subscription, not a reply
        }
        String type = IsolineMetrics.shortType(typeUrl);
        if (rejected) {
            metrics.nacked(type);
            // Everything here is the client's to choose: escaped and bounded (no forged lines, no 8 MB lines).
            LOG.warnf("node %s rejected %s (%s, nonce %s): %s", LogText.escape(node, 256), LogText.escape(typeUrl, 200),
                    LogText.escape(what, 100), LogText.escape(nonce, 64), LogText.escape(error, 2000));
        } else {
            metrics.acked(type);
        }
    }
}
