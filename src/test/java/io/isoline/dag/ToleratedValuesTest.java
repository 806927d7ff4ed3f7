package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/**
 * Values Contour tolerates, tolerated the same way so a migrated object keeps serving: an
 * unparseable request timeout means no timeout (Contour's "infinite"), an unparseable per-try
 * timeout is ignored, health-check fields of 0 take the defaults. Each is said in the status
 * (IngressRoute) or the warnings (Ingress annotations).
 */
class ToleratedValuesTest {

    private static final String BACKEND = backend("app", "web", "10.0.0.1");

    private static TranslationResult translate(String routes) {
        return Fixture.translate(BACKEND + root("app", "r", "r.example.com", routes));
    }

    private static RouteAction route(TranslationResult r, String host) {
        return ((Proxied) new EnvoySimulator(r.resources()).http(host, "/")).route().getRoute();
    }

    @Test
    void anUnparseableRequestTimeoutMeansNoTimeoutAsInContour() {
        for (String value : new String[] {"soon", "9999999999h", "-1s"}) {
            var r = translate("  - {match: /, timeoutPolicy: {request: \"" + value + "\"}, services: [{name: web, port: 80}]}\n");
            assertThat(route(r, "r.example.com").getTimeout()).as(value).isEqualTo(Durations.ZERO);
            assertThat(statuses(r).get("app/r")).startsWith("valid: valid IngressRoute; ")
                    .contains("route \"/\": timeoutPolicy.request \"" + value + "\" is not a duration; the route has no timeout");
        }
    }

    @Test
    void anUnparseablePerTryTimeoutIsIgnored() {
        var r = translate("  - {match: /, retryPolicy: {count: 2, perTryTimeout: often}, services: [{name: web, port: 80}]}\n");
        var retry = route(r, "r.example.com").getRetryPolicy();
        assertThat(retry.getNumRetries().getValue()).isEqualTo(2);
        assertThat(retry.hasPerTryTimeout()).isFalse();
        assertThat(statuses(r).get("app/r")).startsWith("valid: ")
                .contains("route \"/\": retryPolicy.perTryTimeout \"often\" is not a duration; ignored");
    }

    @Test
    void healthCheckFieldsOfZeroTakeTheDefaults() {
        var r = translate("  - {match: /, services: [{name: web, port: 80, healthCheck: {path: /healthz, intervalSeconds: 0,"
                + " timeoutSeconds: 0, unhealthyThresholdCount: 0, healthyThresholdCount: 0}}]}\n");
        assertThat(statuses(r)).containsEntry("app/r", "valid: valid IngressRoute");
        Cluster cluster = r.resources().clusters().get(0);
        HealthCheck hc = cluster.getHealthChecks(0);
        assertThat(hc.getInterval()).isEqualTo(Durations.fromSeconds(5));
        assertThat(hc.getTimeout()).isEqualTo(Durations.fromSeconds(2));
        assertThat(hc.getUnhealthyThreshold().getValue()).isEqualTo(3);
        assertThat(hc.getHealthyThreshold().getValue()).isEqualTo(2);
        var defaults = translate("  - {match: /, services: [{name: web, port: 80, healthCheck: {path: /healthz}}]}\n");
        assertThat(defaults.resources().clusters()).as("the same cluster as with no values at all").isEqualTo(r.resources().clusters());
    }

    @Test
    void anUnparseableIngressRequestTimeoutMeansNoTimeoutNotEnvoysDefault() {
        var r = Fixture.translate(BACKEND + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: i, namespace: app, annotations: {projectcontour.io/request-timeout: soon}}
                spec: {rules: [{host: i.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                """);
        RouteAction action = route(r, "i.example.com");
        assertThat(action.hasTimeout()).as("unset would be Envoy's 15 s").isTrue();
        assertThat(action.getTimeout()).isEqualTo(Durations.ZERO);
        assertThat(r.warnings()).contains("Ingress app/i: annotation request-timeout value \"soon\" is not a duration"
                + " (like 30s, 1m30s or infinity); the route has no timeout, as in Contour");
    }

    @Test
    void contour1ResponseTimeoutIsTheRequestTimeoutAndWinsUnderEitherPrefix() {
        for (String annotations : new String[] {"projectcontour.io/response-timeout: 7s, projectcontour.io/request-timeout: 3s",
                "contour.heptio.com/response-timeout: 7s, contour.heptio.com/request-timeout: 3s"}) {
            var r = Fixture.translate(BACKEND + """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: i, namespace: app, annotations: {%s}}
                    spec: {rules: [{host: i.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                    """.formatted(annotations));
            assertThat(route(r, "i.example.com").getTimeout()).as(annotations).isEqualTo(Durations.fromSeconds(7));
        }
    }
}
