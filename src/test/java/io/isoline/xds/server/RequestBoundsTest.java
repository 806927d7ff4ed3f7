package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import org.junit.jupiter.api.Test;

/** What an unauthenticated client may put in a request before the server keeps or logs any of it. */
class RequestBoundsTest {

    private static DiscoveryRequest request(String id, String cluster, String type) {
        return DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(id).setCluster(cluster)).setTypeUrl(type).build();
    }

    @Test
    void nodeNamesAreBoundedAndOnlyServedTypesAreAccepted() {
        String cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
        assertThat(RequestBounds.problem(request("envoy-1", "isoline", cds))).isNull();
        assertThat(RequestBounds.problem(request("x".repeat(1024), "isoline", ""))).as("ADS may omit the type on a first request").isNull();
        assertThat(RequestBounds.problem(request("x".repeat(1025), "isoline", cds))).contains("at most 1024 characters");
        assertThat(RequestBounds.problem(request("envoy", "c".repeat(5000), cds))).contains("at most 1024 characters");
        assertThat(RequestBounds.problem(request("envoy", "isoline", "type.googleapis.com/google.protobuf.Empty")))
                .startsWith("unknown type URL");
        assertThat(RequestBounds.problem(DeltaDiscoveryRequest.newBuilder().setTypeUrl("nope").build())).startsWith("unknown type URL");
        assertThat(RequestBounds.problem("not a request")).isNull();
    }
}
