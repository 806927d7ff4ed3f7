package io.isoline.xds.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The xDS protocol lets a client send its {@code node} in the first request of a stream only, and
 * gRPC C-core and grpc-js do (so can Envoy, with {@code set_node_on_first_message_only}).
 * java-control-plane looks at each request's node to pick the node group, so later requests on such
 * a stream would be served as Envoy's (no API listeners, no lingering clusters) and NACK tracking
 * would lose the node. This interceptor gives every request on a stream the node of its first one.
 * It also refuses (INVALID_ARGUMENT) a node whose id or cluster is longer than
 * {@value #MAX_NODE_NAME} characters: they key per-node state and appear in logs, so an
 * unauthenticated client must not choose megabytes of them.
 *
 * <p>Thread-safe: the node is per call, and gRPC delivers a call's messages one at a time.
 */
@ApplicationScoped
@GlobalInterceptor
public class NodeOnEveryRequest implements ServerInterceptor {

    /** Longest node id or cluster accepted (Kubernetes pod names are at most 253). */
    static final int MAX_NODE_NAME = 1024;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private Node node;
            private boolean refused;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                Node sent = message instanceof DiscoveryRequest r ? r.getNode()
                        : message instanceof DeltaDiscoveryRequest r ? r.getNode() : null;
                if (sent != null && (sent.getId().length() > MAX_NODE_NAME || sent.getCluster().length() > MAX_NODE_NAME)) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("node id and cluster must be at most " + MAX_NODE_NAME
                            + " characters"), new Metadata());
                    return;
                }
                super.onMessage((Q) withNode(message));
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            private Object withNode(Object message) {
                if (message instanceof DiscoveryRequest r) {
                    if (r.hasNode()) {
                        node = r.getNode();
                    } else if (node != null) {
                        return r.toBuilder().setNode(node).build();
                    }
                } else if (message instanceof DeltaDiscoveryRequest r) {
                    if (r.hasNode()) {
                        node = r.getNode();
                    } else if (node != null) {
                        return r.toBuilder().setNode(node).build();
                    }
                }
                return message;
            }
        };
    }
}
