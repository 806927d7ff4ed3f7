package io.isoline.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.isoline.xds.translate.XdsResources;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Make before break: the order of snapshots between two configurations. */
class TransitionTest {

    /** One route table sending everything to {@code routeTo}; one cluster and assignment per name in {@code clusters}. */
    private static XdsResources config(String routeTo, String... clusters) {
        RouteConfiguration routes = RouteConfiguration.newBuilder().setName("ingress_http").addVirtualHosts(VirtualHost.newBuilder()
                .setName("x").addDomains("x.test").addRoutes(Route.newBuilder().setRoute(RouteAction.newBuilder().setCluster(routeTo))))
                .build();
        List<Cluster> cs = Arrays.stream(clusters).map(n -> Cluster.newBuilder().setName(n).build()).toList();
        List<ClusterLoadAssignment> es = Arrays.stream(clusters).map(n -> ClusterLoadAssignment.newBuilder().setClusterName(n).build())
                .toList();
        return XdsResources.of(List.of(), List.of(routes), cs, es, List.of(), List.of());
    }

    private static List<String> clusters(XdsResources r) {
        return r.clusters().stream().map(Cluster::getName).toList();
    }

    private static String routedTo(XdsResources r) {
        return r.routes().get(0).getVirtualHosts(0).getRoutes(0).getRoute().getCluster();
    }

    @Test
    void aClusterReplacedByAnotherIsAddedFirstThenRoutedToThenRemoved() {
        List<XdsResources> steps = Transition.steps(config("old", "old", "other"), config("new", "new", "other"));
        assertThat(steps).hasSize(3);
        assertThat(routedTo(steps.get(0))).as("routes unchanged while the new cluster warms").isEqualTo("old");
        assertThat(clusters(steps.get(0))).containsExactly("new", "old", "other");
        assertThat(steps.get(0).endpoints()).hasSize(3);
        assertThat(routedTo(steps.get(1))).as("routes switch while the old cluster is still there").isEqualTo("new");
        assertThat(clusters(steps.get(1))).containsExactly("new", "old", "other");
        assertThat(clusters(steps.get(2))).containsExactly("new", "other");
    }

    @Test
    void onlyAdditionsNeedNoRemoveStepAndOnlyRemovalsNoAddStep() {
        List<XdsResources> added = Transition.steps(config("a", "a"), config("b", "a", "b"));
        assertThat(added).hasSize(2);
        assertThat(routedTo(added.get(0))).isEqualTo("a");
        assertThat(clusters(added.get(0))).containsExactly("a", "b");

        List<XdsResources> removed = Transition.steps(config("a", "a", "b"), config("a2", "a"));
        assertThat(removed).hasSize(2);
        assertThat(routedTo(removed.get(0))).isEqualTo("a2");
        assertThat(clusters(removed.get(0))).containsExactly("a", "b");
    }

    @Test
    void changesThatNeedNoOrderAreOneStep() {
        assertThat(Transition.steps(null, config("a", "a"))).hasSize(1);
        assertThat(Transition.steps(config("a", "a", "b"), config("b", "a", "b"))).as("routes only").hasSize(1);
        assertThat(Transition.steps(config("a", "a"), config("a", "a", "b"))).as("a cluster added, routes unchanged").hasSize(1);
        assertThat(Transition.steps(config("a", "a", "b"), config("a", "a"))).as("an unused cluster removed").hasSize(1);
    }
}
