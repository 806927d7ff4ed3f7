package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IngressRoute routes: prefixes, weighted services, strategies, health checks and route policies. */
class IngressRouteRoutingTest {

    private static final String BACKENDS = backend("app", "blue", "10.0.0.1") + backend("app", "green", "10.0.0.2")
            + backend("app", "canary", "10.0.0.3");

    private static TranslationResult translate(String routes) {
        return Fixture.translate(BACKENDS + root("app", "web", "web.example.com", routes));
    }

    private static RouteAction route(TranslationResult r, String path) {
        return ((Proxied) new EnvoySimulator(r.resources()).http("web.example.com", path)).route().getRoute();
    }

    private static List<String> weights(RouteAction action) {
        return action.getWeightedClusters().getClustersList().stream()
                .map(c -> c.getName().split("/")[1] + "=" + c.getWeight().getValue()).toList();
    }

    @Test
    void matchIsAStringPrefixAndTheLongestWins() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80}]}\n"
                + "  - {match: /api, services: [{name: green, port: 80}]}\n");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("web.example.com", "/api/v1"))).isEqualTo("green");
        assertThat(servedBy(envoy.http("web.example.com", "/apiary"))).isEqualTo("green");
        assertThat(servedBy(envoy.http("web.example.com", "/other"))).isEqualTo("blue");
    }

    @Test
    void noWeightsGiveAnEvenSplit() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80}, {name: green, port: 80}]}\n");
        assertThat(weights(route(r, "/"))).containsExactly("blue=1", "green=1");
    }

    @Test
    void allWeightsZeroIsAnEvenSplitNotARouteEnvoyRefuses() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80, weight: 0}, {name: green, port: 80, weight: 0}]}\n");
        assertThat(weights(route(r, "/"))).containsExactly("blue=1", "green=1");
    }

    /** Each value at its limit is served; one step beyond, the object is invalid with the field named. */
    @Test
    void portsWeightsAndHealthChecksAtTheirLimits() {
        String edge = backend("app", "edge", "10.0.0.4").replace("ports: [{name: http, port: 80, targetPort: web}]",
                "ports: [{name: low, port: 1, targetPort: web}, {name: high, port: 65535, targetPort: web}]");
        var ports = Fixture.translate(BACKENDS + edge + root("app", "web", "web.example.com",
                "  - {match: /low, services: [{name: edge, port: 1}]}\n  - {match: /high, services: [{name: edge, port: 65535}]}\n"));
        assertThat(statuses(ports)).containsEntry("app/web", "valid: valid IngressRoute");
        assertThat(route(ports, "/low").getCluster()).startsWith("app/edge/1/");
        assertThat(route(ports, "/high").getCluster()).startsWith("app/edge/65535/");
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 65536}]}\n")))
                .containsEntry("app/web", "invalid: route \"/\": service \"blue\": port must be in the range 1-65535");

        var heaviest = translate("  - {match: /, services: [{name: blue, port: 80, weight: 2147483646}, {name: green, port: 80, weight: 1}]}\n");
        assertThat(weights(route(heaviest, "/"))).containsExactly("blue=2147483646", "green=1");
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 80, weight: 2147483647},"
                + " {name: green, port: 80, weight: 1}]}\n")).get("app/web"))
                .isEqualTo("invalid: route \"/\": the services' weights sum to 2147483648; the sum must be at most 2147483647");

        String max = String.valueOf(Integer.MAX_VALUE);
        for (String field : new String[] {"intervalSeconds", "timeoutSeconds", "unhealthyThresholdCount", "healthyThresholdCount"}) {
            var atMax = translate("  - {match: /, services: [{name: blue, port: 80, healthCheck: {path: /h, " + field + ": " + max + "}}]}\n");
            assertThat(statuses(atMax).get("app/web")).as(field).isEqualTo("valid: valid IngressRoute");
            var beyond = translate("  - {match: /, services: [{name: blue, port: 80, healthCheck: {path: /h, " + field + ": 2147483648}}]}\n");
            assertThat(statuses(beyond).get("app/web")).as(field).startsWith("invalid: ").contains("must be at most " + max);
        }
    }

    @Test
    void allWeightsGivenAreRelative() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80, weight: 20}, {name: green, port: 80, weight: 30},"
                + " {name: canary, port: 80, weight: 20}]}\n");
        assertThat(weights(route(r, "/"))).containsExactly("blue=20", "green=30", "canary=20");
    }

    @Test
    void servicesWithoutAWeightGetNoTrafficWhenOthersHaveOne() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80, weight: 100}, {name: green, port: 80}]}\n");
        assertThat(weights(route(r, "/"))).containsExactly("blue=100", "green=0");
    }

    @Test
    void aSingleServiceIsAPlainClusterRoute() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80, weight: 5}]}\n");
        assertThat(route(r, "/").getCluster()).isEqualTo("app/blue/80/da39a3ee5e");
        assertThat(route(r, "/").hasWeightedClusters()).isFalse();
    }

    @Test
    void strategiesSetTheClusterLoadBalancerAndCookieAddsSessionAffinity() {
        String services = "  - {match: /%s, services: [{name: blue, port: 80, strategy: %s}]}\n";
        var r = translate(services.formatted("a", "WeightedLeastRequest") + services.formatted("b", "Random")
                + services.formatted("c", "RingHash") + services.formatted("d", "Maglev") + services.formatted("e", "Cookie")
                + services.formatted("f", "Fastest") + services.formatted("g", "RoundRobin"));
        assertThat(r.resources().clusters()).extracting(Cluster::getLbPolicy).containsExactlyInAnyOrder(
                Cluster.LbPolicy.LEAST_REQUEST, Cluster.LbPolicy.RANDOM, Cluster.LbPolicy.RING_HASH,
                Cluster.LbPolicy.MAGLEV, Cluster.LbPolicy.RING_HASH, Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(route(r, "/e").getHashPolicy(0).getCookie().getName()).isEqualTo("X-Contour-Session-Affinity");
        assertThat(route(r, "/c").getHashPolicyList()).isEmpty();
        assertThat(r.warnings()).containsExactly(
                "IngressRoute app/web: route \"/f\": service \"blue\": unknown strategy \"Fastest\"; using RoundRobin");
        // Unknown and RoundRobin strategies are the same default cluster.
        assertThat(route(r, "/f").getCluster()).isEqualTo(route(r, "/g").getCluster()).isEqualTo("app/blue/80/da39a3ee5e");
    }

    @Test
    void healthChecksWithDocumentedDefaults() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80, healthCheck: {path: /healthz}}]}\n"
                + "  - {match: /x, services: [{name: green, port: 80, healthCheck: {path: /ready, host: green.internal,"
                + " intervalSeconds: 10, timeoutSeconds: 3, unhealthyThresholdCount: 5, healthyThresholdCount: 1}}]}\n");
        var byName = r.resources().clusters().stream().collect(java.util.stream.Collectors.toMap(
                c -> c.getName().split("/")[1], c -> c.getHealthChecks(0)));
        var blue = byName.get("blue");
        assertThat(blue.getHttpHealthCheck().getPath()).isEqualTo("/healthz");
        assertThat(blue.getHttpHealthCheck().getHost()).isEqualTo("contour-envoy-healthcheck");
        assertThat(blue.getInterval()).isEqualTo(Durations.fromSeconds(5));
        assertThat(blue.getTimeout()).isEqualTo(Durations.fromSeconds(2));
        assertThat(blue.getUnhealthyThreshold().getValue()).isEqualTo(3);
        assertThat(blue.getHealthyThreshold().getValue()).isEqualTo(2);
        var green = byName.get("green");
        assertThat(green.getHttpHealthCheck().getHost()).isEqualTo("green.internal");
        assertThat(green.getInterval()).isEqualTo(Durations.fromSeconds(10));
        assertThat(green.getUnhealthyThreshold().getValue()).isEqualTo(5);
    }

    @Test
    void routePoliciesWebsocketsRewriteTimeoutsAndRetries() {
        var r = translate("  - {match: /ws, enableWebsockets: true, services: [{name: blue, port: 80}]}\n"
                + "  - {match: /old, prefixRewrite: /new, services: [{name: blue, port: 80}]}\n"
                + "  - {match: /slow, timeoutPolicy: {request: infinity}, services: [{name: blue, port: 80}]}\n"
                + "  - {match: /retry, timeoutPolicy: {request: 10s}, retryPolicy: {count: 3, perTryTimeout: 2s},"
                + " services: [{name: blue, port: 80}]}\n");
        assertThat(route(r, "/ws").getUpgradeConfigs(0).getUpgradeType()).isEqualTo("websocket");
        assertThat(route(r, "/old").getPrefixRewrite()).isEqualTo("/new");
        assertThat(route(r, "/slow").getTimeout()).isEqualTo(Durations.ZERO);
        RouteAction retry = route(r, "/retry");
        assertThat(retry.getTimeout()).isEqualTo(Durations.fromSeconds(10));
        assertThat(retry.getRetryPolicy().getRetryOn()).isEqualTo("5xx");
        assertThat(retry.getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
        assertThat(retry.getRetryPolicy().getPerTryTimeout()).isEqualTo(Durations.fromSeconds(2));
    }

    /** Contour skips a route with neither services nor a delegate and keeps the object valid; its status says so. */
    @Test
    void aRouteWithNeitherServicesNorADelegateIsSkippedAndTheRestServed() {
        var r = translate("  - {match: /, services: [{name: blue, port: 80}]}\n  - {match: /empty}\n");
        assertThat(statuses(r).get("app/web")).startsWith("valid: ")
                .contains("route \"/empty\": has neither services nor a delegate, the route is not served");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("web.example.com", "/empty/page"))).as("the longest served prefix").isEqualTo("blue");
        assertThat(servedBy(envoy.http("web.example.com", "/"))).isEqualTo("blue");
    }

    /** Contour's retry count: 0 (or none given) means one retry, as its docs and tests say. */
    @Test
    void aRetryCountOfZeroMeansOneRetryAsInContour() {
        var r = translate("  - {match: /zero, retryPolicy: {count: 0}, services: [{name: blue, port: 80}]}\n"
                + "  - {match: /unset, retryPolicy: {perTryTimeout: 1s}, services: [{name: blue, port: 80}]}\n");
        assertThat(route(r, "/zero").getRetryPolicy().getNumRetries().getValue()).isEqualTo(1);
        assertThat(route(r, "/unset").getRetryPolicy().getNumRetries().getValue()).isEqualTo(1);
    }

    @Test
    void invalidValuesMakeTheObjectInvalidNamingRouteAndService() {
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 0}]}\n"))).containsExactly(
                entry("app/web", "invalid: route \"/\": service \"blue\": port must be in the range 1-65535"));
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 80, weight: -1}]}\n"))).containsExactly(
                entry("app/web", "invalid: route \"/\": service \"blue\": weight must be greater than or equal to zero"));
        assertThat(statuses(translate("  - {match: /, services: [{name: gone, port: 80}]}\n"))).containsExactly(
                entry("app/web", "invalid: route \"/\": service \"gone\": service app/gone not found"));
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 81}]}\n"))).containsExactly(
                entry("app/web", "invalid: route \"/\": service \"blue\": service app/blue has no port 81"));
        assertThat(statuses(translate("  - {match: api, services: [{name: blue, port: 80}]}\n"))).containsExactly(
                entry("app/web", "invalid: route \"api\": match must be a path prefix starting with /"));
        assertThat(statuses(translate("  - {match: /, services: [{name: blue, port: 80, healthCheck: {host: x}}]}\n")))
                .containsExactly(entry("app/web",
                        "invalid: route \"/\": service \"blue\": healthCheck.path must be set and start with /"));
    }

    @Test
    void aWildcardFqdnIsInvalidAsInContourAndClaimsNothing() {
        var r = Fixture.translate(BACKENDS + root("app", "wild", "\"*.example.com\"", "  - {match: /, services: [{name: blue, port: 80}]}\n")
                + root("app", "exact", "a.example.com", "  - {match: /, services: [{name: green, port: 80}]}\n"));
        assertThat(statuses(r)).containsEntry("app/wild", "invalid: Spec.VirtualHost.Fqdn \"*.example.com\" cannot use wildcards");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("b.example.com", "/"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("a.example.com", "/"))).isEqualTo("green");
    }
}
