package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether every connected xDS client has answered what it was sent: per stream and type, the nonce
 * of the last response and of the last reply (ACK or NACK). A stream that was sent clusters also
 * owes a reply to the endpoints that follow them (Envoy warms a cluster until its assignment
 * arrives). {@link SnapshotPublisher} waits on this between the steps of a {@link Transition}.
 * A stream that lets a wait time out is not waited for again until it has caught up, so a client
 * that never answers (broken, or hostile) delays one publish by the timeout, not every publish.
 *
 * <p>Thread-safe: per-stream maps are concurrent and each entry is replaced whole.
 */
final class StreamProgress implements DiscoveryServerCallbacks {

    private record Type(String sentNonce, long sentAt, String repliedNonce) {
    }

    private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
    private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;

    private final AtomicLong clock = new AtomicLong();
    private final Map<Long, Map<String, Type>> streams = new ConcurrentHashMap<>();
    private final Set<Long> laggards = ConcurrentHashMap.newKeySet();

    /** A mark to wait from: what is sent after it must be answered. */
    long now() {
        return clock.incrementAndGet();
    }

    /**
     * Waits until every stream has replied to every response, and every stream sent clusters after
     * {@code since} was then also sent and replied to endpoints; false when {@code timeout} passed
     * first (a slow or stuck client must not hold back the others for long).
     */
    boolean awaitReplies(long since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Long> behind = behind(since);
            laggards.retainAll(behind);
            behind.removeAll(laggards);
            if (behind.isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                laggards.addAll(behind);
                return false;
            }
            Thread.sleep(5);
        }
    }

    /** The streams that owe a reply to something they were sent (for clusters sent after {@code since}: endpoints too). */
    Set<Long> behind(long since) {
        Set<Long> behind = new HashSet<>();
        streams.forEach((stream, types) -> {
            boolean waiting = types.values().stream().anyMatch(t -> !t.sentNonce().equals(t.repliedNonce()));
            Type cds = types.get(CDS);
            Type eds = types.get(EDS);
            if (waiting || (cds != null && eds != null && cds.sentAt() > since && eds.sentAt() < cds.sentAt())) {
                behind.add(stream);
            }
        });
        return behind;
    }

    private void sent(long stream, String type, String nonce) {
        long at = clock.incrementAndGet();
        streams.computeIfAbsent(stream, s -> new ConcurrentHashMap<>()).compute(type,
                (k, old) -> new Type(nonce, at, old == null ? null : old.repliedNonce()));
    }

    private void replied(long stream, String type, String nonce) {
        if (nonce.isEmpty()) {
            return;
        }
        Map<String, Type> types = streams.get(stream);
        if (types != null) {
            types.computeIfPresent(type, (k, old) -> new Type(old.sentNonce(), old.sentAt(), nonce));
        }
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        replied(streamId, request.getTypeUrl(), request.getResponseNonce());
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        replied(streamId, request.getTypeUrl(), request.getResponseNonce());
    }

    @Override
    public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
        sent(streamId, response.getTypeUrl(), response.getNonce());
    }

    @Override
    public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
        sent(streamId, response.getTypeUrl(), response.getNonce());
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
        streams.remove(streamId);
        laggards.remove(streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
        onStreamClose(streamId, typeUrl);
    }
}
