package io.isoline.testing;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An incremental (delta) ADS client on grpc-java's generated stub, speaking the protocol as Envoy
 * does: subscribe to names (none = wildcard), ACK each response with its nonce, NACK with an error.
 */
public final class DeltaAdsClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final StreamObserver<DeltaDiscoveryRequest> requests;
    private final ResponseQueue<DeltaDiscoveryResponse> responses = new ResponseQueue<>();
    private final Node node;

    public DeltaAdsClient(String host, int port, String nodeId) {
        channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().maxInboundMessageSize(64 << 20).build();
        node = Node.newBuilder().setId(nodeId).setCluster("test").build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(responses);
    }

    /** Subscribes to {@code names} of {@code typeUrl} (none = wildcard); responses arrive through {@link #next}. */
    public void subscribe(String typeUrl, List<String> names) {
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl)
                .addAllResourceNamesSubscribe(names).build());
    }

    public void ack(DeltaDiscoveryResponse response) {
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce()).build());
    }

    public void nack(DeltaDiscoveryResponse response, String error) {
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(error)).build());
    }

    /** The next response, or null if none arrives within {@code timeout}. */
    public DeltaDiscoveryResponse next(Duration timeout) throws InterruptedException {
        return responses.next(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        requests.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
