package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Proxies.errors;
import static io.isoline.testing.Proxies.proxy;
import static io.isoline.testing.Proxies.statuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Answered;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPProxy routing as Contour 1.33 does it: conditions, includes across namespaces, and the status of each object. */
class HTTPProxyRoutingTest {

    private static final String BACKENDS = backend("root", "web", "10.0.0.1") + backend("team", "api", "10.0.0.2")
            + backend("team", "beta", "10.0.0.3") + backend("other", "web", "10.0.0.4");

    private static TranslationResult translate(String yaml) {
        return Fixture.translate(BACKENDS + yaml);
    }

    private static final String TREE = proxy("root", "site", """
            virtualhost: {fqdn: site.example.com}
            includes:
            - {name: api, namespace: team, conditions: [{prefix: /api}]}
            routes:
            - services: [{name: web, port: 80}]
            """) + proxy("team", "api", """
            routes:
            - conditions: [{prefix: /v1}]
              services: [{name: api, port: 80}]
            - conditions: [{prefix: /v1}, {header: {name: x-beta, present: true}}]
              services: [{name: beta, port: 80}]
            - conditions: [{exact: /health}]
              services: [{name: api, port: 80}]
            """);

    @Test
    void includesAddTheirConditionsToTheIncludedRoutesAcrossNamespaces() {
        var r = translate(TREE);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("site.example.com", "/api/v1/users"))).isEqualTo("api");
        assertThat(servedBy(envoy.http("site.example.com", "/api/v1x"))).as("a string prefix, as in Contour").isEqualTo("api");
        assertThat(servedBy(envoy.http("site.example.com", "/api/v1/users", Map.of("X-Beta", "1")))).isEqualTo("beta");
        assertThat(servedBy(envoy.http("site.example.com", "/api/health"))).isEqualTo("api");
        assertThat(servedBy(envoy.http("site.example.com", "/api/health/x"))).as("exact").isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/v1/users"))).as("only under the include's prefix").isEqualTo("web");
        assertThat(statuses(r)).containsExactly(entry("root/site", "valid: Valid HTTPProxy"), entry("team/api", "valid: Valid HTTPProxy"));
    }

    @Test
    void headerConditionsMatchAsEnvoyDoesIncludingMissingHeaders() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{header: {name: x-env, notcontains: prod}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /strict}, {header: {name: x-env, notexact: prod, treatMissingAsEmpty: true}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /case}, {header: {name: x-env, exact: PROD, ignoreCase: true}}]
                  services: [{name: web, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("site.example.com", "/", Map.of("x-env", "staging")))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/", Map.of("x-env", "prod-eu")))).isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/"))).as("a missing header does not match a negative condition").isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/strict"))).as("unless treatMissingAsEmpty").isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/case", Map.of("x-env", "prod")))).isEqualTo("web");
    }

    @Test
    void headerRegexesAndQueryParameterConditionsMatchTheWholeValueAndAddUpAlongIncludes() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes:
                - {name: api, namespace: team, conditions: [{prefix: /api}, {queryParameter: {name: tenant, exact: acme}}]}
                routes:
                - conditions: [{header: {name: x-build, regex: "[0-9]+-(rc|beta)"}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /q}, {queryParameter: {name: v, prefix: Beta, ignoreCase: true}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /q}, {queryParameter: {name: lang, suffix: -EU}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /q}, {queryParameter: {name: id, regex: "[a-f0-9]{8}"}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /q}, {queryParameter: {name: debug, present: true}}]
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /q}, {queryParameter: {name: tag, contains: sale}}]
                  services: [{name: web, port: 80}]
                """) + proxy("team", "api", """
                routes:
                - services: [{name: api, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("site.example.com", "/", Map.of("x-build", "42-rc")))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/", Map.of("x-build", "42-rc1")))).as("the whole value").isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/q?v=beta2"))).as("ignoreCase").isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/q?lang=de-EU"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/q?lang=de-eu"))).as("case-sensitive by default").isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/q?id=deadbeef"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/q?id=deadbeef0"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/q?x=1&debug"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/q?tag=summersale1"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("site.example.com", "/q?debuggery=1"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("site.example.com", "/api/x?tenant=acme"))).as("the include's query condition").isEqualTo("api");
        assertThat(servedBy(envoy.http("site.example.com", "/api/x?tenant=other"))).isEqualTo("404");
        assertThat(statuses(r)).containsExactly(entry("root/site", "valid: Valid HTTPProxy"), entry("team/api", "valid: Valid HTTPProxy"));
    }

    @Test
    void atOnePathMoreHeaderConditionsComeFirstThenMoreQueryParameterConditions() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{prefix: /}, {queryParameter: {name: a, present: true}}, {queryParameter: {name: b, present: true}}]
                  services: [{name: two-queries, port: 80}]
                - conditions: [{prefix: /}, {header: {name: x-a, present: true}}]
                  services: [{name: one-header, port: 80}]
                - conditions: [{prefix: /}, {queryParameter: {name: a, present: true}}]
                  services: [{name: one-query, port: 80}]
                """) + backend("root", "two-queries", "10.0.1.1") + backend("root", "one-header", "10.0.1.2")
                + backend("root", "one-query", "10.0.1.3"));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("site.example.com", "/?a=1&b=1", Map.of("x-a", "1")))).isEqualTo("one-header");
        assertThat(servedBy(envoy.http("site.example.com", "/?a=1&b=1"))).isEqualTo("two-queries");
        assertThat(servedBy(envoy.http("site.example.com", "/?a=1"))).isEqualTo("one-query");
        // The same rule when the less specific route is written first and its conditions sort first by name.
        var named = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{prefix: /h}, {header: {name: x-a, present: true}}]
                  services: [{name: one-query, port: 80}]
                - conditions: [{prefix: /h}, {header: {name: x-b, present: true}}, {header: {name: x-c, present: true}}]
                  services: [{name: one-header, port: 80}]
                - conditions: [{prefix: /q}, {header: {name: x-a, present: true}}]
                  services: [{name: one-header, port: 80}]
                - conditions: [{prefix: /q}, {header: {name: x-b, present: true}}, {queryParameter: {name: q, present: true}}]
                  services: [{name: one-query, port: 80}]
                """) + backend("root", "one-header", "10.0.1.2") + backend("root", "one-query", "10.0.1.3"));
        EnvoySimulator byName = new EnvoySimulator(named.resources());
        Map<String, String> all = Map.of("x-a", "1", "x-b", "1", "x-c", "1");
        assertThat(servedBy(byName.http("site.example.com", "/h", all))).as("two headers before one").isEqualTo("one-header");
        assertThat(servedBy(byName.http("site.example.com", "/q?q=1", all))).as("a query condition more").isEqualTo("one-query");
    }

    @Test
    void badQueryParameterAndRegexConditionsAreErrorsWithContoursReasons() {
        String[][] cases = {
            {"[{queryParameter: {name: q}}]", "QueryParameterMatchConditionsNotValid", "must specify at least one query parameter condition"},
            {"[{queryParameter: {name: q, exact: a, prefix: b}}]", "QueryParameterMatchConditionsNotValid",
                "cannot specify more than one condition in the same match condition branch"},
            {"[{queryParameter: {name: q, exact: a}}, {queryParameter: {name: Q, exact: b}}]", "QueryParameterMatchConditionsNotValid",
                "cannot specify duplicate query parameter 'exact match' conditions in the same route"},
            {"[{queryParameter: {name: " + "q".repeat(1025) + ", exact: a}}]", "QueryParameterMatchConditionsNotValid",
                "a query parameter name is longer than Envoy's 1024 bytes"},
            {"[{queryParameter: {name: q, regex: \"(a|b\"}}]", "QueryParameterMatchConditionsNotValid",
                "invalid regular expression specified for 'regex' condition on query parameter \"q\""},
            {"[{header: {name: x-a, regex: \"(ab|cd|ef){40}\"}}]",
                "HeaderMatchConditionsNotValid", "too complex for Envoy"},
        };
        for (String[] c : cases) {
            var r = translate(proxy("root", "site", """
                    virtualhost: {fqdn: site.example.com}
                    routes:
                    - conditions: %s
                      services: [{name: web, port: 80}]
                    - conditions: [{prefix: /ok}]
                      services: [{name: web, port: 80}]
                    """.formatted(c[0])));
            assertThat(errors(r, "root/site")).as(c[0]).containsExactly("RouteError/" + c[1]);
            assertThat(statuses(r).get("root/site")).as(c[0]).startsWith("invalid: ").contains(c[2]);
            assertThat(servedBy(new EnvoySimulator(r.resources()).http("site.example.com", "/ok"))).as("the object's routes are dropped")
                    .isEqualTo("404");
        }
    }

    @Test
    void aMissingIncludeAnswers502UnderItsConditionsAndTheRootSaysWhy() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes: [{name: gone, namespace: team, conditions: [{prefix: /gone}]}]
                routes: [{services: [{name: web, port: 80}]}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(envoy.http("site.example.com", "/gone/x")).isEqualTo(new Answered(502));
        assertThat(servedBy(envoy.http("site.example.com", "/"))).isEqualTo("web");
        assertThat(statuses(r)).containsEntry("root/site", "invalid: include team/gone not found");
        assertThat(errors(r, "root/site")).containsExactly("IncludeError/IncludeNotFound");
    }

    @Test
    void cyclesRootsIncludedAndDuplicateConditionsAreReportedWithContoursReasons() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes:
                - {name: a, namespace: team, conditions: [{prefix: /a}]}
                - {name: b, namespace: team, conditions: [{prefix: /a}]}
                - {name: other, namespace: other, conditions: [{prefix: /o}]}
                """) + proxy("team", "a", """
                includes: [{name: a, conditions: [{prefix: /again}]}]
                routes: [{services: [{name: api, port: 80}]}]
                """) + proxy("team", "b", "routes: [{services: [{name: beta, port: 80}]}]")
                + proxy("other", "other", """
                virtualhost: {fqdn: other.example.com}
                routes: [{services: [{name: web, port: 80}]}]
                """) + proxy("team", "lonely", "routes: [{services: [{name: api, port: 80}]}]"));
        assertThat(errors(r, "team/a")).containsExactly("IncludeError/IncludeCreatesCycle");
        assertThat(statuses(r).get("team/a")).isEqualTo("invalid: include creates an include cycle: root/site -> team/a -> team/a");
        assertThat(errors(r, "root/site")).containsExactly("IncludeError/DuplicateMatchConditions", "IncludeError/RootIncludesRoot");
        assertThat(statuses(r)).containsEntry("team/lonely",
                "orphaned: this HTTPProxy is not part of a delegation chain from a root HTTPProxy");
        assertThat(statuses(r)).containsEntry("team/b", "orphaned: this HTTPProxy is not part of a delegation chain from a root HTTPProxy");
        assertThat(statuses(r)).containsEntry("other/other", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("other.example.com", "/"))).isEqualTo("web");
    }

    @Test
    void anUnresolvedServiceAnswers503OnItsRouteOnly() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{prefix: /missing}]
                  services: [{name: nowhere, port: 80}]
                - services: [{name: web, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(envoy.http("site.example.com", "/missing")).isEqualTo(new Answered(503));
        assertThat(servedBy(envoy.http("site.example.com", "/"))).isEqualTo("web");
        assertThat(errors(r, "root/site")).containsExactly("ServiceError/ServiceUnresolvedReference");
    }

    @Test
    void aBadConditionDropsOnlyThatObjectsRoutes() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes: [{name: api, namespace: team, conditions: [{prefix: /api}]}]
                routes: [{services: [{name: web, port: 80}]}]
                """) + proxy("team", "api", """
                routes:
                - conditions: [{prefix: /a}, {prefix: /b}]
                  services: [{name: api, port: 80}]
                """));
        assertThat(statuses(r)).containsEntry("team/api",
                "invalid: route: more than one prefix, exact or regex is not allowed in a condition block");
        assertThat(statuses(r)).containsEntry("root/site", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("site.example.com", "/api/a"))).isEqualTo("web");
    }

    @Test
    void aHeaderConditionThatMatchesNothingKnownIsAnErrorNeverAWiderRoute() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{header: {name: x-admin, ignoreCase: true}}]
                  services: [{name: web, port: 80}]
                """));
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("site.example.com", "/"))).isEqualTo("404");
        assertThat(errors(r, "root/site")).containsExactly("RouteError/HeaderMatchConditionsNotValid");
        var contradiction = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{header: {name: x-a, present: true}}, {header: {name: X-A, notpresent: true}}]
                  services: [{name: web, port: 80}]
                """));
        assertThat(statuses(contradiction).get("root/site"))
                .isEqualTo("invalid: cannot specify contradictory 'present' and 'notpresent' conditions for the same route and header");
    }

    @Test
    void routePoliciesReachEnvoy() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{prefix: /lb}]
                  loadBalancerPolicy: {strategy: WeightedLeastRequest}
                  healthCheckPolicy: {path: /healthz, intervalSeconds: 3}
                  timeoutPolicy: {response: 10s, idle: 1m}
                  retryPolicy: {count: 0, retryOn: [gateway-error, retriable-status-codes], retriableStatusCodes: [503]}
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /sticky}]
                  loadBalancerPolicy: {strategy: Cookie}
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /hash}]
                  loadBalancerPolicy: {strategy: RequestHash}
                  services: [{name: web, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        var lb = ((EnvoySimulator.Proxied) envoy.http("site.example.com", "/lb")).route().getRoute();
        assertThat(lb.getTimeout()).isEqualTo(com.google.protobuf.util.Durations.fromSeconds(10));
        assertThat(lb.getIdleTimeout()).isEqualTo(com.google.protobuf.util.Durations.fromSeconds(60));
        assertThat(lb.getRetryPolicy().getRetryOn()).isEqualTo("gateway-error,retriable-status-codes");
        assertThat(lb.getRetryPolicy().getNumRetries().getValue()).as("count 0 means 1").isEqualTo(1);
        assertThat(lb.getRetryPolicy().getRetriableStatusCodesList()).containsExactly(503);
        var cluster = r.resources().clusters().stream().filter(c -> c.getName().equals(lb.getCluster())).findFirst().orElseThrow();
        assertThat(cluster.getLbPolicy()).isEqualTo(io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(cluster.getHealthChecks(0).getHttpHealthCheck().getPath()).isEqualTo("/healthz");
        assertThat(cluster.getHealthChecks(0).getInterval()).isEqualTo(com.google.protobuf.util.Durations.fromSeconds(3));
        var sticky = ((EnvoySimulator.Proxied) envoy.http("site.example.com", "/sticky")).route().getRoute();
        assertThat(sticky.getHashPolicy(0).getCookie().getName()).isEqualTo("X-Contour-Session-Affinity");
        assertThat(r.statuses()).filteredOn(st -> st.name().equals("site")).singleElement().satisfies(st -> {
            assertThat(st.currentStatus()).isEqualTo("valid");
            assertThat(st.warnings()).extracting(w -> w.message())
                    .containsExactly("ignoring invalid request hash policy options, setting load balancer strategy to default RoundRobin");
        });
        var hash = ((EnvoySimulator.Proxied) envoy.http("site.example.com", "/hash")).route().getRoute();
        assertThat(hash.getHashPolicyList()).as("RequestHash without policies is RoundRobin").isEmpty();
        assertThat(r.resources().clusters().stream().filter(c -> c.getName().equals(hash.getCluster())).findFirst().orElseThrow()
                .getLbPolicy()).isEqualTo(io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.ROUND_ROBIN);
        var bad = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - timeoutPolicy: {idle: soon}
                  services: [{name: web, port: 80}]
                """));
        assertThat(errors(bad, "root/site")).containsExactly("RouteError/TimeoutPolicyNotValid");
        assertThat(servedBy(new EnvoySimulator(bad.resources()).http("site.example.com", "/"))).isEqualTo("404");
    }

    @Test
    void headerPoliciesSetAndRemoveWithContoursEscapingAndRefuseWhatEnvoyWouldReject() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - requestHeadersPolicy:
                    set:
                    - {name: X-Namespace, value: "%CONTOUR_NAMESPACE%"}
                    - {name: X-Discount, value: "100%"}
                    - {name: X-Copy, value: "%REQ(x-request-id)%"}
                    - {name: X-Secret, value: "%DOWNSTREAM_PEER_CERT%"}
                    - {name: Host, value: backend.internal}
                    remove: [X-Debug]
                  responseHeadersPolicy:
                    set: [{name: Strict-Transport-Security, value: max-age=31536000}]
                    remove: [Server]
                  services: [{name: web, port: 80}]
                """));
        var route = ((EnvoySimulator.Proxied) new EnvoySimulator(r.resources()).http("site.example.com", "/")).route();
        assertThat(route.getRequestHeadersToAddList()).extracting(h -> h.getHeader().getKey() + "=" + h.getHeader().getValue())
                .containsExactly("x-copy=%REQ(x-request-id)%", "x-discount=100%%", "x-namespace=root",
                        "x-secret=%%DOWNSTREAM_PEER_CERT%%");
        assertThat(route.getRequestHeadersToAddList()).allSatisfy(h -> assertThat(h.getAppendAction())
                .isEqualTo(io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
        assertThat(route.getRequestHeadersToRemoveList()).containsExactly("x-debug");
        assertThat(route.getRoute().getHostRewriteLiteral()).isEqualTo("backend.internal");
        assertThat(route.getResponseHeadersToAddList()).extracting(h -> h.getHeader().getKey()).containsExactly("strict-transport-security");
        assertThat(route.getResponseHeadersToRemoveList()).containsExactly("server");
        for (String bad : new String[] {"responseHeadersPolicy: {set: [{name: Host, value: x}]}",
            "requestHeadersPolicy: {set: [{name: \":path\", value: /admin}]}",
            "requestHeadersPolicy: {set: [{name: X-A, value: \"a\\nb\"}]}",
            "requestHeadersPolicy: {remove: [Host]}"}) {
            var refused = translate(proxy("root", "site", "virtualhost: {fqdn: site.example.com}\nroutes:\n- " + bad
                    + "\n  services: [{name: web, port: 80}]\n"));
            assertThat(refused.statuses().get(0).errors()).as(bad).singleElement()
                    .satisfies(e -> {
                        assertThat(e.reason()).matches("(Request|Response)Headers?PolicyInvalid");
                        assertThat(e.message()).as("says which side").matches(".* on (request|response) headers");
                    });
            assertThat(servedBy(new EnvoySimulator(refused.resources()).http("site.example.com", "/"))).isEqualTo("404");
        }
    }

    @Test
    void replacePrefixRewritesTheRoutingPrefixWithoutDoubleOrHalfSlashes() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes: [{name: api, namespace: team, conditions: [{prefix: /api}]}]
                """) + proxy("team", "api", """
                routes:
                - conditions: [{prefix: /v1}]
                  pathRewritePolicy:
                    replacePrefix:
                    - {prefix: /api/v1, replacement: /}
                    - {replacement: /other}
                  services: [{name: api, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        var deep = ((EnvoySimulator.Proxied) envoy.http("site.example.com", "/api/v1/users")).route();
        assertThat(deep.getMatch().getPrefix()).isEqualTo("/api/v1/");
        assertThat(deep.getRoute().getPrefixRewrite()).as("/api/v1/users -> /users").isEqualTo("/");
        var bare = ((EnvoySimulator.Proxied) envoy.http("site.example.com", "/api/v1")).route();
        assertThat(bare.getMatch().getPrefix()).isEqualTo("/api/v1");
        assertThat(bare.getRoute().getPrefixRewrite()).isEqualTo("/");
        var noPrefix = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{exact: /x}]
                  pathRewritePolicy: {replacePrefix: [{replacement: /y}]}
                  services: [{name: web, port: 80}]
                """));
        assertThat(errors(noPrefix, "root/site")).containsExactly("PrefixReplaceError/MustHavePrefix");
    }

    @Test
    void directResponsesAndRedirectsNeedNoServiceAndCannotBreakTheRouteTable() {
        var r = translate(proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                routes:
                - conditions: [{prefix: /maintenance}]
                  directResponsePolicy: {statusCode: 503, body: back soon}
                - conditions: [{prefix: /old}]
                  requestRedirectPolicy: {scheme: https, hostname: new.example.com, statusCode: 302, prefix: /new}
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(envoy.http("site.example.com", "/maintenance")).isEqualTo(new Answered(503));
        var direct = ((io.envoyproxy.envoy.config.route.v3.RouteConfiguration) r.resources().routes().get(0)).getVirtualHosts(0)
                .getRoutesList().stream().filter(x -> x.hasDirectResponse()).findFirst().orElseThrow();
        assertThat(direct.getDirectResponse().getBody().getInlineString()).isEqualTo("back soon");
        assertThat(envoy.http("site.example.com", "/old/page")).isEqualTo(new EnvoySimulator.Redirected(false, 302));
        var redirect = r.resources().routes().get(0).getVirtualHosts(0).getRoutesList().stream().filter(x -> x.hasRedirect())
                .findFirst().orElseThrow().getRedirect();
        assertThat(redirect.getHostRedirect() + " " + redirect.getSchemeRedirect() + " " + redirect.getPrefixRewrite())
                .isEqualTo("new.example.com https /new");
        for (String bad : new String[] {"directResponsePolicy: {statusCode: 503, body: \"" + "x".repeat(5000) + "\"}",
            "directResponsePolicy: {statusCode: 99}", "requestRedirectPolicy: {path: /a, prefix: /b}",
            "requestRedirectPolicy: {hostname: \"bad host\"}",
            "requestRedirectPolicy: {path: /a}\n  services: [{name: web, port: 80}]"}) {
            var refused = translate(proxy("root", "site", "virtualhost: {fqdn: site.example.com}\nroutes:\n- " + bad + "\n"));
            assertThat(refused.statuses().get(0).currentStatus()).as(bad).isEqualTo("invalid");
            assertThat(refused.resources().routes().toString()).as(bad).doesNotContain("xxxxxxxxxx");
        }
    }
}
