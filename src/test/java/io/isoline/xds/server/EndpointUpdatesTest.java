package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which assignments one ADS stream is sent when clusters and endpoints change, in the orders a client can make its requests in. */
class EndpointUpdatesTest {

    private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
    private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;

    private final SimpleCache<String> cache = new SimpleCache<>(node -> "n");
    private final EndpointUpdates updates = new EndpointUpdates(cache);
    private final List<Response> responses = new ArrayList<>();

    private static Cluster cluster(String name, String service) {
        return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(service)).build();
    }

    private static ClusterLoadAssignment assignment(String name, String ip) {
        return ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(
                        io.envoyproxy.envoy.config.core.v3.Address.newBuilder().setSocketAddress(
                                io.envoyproxy.envoy.config.core.v3.SocketAddress.newBuilder().setAddress(ip).setPortValue(80)))))).build();
    }

    private void publish(List<Cluster> clusters, String clustersVersion, List<ClusterLoadAssignment> endpoints, String endpointsVersion) {
        Snapshot s = Snapshot.create(clusters, clustersVersion, endpoints, endpointsVersion, List.of(), "l", List.of(), "r", List.of(), "s");
        updates.record(s);
        cache.setSnapshot("n", s);
    }

    /** A request on stream 1, as the xDS server hands it on: callback first, then the watch on the same thread. */
    private void request(String type, String version, String nonce, List<String> names) {
        DiscoveryRequest q = DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("envoy")).setTypeUrl(type)
                .setVersionInfo(version).setResponseNonce(nonce).addAllResourceNames(names).build();
        updates.onV3StreamRequest(1, q);
        updates.createWatch(true, XdsRequest.create(q), Set.copyOf(names), responses::add, false, false);
    }

    private List<String> lastAssignments() {
        return responses.get(responses.size() - 1).resources().stream().map(m -> ((ClusterLoadAssignment) m).getClusterName()).sorted().toList();
    }

    @Test
    void whenClustersChangeBeforeTheClientAcksEndpointsOnlyWhatChangedOrIsNewIsSent() {
        publish(List.of(cluster("a", "a"), cluster("b", "b"), cluster("c", "c")), "c1",
                List.of(assignment("a", "10.0.0.1"), assignment("b", "10.0.0.2"), assignment("c", "10.0.0.3")), "e1");
        request(CDS, "", "", List.of());
        request(EDS, "", "", List.of("a", "b", "c"));
        assertThat(lastAssignments()).containsExactly("a", "b", "c");
        request(CDS, "c1", "n1", List.of()); // the CDS ACK waits for the next clusters
        // One publish: a's cluster is replaced (new options, its own EDS name a2), b's endpoints move, c is unchanged.
        publish(List.of(cluster("a2", "a2"), cluster("b", "b"), cluster("c", "c")), "c2",
                List.of(assignment("a2", "10.0.0.1"), assignment("b", "10.0.0.9"), assignment("c", "10.0.0.3")), "e2");
        assertThat(responses.get(responses.size() - 1).version()).as("the clusters went out").isEqualTo("c2");
        // Only now does the client ACK the first endpoints, asking for a2 as well (what Envoy does after CDS).
        request(EDS, "e1", "n2", List.of("a2", "b", "c"));
        assertThat(lastAssignments()).as("c is neither new, changed nor re-warmed").containsExactly("a2", "b");
    }

    @Test
    void aNewStreamOrANackGetsEveryAssignment() {
        publish(List.of(cluster("a", "a"), cluster("b", "b")), "c1", List.of(assignment("a", "10.0.0.1"), assignment("b", "10.0.0.2")), "e1");
        request(CDS, "", "", List.of());
        request(EDS, "", "", List.of("a", "b"));
        assertThat(lastAssignments()).containsExactly("a", "b");
        DiscoveryRequest nack = DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("envoy")).setTypeUrl(EDS)
                .setVersionInfo("").setResponseNonce("n1").addAllResourceNames(List.of("a", "b"))
                .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("rejected")).build();
        updates.onV3StreamRequest(1, nack);
        updates.createWatch(true, XdsRequest.create(nack), Set.of("a", "b"), responses::add, false, false);
        publish(List.of(cluster("a", "a"), cluster("b", "b")), "c1", List.of(assignment("a", "10.0.0.5"), assignment("b", "10.0.0.2")), "e2");
        assertThat(lastAssignments()).containsExactly("a", "b");
    }
}
