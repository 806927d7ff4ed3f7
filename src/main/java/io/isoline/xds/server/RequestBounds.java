package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.Resources;
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
import java.util.Set;

/**
 * What any client that reaches the xDS port may send, before anything is kept or logged: a node id
 * or cluster of at most {@value #MAX_NODE_NAME} characters (they key per-node state and appear in
 * logs) and one of the five type URLs served (java-control-plane answers an unknown one with a
 * NullPointerException). Otherwise the stream is closed with INVALID_ARGUMENT and a plain message.
 *
 * <p>Thread-safe: per call state only; gRPC delivers a call's messages one at a time.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestBounds implements ServerInterceptor {

    /** Longest node id or cluster accepted (Kubernetes pod names are at most 253). */
    static final int MAX_NODE_NAME = 1024;
    private static final Set<String> TYPES = Set.copyOf(Resources.V3.TYPE_URLS);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                String problem = problem(message);
                if (problem != null) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription(problem), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    static String problem(Object message) {
        Node node;
        String type;
        if (message instanceof DiscoveryRequest r) {
            node = r.getNode();
            type = r.getTypeUrl();
        } else if (message instanceof DeltaDiscoveryRequest r) {
            node = r.getNode();
            type = r.getTypeUrl();
        } else {
            return null;
        }
        if (node.getId().length() > MAX_NODE_NAME || node.getCluster().length() > MAX_NODE_NAME) {
            return "node id and cluster must be at most " + MAX_NODE_NAME + " characters";
        }
        if (!type.isEmpty() && !TYPES.contains(type)) {
            return "unknown type URL; this server serves " + String.join(", ", Resources.V3.TYPE_URLS);
        }
        return null;
    }
}
