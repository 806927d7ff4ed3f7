package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.NotFound;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.EnvoySimulator.Redirected;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/** Contour's Ingress and Service annotations; bad values are ignored with a warning, never passed on. */
class IngressAnnotationsTest {

    private static String ingress(String annotations) {
        return backend("default", "web", "10.0.0.1") + tlsSecret("default", "cert") + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: i
                  namespace: default
                  annotations: {%s}
                spec:
                  tls: [{hosts: [x.com], secretName: cert}]
                  rules:
                  - host: x.com
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                      - {path: /ws, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                """.formatted(annotations);
    }

    private static RouteAction route(TranslationResult r, String path) {
        return ((Proxied) new EnvoySimulator(r.resources()).https("x.com", path)).route().getRoute();
    }

    @Test
    void forceSslRedirectAnswersPlainHttpWith301ToHttps() {
        EnvoySimulator envoy = Fixture.envoy(ingress("ingress.kubernetes.io/force-ssl-redirect: \"true\""));
        assertThat(envoy.http("x.com", "/")).isEqualTo(new Redirected(true, 301));
        assertThat(envoy.https("x.com", "/")).isInstanceOf(Proxied.class);
    }

    @Test
    void forceSslRedirectWinsOverAllowHttpFalse() {
        // Contour 0.15+: with both, port 80 keeps a route, and it redirects.
        EnvoySimulator envoy = Fixture.envoy(ingress("ingress.kubernetes.io/force-ssl-redirect: \"true\", "
                + "kubernetes.io/ingress.allow-http: \"false\""));
        assertThat(envoy.http("x.com", "/")).isEqualTo(new Redirected(true, 301));
        assertThat(envoy.https("x.com", "/")).isInstanceOf(Proxied.class);
    }

    @Test
    void websocketRoutesUnderBothPrefixesAreTheUnion() {
        var r = Fixture.translate(ingress("projectcontour.io/websocket-routes: \"/ws\", contour.heptio.com/websocket-routes: \"/\""));
        assertThat(route(r, "/ws").getUpgradeConfigsList()).extracting(u -> u.getUpgradeType()).containsExactly("websocket");
        assertThat(route(r, "/").getUpgradeConfigsList()).extracting(u -> u.getUpgradeType()).containsExactly("websocket");
    }

    @Test
    void contourAnnotationsIsolineDoesNotSupportAreWarnedInTheStatus() {
        var r = Fixture.translate(ingress("projectcontour.io/request-timout: 5s, contour.heptio.com/hash-policy: header, "
                + "projectcontour.io/websocket-routes: /ws, example.com/other: x"));
        assertThat(r.statuses()).singleElement().satisfies(s -> assertThat(s.description()).isEqualTo("valid Ingress; "
                + "annotation contour.heptio.com/hash-policy is not one Isoline supports, ignored; "
                + "annotation projectcontour.io/request-timout is not one Isoline supports, ignored"));
        assertThat(r.warnings()).contains("Ingress default/i: annotation projectcontour.io/request-timout is not one Isoline supports, ignored");
        var ingressRoute = Fixture.translate(backend("default", "web", "10.0.0.1") + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: default, annotations: {projectcontour.io/request-timeout: 5s}}
                spec:
                  virtualhost: {fqdn: r.example.com}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                """);
        assertThat(ingressRoute.statuses()).singleElement().satisfies(s -> assertThat(s.description()).isEqualTo("valid IngressRoute; "
                + "annotation projectcontour.io/request-timeout has no effect on an IngressRoute, ignored"));
    }

    @Test
    void allowHttpFalseRemovesThePlainHttpRoutes() {
        EnvoySimulator envoy = Fixture.envoy(ingress("kubernetes.io/ingress.allow-http: \"false\""));
        assertThat(envoy.http("x.com", "/")).isEqualTo(new NotFound());
        assertThat(envoy.https("x.com", "/")).isInstanceOf(Proxied.class);
    }

    @Test
    void requestTimeoutUnderEitherPrefixAndInfinity() {
        var heptio = Fixture.translate(ingress("contour.heptio.com/request-timeout: 1m30s"));
        assertThat(route(heptio, "/").getTimeout()).isEqualTo(Durations.fromSeconds(90));
        var infinite = Fixture.translate(ingress("projectcontour.io/request-timeout: infinity"));
        assertThat(route(infinite, "/").hasTimeout()).isTrue();
        assertThat(route(infinite, "/").getTimeout()).isEqualTo(Durations.ZERO);
        var both = Fixture.translate(ingress("projectcontour.io/request-timeout: 5s, contour.heptio.com/request-timeout: 9s"));
        assertThat(route(both, "/").getTimeout()).isEqualTo(Durations.fromSeconds(5));
    }

    @Test
    void retryPolicy() {
        var r = Fixture.translate(ingress("projectcontour.io/retry-on: \"5xx,gateway-error\", "
                + "projectcontour.io/num-retries: \"4\", projectcontour.io/per-try-timeout: 250ms"));
        var retry = route(r, "/").getRetryPolicy();
        assertThat(retry.getRetryOn()).isEqualTo("5xx,gateway-error");
        assertThat(retry.getNumRetries().getValue()).isEqualTo(4);
        assertThat(retry.getPerTryTimeout()).isEqualTo(Durations.fromMillis(250));
    }

    @Test
    void websocketRoutesUpgradeOnlyTheListedPaths() {
        var r = Fixture.translate(ingress("projectcontour.io/websocket-routes: \"/ws\""));
        assertThat(route(r, "/ws").getUpgradeConfigsList()).extracting(u -> u.getUpgradeType()).containsExactly("websocket");
        assertThat(route(r, "/").getUpgradeConfigsList()).isEmpty();
    }

    @Test
    void tlsMinimumProtocolVersion() throws Exception {
        var r = Fixture.translate(ingress("projectcontour.io/tls-minimum-protocol-version: \"1.3\""));
        var chain = r.resources().listeners().get(1).getFilterChains(0);
        assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion())
                .isEqualTo(TlsProtocol.TLSv1_3);
    }

    @Test
    void unparseableValuesAreIgnoredWithAWarningNamingTheObject() throws Exception {
        var r = Fixture.translate(ingress("projectcontour.io/per-try-timeout: soon, projectcontour.io/num-retries: \"-1\", "
                + "projectcontour.io/retry-on: \"5xx,sometimes\", projectcontour.io/tls-minimum-protocol-version: \"1.0\", "
                + "ingress.kubernetes.io/force-ssl-redirect: \"yes\""));
        RouteAction action = route(r, "/");
        assertThat(action.getRetryPolicy().hasPerTryTimeout()).isFalse();
        assertThat(action.getRetryPolicy().getRetryOn()).isEqualTo("5xx");
        assertThat(action.getRetryPolicy().getNumRetries().getValue()).isEqualTo(1);
        assertThat(new EnvoySimulator(r.resources()).http("x.com", "/")).isInstanceOf(Proxied.class);
        var chain = r.resources().listeners().get(1).getFilterChains(0);
        assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion())
                .isEqualTo(TlsProtocol.TLSv1_2);
        assertThat(r.warnings()).containsExactly(
                "Ingress default/i: annotation retry-on value \"sometimes\" is not a retry condition Envoy knows; ignored",
                "Ingress default/i: annotation num-retries value \"-1\" is not a whole number >= 0; ignored",
                "Ingress default/i: annotation per-try-timeout value \"soon\" is not a duration (like 30s, 1m30s or infinity); ignored",
                "Ingress default/i: annotation ingress.kubernetes.io/force-ssl-redirect value \"yes\" is not true or false; ignored",
                "Ingress default/i: annotation tls-minimum-protocol-version value \"1.0\" is not 1.2 or 1.3; the default applies; ignored");
    }

    @Test
    void serviceAnnotationsSetCircuitBreakersAndUpstreamProtocol() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: grpc
                  namespace: default
                  annotations:
                    projectcontour.io/max-connections: "100"
                    contour.heptio.com/max-pending-requests: "10"
                    projectcontour.io/max-requests: "200"
                    projectcontour.io/max-retries: "3"
                    projectcontour.io/upstream-protocol.h2c: "grpc"
                    projectcontour.io/upstream-protocol.tls: "443,secure"
                spec: {ports: [{name: grpc, port: 9000}, {name: secure, port: 443}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: i, namespace: default}
                spec:
                  rules:
                  - host: x.com
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: grpc, port: {number: 9000}}}}
                      - {path: /s, pathType: Prefix, backend: {service: {name: grpc, port: {name: secure}}}}
                """;
        var clusters = Fixture.translate(yaml).resources().clusters();
        Cluster h2c = clusters.stream().filter(c -> c.getName().startsWith("default/grpc/9000/")).findFirst().orElseThrow();
        var t = h2c.getCircuitBreakers().getThresholds(0);
        assertThat(t.getMaxConnections().getValue()).isEqualTo(100);
        assertThat(t.getMaxPendingRequests().getValue()).isEqualTo(10);
        assertThat(t.getMaxRequests().getValue()).isEqualTo(200);
        assertThat(t.getMaxRetries().getValue()).isEqualTo(3);
        assertThat(h2c.getTypedExtensionProtocolOptionsMap()).containsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        assertThat(h2c.hasTransportSocket()).isFalse();
        Cluster tls = clusters.stream().filter(c -> c.getName().startsWith("default/grpc/443/")).findFirst().orElseThrow();
        assertThat(tls.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        assertThat(tls.getTypedExtensionProtocolOptionsMap()).isEmpty();
        assertThat(h2c.getName()).isNotEqualTo("default/grpc/9000/da39a3ee5e");
    }
}
