package io.isoline.xds.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The xDS protocol lets a client send its {@code node} in the first request of a stream only, and
 * gRPC C-core and grpc-js do (so can Envoy, with {@code set_node_on_first_message_only}).
 * java-control-plane looks at each request's node to pick the node group, so later requests on such
 * a stream would be served as Envoy's (no API listeners, no lingering clusters) and NACK tracking
 * would lose the node. This interceptor gives every request on a stream the node of its first one.
 *
 * <p>Thread-safe: the node is per call, and gRPC delivers a call's messages one at a time.
 */
@ApplicationScoped
@GlobalInterceptor
public class NodeOnEveryRequest implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private Node node;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                super.onMessage((Q) withNode(message));
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
