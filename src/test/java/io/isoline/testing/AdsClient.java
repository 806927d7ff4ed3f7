package io.isoline.testing;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A state-of-the-world ADS client on grpc-java's generated stub, speaking the protocol the way Envoy
 * does: subscribe per type, ACK each response with its version and nonce.
 */
public final class AdsClient implements AutoCloseable {

    public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    private final ResponseQueue<DiscoveryResponse> responses = new ResponseQueue<>();
    private final Node node;
    private final boolean nodeOnFirstRequestOnly;
    private boolean sent;

    public AdsClient(String host, int port, String nodeId) {
        this(ManagedChannelBuilder.forAddress(host, port).usePlaintext().maxInboundMessageSize(64 << 20).build(), nodeId);
    }

    /** A client on a channel built by the caller (TLS, for instance). */
    public AdsClient(ManagedChannel channel, String nodeId) {
        this(channel, Node.newBuilder().setId(nodeId).setCluster("test").build(), false);
    }

    /**
     * A client that sends its node, with {@code userAgentName}, in the first request of the stream
     * only, as gRPC C-core and grpc-js do.
     */
    public static AdsClient nodeOnFirstRequestOnly(int port, String nodeId, String userAgentName) {
        return new AdsClient(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
                Node.newBuilder().setId(nodeId).setCluster("test").setUserAgentName(userAgentName).build(), true);
    }

    private AdsClient(ManagedChannel channel, Node node, boolean nodeOnFirstRequestOnly) {
        this.channel = channel;
        this.node = node;
        this.nodeOnFirstRequestOnly = nodeOnFirstRequestOnly;
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(responses);
    }

    /** Subscribes to {@code typeUrl} (no names = all) and waits for the first response. */
    public DiscoveryResponse subscribe(String typeUrl, List<String> names, Duration timeout) throws InterruptedException {
        send(typeUrl, names, "", "");
        return next(timeout);
    }

    /** Subscribes without waiting (the response arrives later through {@link #next}). */
    public void request(String typeUrl, List<String> names) {
        send(typeUrl, names, "", "");
    }

    /** Connects, subscribes to {@code typeUrl}, and returns the current resources of that type. */
    public static DiscoveryResponse current(int port, String typeUrl, List<String> names) throws InterruptedException {
        try (AdsClient c = new AdsClient("127.0.0.1", port, "probe")) {
            DiscoveryResponse r = c.subscribe(typeUrl, names, Duration.ofSeconds(10));
            if (r == null) {
                throw new AssertionError("no " + typeUrl + " response within 10 s");
            }
            return r;
        }
    }

    /** Rejects a response, as Envoy does: the last accepted version, the response's nonce, and an error. */
    public void nack(DiscoveryResponse response, String lastAcceptedVersion, String error) {
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(response.getTypeUrl())
                .setVersionInfo(lastAcceptedVersion).setResponseNonce(response.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error)).build());
    }

    /** A reconnecting Envoy's first request: the version it last accepted, no nonce. */
    public void resume(String typeUrl, String version) {
        send(typeUrl, List.of(), version, "");
    }

    /** ACKs a response, keeping the same subscription. */
    public void ack(DiscoveryResponse response, List<String> names) {
        send(response.getTypeUrl(), names, response.getVersionInfo(), response.getNonce());
    }

    /**
     * Reads responses, ACKing each (keeping the subscription to {@code names}) as Envoy does, until
     * one satisfies {@code wanted}; false when none has within {@code timeout}.
     */
    public boolean awaitAcking(List<String> names, java.util.function.Predicate<DiscoveryResponse> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            DiscoveryResponse r = next(Duration.ofSeconds(5));
            if (r != null) {
                ack(r, names);
                if (wanted.test(r)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The next response, or null if none arrives within {@code timeout}. */
    public DiscoveryResponse next(Duration timeout) throws InterruptedException {
        return responses.next(timeout);
    }

    private synchronized void send(String typeUrl, List<String> names, String version, String nonce) {
        DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
                .addAllResourceNames(names).setVersionInfo(version).setResponseNonce(nonce);
        if (!sent || !nodeOnFirstRequestOnly) {
            r.setNode(node);
        }
        sent = true;
        requests.onNext(r.build());
    }

    public static <T extends com.google.protobuf.Message> List<T> unpack(DiscoveryResponse r, Class<T> type) {
        return r.getResourcesList().stream().map(a -> unpack(a, type)).toList();
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        requests.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
