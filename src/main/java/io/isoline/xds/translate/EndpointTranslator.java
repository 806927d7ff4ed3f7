package io.isoline.xds.translate;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.isoline.dag.Dag;
import io.isoline.dag.EndpointGroup;
import java.util.List;

/**
 * Dag -> ClusterLoadAssignments, one per endpoint group. All endpoints sit in one locality of
 * weight 1: Envoy ignores the weight, and proxyless gRPC clients drop localities without one.
 */
public final class EndpointTranslator {

    private EndpointTranslator() {
    }

    public static List<ClusterLoadAssignment> translate(Dag dag) {
        return translate(dag, TranslationMemo.none());
    }

    static List<ClusterLoadAssignment> translate(Dag dag, TranslationMemo memo) {
        return memo.assignments.all(dag.endpointGroups(), EndpointTranslator::assignment);
    }

    private static ClusterLoadAssignment assignment(EndpointGroup group) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(group.name());
        if (!group.endpoints().isEmpty()) {
            LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.getDefaultInstance())
                    .setLoadBalancingWeight(UInt32Value.of(1));
            for (EndpointGroup.Endpoint e : group.endpoints()) {
                locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                        .setAddress(Address.newBuilder().setSocketAddress(
                                SocketAddress.newBuilder().setAddress(e.address()).setPortValue(e.port())))));
            }
            cla.addEndpoints(locality);
        }
        return cla.build();
    }
}
