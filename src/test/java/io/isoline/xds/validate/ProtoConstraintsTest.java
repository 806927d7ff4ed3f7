package io.isoline.xds.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

/**
 * The rules come from Envoy's own annotations: each case is a resource Envoy rejects, and the
 * problem names the field and the rule.
 */
class ProtoConstraintsTest {

    private static final Duration ONE_SECOND = Duration.newBuilder().setSeconds(1).build();
    /** Fresh caches for every test (JUnit makes an instance per test), so the code that fills them runs. */
    private final ProtoConstraints constraints = new ProtoConstraints();

    private static Cluster.Builder cluster() {
        return Cluster.newBuilder().setName("default/web/80/abc").setConnectTimeout(ONE_SECOND);
    }

    @Test
    void aValidResourceHasNoProblems() {
        assertThat(constraints.violations(cluster().build())).isEmpty();
        assertThat(constraints.violations(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster("c")).build())).isEmpty();
    }

    /** Preparing at start-up works out plans ahead; what a check finds stays exactly what an unprepared checker finds. */
    @Test
    void aPreparedCheckerFindsWhatAFreshOneFinds() {
        ProtoConstraints prepared = new ProtoConstraints();
        prepared.prepare(java.util.List.of(Listener.getDefaultInstance(), Cluster.getDefaultInstance(), Route.getDefaultInstance()));
        Cluster bad = Cluster.newBuilder().setConnectTimeout(Duration.getDefaultInstance()).build();
        assertThat(prepared.violations(bad)).isEqualTo(constraints.violations(bad))
                .containsExactly("name: must not be empty", "connect_timeout: must be greater than 0s");
        assertThat(prepared.violations(Route.getDefaultInstance())).isEqualTo(constraints.violations(Route.getDefaultInstance()))
                .hasSize(2);
    }

    @Test
    void stringLengthAndDurationBounds() {
        assertThat(constraints.violations(Cluster.newBuilder().setConnectTimeout(Duration.getDefaultInstance()).build()))
                .containsExactly("name: must not be empty", "connect_timeout: must be greater than 0s");
    }

    @Test
    void requiredMessagesAndRequiredOneofs() {
        assertThat(constraints.violations(Route.getDefaultInstance()))
                .containsExactly("action: one of its fields must be set", "match: is required");
    }

    @Test
    void nestedRepeatedFieldsHeaderRegexesAndRequiredDurations() {
        HealthCheck hc = HealthCheck.newBuilder().setTimeout(ONE_SECOND).setInterval(ONE_SECOND)
                .setUnhealthyThreshold(UInt32Value.of(3)).setHealthyThreshold(UInt32Value.of(2))
                .setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder().setPath("/healthz\r\nX-Injected: 1"))
                .build();
        assertThat(constraints.violations(cluster().addHealthChecks(hc).addHealthChecks(hc.toBuilder().clearTimeout()).build()))
                .containsExactly(
                        "health_checks[0].http_health_check.path: must be a valid HTTP header value (no control characters)",
                        "health_checks[1].timeout: is required",
                        "health_checks[1].http_health_check.path: must be a valid HTTP header value (no control characters)");
        Route removesABadHeader = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster("c")).addRequestHeadersToRemove("bad\nname").build();
        assertThat(constraints.violations(removesABadHeader))
                .containsExactly("request_headers_to_remove[0]: must be a valid HTTP header name (no NUL, CR or LF)");
    }

    @Test
    void wrappedNumbersAndUndefinedEnumValues() {
        Cluster c = cluster().setLbPolicyValue(99)
                .setOutlierDetection(OutlierDetection.newBuilder().setMaxEjectionPercent(UInt32Value.of(150))).build();
        assertThat(constraints.violations(c)).containsExactly(
                "lb_policy: 99 is not a value of LbPolicy", "outlier_detection.max_ejection_percent: must be at most 100");
    }

    @Test
    void typedConfigsAreUnpackedAndChecked() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setRds(
                io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds.newBuilder()
                        .setRouteConfigName("r")).build(); // no stat_prefix
        Listener l = Listener.newBuilder().setName("l").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm)))).build();
        assertThat(constraints.violations(l))
                .containsExactly("filter_chains[0].filters[0].typed_config.stat_prefix: must not be empty",
                        "filter_chains[0].filters[0].typed_config.rds.config_source: is required");
    }

    /** Checks Envoy makes beyond validate.rules: found by real Envoy rejecting the shared route table. */
    @Test
    void negativeOrHugeDurationsAndWeightSumsBeyondUint32() {
        Route negative = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(RouteAction.newBuilder()
                .setCluster("c").setTimeout(Duration.newBuilder().setSeconds(-5))).build();
        assertThat(constraints.violations(negative)).containsExactly("route.timeout: must be a duration from 0 to 315576000000 seconds");
        HealthCheck huge = HealthCheck.newBuilder().setTimeout(ONE_SECOND).setInterval(Duration.newBuilder().setSeconds(400_000_000_000L))
                .setUnhealthyThreshold(UInt32Value.of(1)).setHealthyThreshold(UInt32Value.of(1))
                .setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder().setPath("/")).build();
        assertThat(constraints.violations(cluster().addHealthChecks(huge).build()))
                .containsExactly("health_checks[0].interval: must be a duration from 0 to 315576000000 seconds");
        var weighted = io.envoyproxy.envoy.config.route.v3.WeightedCluster.newBuilder();
        for (String c : new String[] {"a", "b", "c"}) {
            weighted.addClusters(io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight.newBuilder().setName(c)
                    .setWeight(UInt32Value.of(2_000_000_000)));
        }
        Route tooHeavy = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setWeightedClusters(weighted)).build();
        assertThat(constraints.violations(tooHeavy))
                .containsExactly("route.weighted_clusters: the weights sum to 6000000000, more than 4294967295");
    }

    @Test
    void durationAndWeightLimitsAreExactAtTheirEdges() {
        for (Duration ok : new Duration[] {Duration.getDefaultInstance(), Duration.newBuilder().setNanos(1).build(),
                Duration.newBuilder().setSeconds(EnvoySemantics.MAX_DURATION_SECONDS).setNanos(999_999_999).build()}) {
            assertThat(constraints.violations(routeWithTimeout(ok))).as(ok.toString()).isEmpty();
        }
        for (Duration bad : new Duration[] {Duration.newBuilder().setNanos(-1).build(),
                Duration.newBuilder().setSeconds(EnvoySemantics.MAX_DURATION_SECONDS + 1).build(),
                Duration.newBuilder().setSeconds(1).setNanos(1_000_000_000).build()}) {
            assertThat(constraints.violations(routeWithTimeout(bad))).as(bad.toString()).hasSize(1);
        }
        var weighted = io.envoyproxy.envoy.config.route.v3.WeightedCluster.newBuilder()
                .addClusters(io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight.newBuilder().setName("a")
                        .setWeight(UInt32Value.of(-1))) // 2^32-1, the largest sum Envoy takes
                .addClusters(io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight.newBuilder().setName("b"));
        Route atTheLimit = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setWeightedClusters(weighted)).build();
        assertThat(constraints.violations(atTheLimit)).isEmpty();
        // Weights are unsigned: two of 3,000,000,000 sum to 6,000,000,000, not to a negative number.
        var heavy = io.envoyproxy.envoy.config.route.v3.WeightedCluster.newBuilder();
        for (String c : new String[] {"a", "b"}) {
            heavy.addClusters(io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight.newBuilder().setName(c)
                    .setWeight(UInt32Value.of((int) 3_000_000_000L)));
        }
        assertThat(constraints.violations(atTheLimit.toBuilder().setRoute(RouteAction.newBuilder().setWeightedClusters(heavy)).build()))
                .containsExactly("route.weighted_clusters: the weights sum to 6000000000, more than 4294967295");
    }

    private static Route routeWithTimeout(Duration timeout) {
        return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster("c").setTimeout(timeout)).build();
    }

    /** The memo is what makes a rebuild re-check only what changed; it must never vouch for a broken part. */
    @Test
    void theMemoVouchesForValidUnitsUntilAGenerationEndsWithoutThem() {
        HealthCheck check = HealthCheck.newBuilder().setTimeout(ONE_SECOND).setInterval(ONE_SECOND)
                .setUnhealthyThreshold(UInt32Value.of(3)).setHealthyThreshold(UInt32Value.of(2))
                .setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance()).build();
        Cluster good = cluster().addHealthChecks(check).build();
        Cluster other = cluster().setName("other").build();
        Cluster broken = cluster().setName("").build();
        ValidMemo memo = ValidMemo.withGeneration(2);
        assertThat(constraints.violations(good, memo)).isEmpty();
        assertThat(constraints.violations(other, memo)).isEmpty();
        assertThat(constraints.violations(broken, memo)).hasSize(1);
        assertThat(memo.isKnownValid(good)).as("known in the same check").isTrue();
        assertThat(memo.isKnownValid(check)).as("a health check is not a unit the memo keeps").isFalse();
        memo.finish();

        memo.next(java.util.Map.of("clusters", "digest"));
        memo.cleanList("clusters");
        assertThat(memo.isKnownValid(broken)).isFalse();
        assertThat(constraints.violations(broken, memo)).hasSize(1);
        assertThat(memo.isKnownValid(other)).as("the generation has not grown: still known").isTrue();
        for (int i = 0; i < 3; i++) { // grows by more than it held (2)
            assertThat(constraints.violations(cluster().setName("new-" + i).build(), memo)).isEmpty();
        }
        memo.finish();

        memo.next(java.util.Map.of("clusters", "digest")); // a new generation: the old one is consulted during this check only
        assertThat(memo.isCleanList("clusters")).as("lists are walked again in a new generation").isFalse();
        memo.cleanList("clusters");
        assertThat(memo.isCleanList("clusters")).isTrue();
        assertThat(memo.isKnownValid(good)).isTrue();
        memo.finish();
        memo.next(java.util.Map.of("clusters", "digest"));
        assertThat(memo.isKnownValid(good)).as("seen by the first check of the generation").isTrue();
        assertThat(memo.isKnownValid(other)).as("not seen by it: forgotten").isFalse();
        assertThat(memo.isCleanList("clusters")).as("the same content").isTrue();
        memo.next(java.util.Map.of("clusters", "other digest"));
        assertThat(memo.isCleanList("clusters")).as("other content").isFalse();
        memo.next(); // a check whose lists have no digest skips none
        assertThat(memo.isCleanList("clusters")).isFalse();
        assertThat(constraints.violations(good, null)).isEmpty();
    }

    /** A route table holds all its hosts and is replaced by every change: the memo keeps the last check's only. */
    @Test
    void wholeRouteTablesAreKeptForOneCheckWhilePartsStayForTheGeneration() {
        ValidMemo memo = ValidMemo.empty();
        io.envoyproxy.envoy.config.route.v3.RouteConfiguration first =
                io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder().setName("first").build();
        io.envoyproxy.envoy.config.route.v3.RouteConfiguration second = first.toBuilder().setName("second").build();
        Cluster part = cluster().build();
        memo.next();
        assertThat(constraints.violations(first, memo)).isEmpty();
        assertThat(constraints.violations(part, memo)).isEmpty();
        memo.finish();
        memo.next();
        assertThat(memo.isKnownValid(first)).as("seen by the last check").isTrue();
        memo.finish();
        memo.next();
        assertThat(constraints.violations(second, memo)).isEmpty();
        memo.finish();
        memo.next();
        assertThat(memo.isKnownValid(first)).as("not seen by the last check: forgotten").isFalse();
        assertThat(memo.isKnownValid(second)).isTrue();
        assertThat(memo.isKnownValid(part)).as("a part stays known while its generation lasts").isTrue();
        memo.finish();
    }
}
