package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Proxies.errors;
import static io.isoline.testing.Proxies.proxy;
import static io.isoline.testing.Proxies.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/** The services of an HTTPProxy route as Contour 1.33 reads them: load balancing, mirrors, per-service headers, slow start, upstream idle timeout. */
class HTTPProxyServicesTest {

    private static final String BACKENDS = backend("root", "web", "10.0.0.1") + backend("root", "shadow", "10.0.0.2")
            + backend("root", "canary", "10.0.0.3");

    private static TranslationResult translate(String routes) {
        return Fixture.translate(BACKENDS + proxy("root", "site", "virtualhost: {fqdn: site.example.com}\nroutes:\n" + routes));
    }

    private static RouteAction route(TranslationResult r, String path) {
        return ((EnvoySimulator.Proxied) new EnvoySimulator(r.resources()).http("site.example.com", path)).route().getRoute();
    }

    private static Cluster cluster(TranslationResult r, String name) {
        return r.resources().clusters().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void requestHashHashesOnHeadersQueryParametersAndSourceAddressInOrderIgnoringBadPolicies() {
        var r = translate("""
                - loadBalancerPolicy:
                    strategy: RequestHash
                    requestHashPolicies:
                    - {headerHashOptions: {headerName: X-User}, terminal: true}
                    - {queryParameterHashOptions: {parameterName: Session}}
                    - {hashSourceIP: true}
                    - {hashSourceIP: true}
                    - {headerHashOptions: {headerName: x-user}}
                    - {headerHashOptions: {headerName: "bad header"}}
                    - {hashSourceIP: true, headerHashOptions: {headerName: x-both}}
                    - {terminal: true}
                  services: [{name: web, port: 80}]
                """);
        var route = route(r, "/");
        assertThat(route.getHashPolicyList()).extracting(h -> h.getPolicySpecifierCase() + ":" + switch (h.getPolicySpecifierCase()) {
            case HEADER -> h.getHeader().getHeaderName();
            case QUERY_PARAMETER -> h.getQueryParameter().getName();
            default -> String.valueOf(h.getConnectionProperties().getSourceIp());
        } + (h.getTerminal() ? " terminal" : "")).containsExactly("HEADER:x-user terminal", "QUERY_PARAMETER:session",
                "CONNECTION_PROPERTIES:true");
        assertThat(r.resources().clusters().stream().filter(c -> c.getName().equals(route.getCluster())).findFirst().orElseThrow()
                .getLbPolicy()).isEqualTo(io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.RING_HASH);
        assertThat(r.statuses()).filteredOn(st -> st.name().equals("site")).singleElement().satisfies(st -> {
            assertThat(st.currentStatus()).as("bad hash policies are warnings, as in Contour").isEqualTo("valid");
            assertThat(st.warnings()).extracting(w -> w.message()).containsExactly(
                    "ignoring invalid request hash policy: hashSourceIP specified multiple times",
                    "ignoring invalid request hash policy: duplicated header name x-user",
                    "ignoring invalid request hash policy: invalid header name \"bad header\"",
                    "ignoring invalid request hash policy: must set exactly one of hashSourceIP or headerHashOptions or queryParameterHashOptions");
        });
    }

    @Test
    void aMirrorServiceGetsACopyOfItsShareOfTheRequestsAndNoShareOfTheAnswers() {
        var r = translate("""
                - conditions: [{prefix: /all}]
                  services: [{name: web, port: 80}, {name: shadow, port: 80, mirror: true}]
                - conditions: [{prefix: /some}]
                  services: [{name: web, port: 80}, {name: shadow, port: 80, mirror: true, weight: 25}]
                - conditions: [{prefix: /only-mirror}]
                  services: [{name: shadow, port: 80, mirror: true}]
                """);
        var all = route(r, "/all");
        assertThat(all.getCluster()).startsWith("root/web/80/");
        assertThat(all.getRequestMirrorPolicies(0).getCluster()).startsWith("root/shadow/80/");
        assertThat(all.getRequestMirrorPolicies(0).getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(100);
        assertThat(r.resources().clusters()).extracting(Cluster::getName).as("the mirror's cluster is served").anyMatch(n -> n.startsWith("root/shadow/80/"));
        assertThat(route(r, "/some").getRequestMirrorPolicies(0).getRuntimeFraction().getDefaultValue().getNumerator())
                .as("the weight is the percentage mirrored").isEqualTo(25);
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("site.example.com", "/only-mirror")))
                .as("a mirror alone serves nothing, as in Contour").isEqualTo("Answered[status=503]");
        assertThat(statuses(r).get("root/site")).isEqualTo("valid: Valid HTTPProxy");
        var two = translate("""
                - conditions: [{prefix: /two}]
                  services: [{name: web, port: 80}, {name: shadow, port: 80, mirror: true}, {name: canary, port: 80, mirror: true}]
                """);
        assertThat(errors(two, "root/site")).containsExactly("ServiceError/OnlyOneMirror");
        assertThat(servedBy(new EnvoySimulator(two.resources()).http("site.example.com", "/two"))).as("the object's routes are dropped")
                .isEqualTo("404");
    }

    @Test
    void aServicesOwnHeadersApplyToItsShareOnlyWithItsNameAndPort() {
        var r = translate("""
                - requestHeadersPolicy: {set: [{name: X-Route, value: all}]}
                  services:
                  - name: web
                    port: 80
                    weight: 90
                    requestHeadersPolicy: {set: [{name: X-Service, value: "%CONTOUR_SERVICE_NAME%:%CONTOUR_SERVICE_PORT%"}, {name: Host, value: web.internal}]}
                  - name: canary
                    port: 80
                    weight: 10
                    responseHeadersPolicy: {set: [{name: X-Canary, value: "yes"}], remove: [Server]}
                """);
        var route = route(r, "/");
        var web = route.getWeightedClusters().getClusters(0);
        var canary = route.getWeightedClusters().getClusters(1);
        assertThat(web.getName()).startsWith("root/web/80/");
        assertThat(web.getRequestHeadersToAddList()).extracting(h -> h.getHeader().getKey() + "=" + h.getHeader().getValue())
                .containsExactly("x-service=web:80");
        assertThat(web.getHostRewriteLiteral()).isEqualTo("web.internal");
        assertThat(canary.getRequestHeadersToAddList()).isEmpty();
        assertThat(canary.getResponseHeadersToAddList()).extracting(h -> h.getHeader().getKey()).containsExactly("x-canary");
        assertThat(canary.getResponseHeadersToRemoveList()).containsExactly("server");
        var bad = translate("""
                - services: [{name: web, port: 80, requestHeadersPolicy: {set: [{name: ":path", value: /admin}]}}]
                """);
        assertThat(errors(bad, "root/site")).containsExactly("ServiceError/RequestHeadersPolicyInvalid");
        assertThat(statuses(bad).get("root/site")).endsWith(" on request headers");
    }

    @Test
    void aLoneServiceWithItsOwnHeadersIsStillOneClusterTakingAllTheTraffic() {
        var r = translate("""
                - services: [{name: web, port: 80, responseHeadersPolicy: {set: [{name: X-From, value: web}]}}]
                """);
        var weighted = route(r, "/").getWeightedClusters();
        assertThat(weighted.getClustersList()).singleElement().satisfies(c -> {
            assertThat(c.getWeight().getValue()).isEqualTo(1);
            assertThat(c.getResponseHeadersToAddList()).hasSize(1);
        });
    }

    @Test
    void slowStartRampsNewEndpointsOnRoundRobinAndLeastRequestOnly() {
        var r = translate("""
                - conditions: [{prefix: /rr}]
                  services: [{name: web, port: 80, slowStartPolicy: {window: 30s, aggression: "1.5", minimumWeightPercent: 5}}]
                - conditions: [{prefix: /lr}]
                  loadBalancerPolicy: {strategy: WeightedLeastRequest}
                  services: [{name: canary, port: 80, slowStartPolicy: {window: 1m}}]
                """);
        var rr = cluster(r, route(r, "/rr").getCluster()).getRoundRobinLbConfig().getSlowStartConfig();
        assertThat(rr.getSlowStartWindow().getSeconds()).isEqualTo(30);
        assertThat(rr.getAggression().getDefaultValue()).isEqualTo(1.5);
        assertThat(rr.getMinWeightPercent().getValue()).isEqualTo(5);
        var lr = cluster(r, route(r, "/lr").getCluster());
        assertThat(lr.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(lr.getLeastRequestLbConfig().getSlowStartConfig().getAggression().getDefaultValue()).as("Contour's default").isEqualTo(1.0);
        assertThat(lr.getLeastRequestLbConfig().getSlowStartConfig().getMinWeightPercent().getValue()).as("Contour's default").isEqualTo(10);
        String[][] bad = {
            {"{loadBalancerPolicy: {strategy: Random}, services: [{name: web, port: 80, slowStartPolicy: {window: 1s}}]}",
                "slow start is only supported with RoundRobin or WeightedLeastRequest load balancer strategy"},
            {"{services: [{name: web, port: 80, slowStartPolicy: {window: soon}}]}", "error parsing window"},
            {"{services: [{name: web, port: 80, slowStartPolicy: {window: 1s, aggression: \"" + "9".repeat(400) + "\"}}]}",
                "error parsing aggression"},
        };
        for (String[] b : bad) {
            var refused = translate("- " + b[0] + "\n");
            assertThat(errors(refused, "root/site")).as(b[0]).containsExactly("ServiceError/SlowStartInvalid");
            assertThat(statuses(refused).get("root/site")).as(b[0]).contains(b[1]);
        }
    }

    @Test
    void idleConnectionSetsTheUpstreamIdleTimeoutOfTheRoutesClustersOnly() throws Exception {
        var r = translate("""
                - conditions: [{prefix: /idle}]
                  timeoutPolicy: {idleConnection: 45s}
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /forever}]
                  timeoutPolicy: {idleConnection: infinity}
                  services: [{name: web, port: 80}]
                - conditions: [{prefix: /plain}]
                  services: [{name: web, port: 80}]
                """);
        var idle = cluster(r, route(r, "/idle").getCluster());
        var options = idle.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
                .unpack(HttpProtocolOptions.class);
        assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(45);
        assertThat(options.getExplicitHttpConfig().hasHttpProtocolOptions()).as("still HTTP/1.1").isTrue();
        var forever = cluster(r, route(r, "/forever").getCluster())
                .getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions").unpack(HttpProtocolOptions.class);
        assertThat(forever.getCommonHttpProtocolOptions().hasIdleTimeout()).isTrue();
        assertThat(forever.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).as("0 disables it").isZero();
        var plain = route(r, "/plain").getCluster();
        assertThat(plain).as("the Service's default cluster keeps its name").isNotIn(idle.getName()).endsWith("/da39a3ee5e");
        assertThat(cluster(r, plain).getTypedExtensionProtocolOptionsMap()).isEmpty();
        var bad = translate("""
                - timeoutPolicy: {idleConnection: later}
                  services: [{name: web, port: 80}]
                """);
        assertThat(errors(bad, "root/site")).containsExactly("RouteError/TimeoutPolicyNotValid");
    }

    @Test
    void cookieRewritesGoToTheRoutesLuaAsDataAndAServicesOwnJoinTheRoutes() {
        var r = translate("""
                - conditions: [{prefix: /app}]
                  cookieRewritePolicies:
                  - {name: session, pathRewrite: {value: /app}, secure: true, sameSite: Strict}
                  - {name: theme, domainRewrite: {value: example.com}}
                  services:
                  - name: web
                    port: 80
                    cookieRewritePolicies: [{name: theme, secure: false}]
                - conditions: [{prefix: /plain}]
                  services: [{name: web, port: 80}]
                """);
        var app = ((EnvoySimulator.Proxied) new EnvoySimulator(r.resources()).http("site.example.com", "/app")).route();
        var rules = app.getMetadata().getFilterMetadataOrThrow("envoy.filters.http.lua").getFieldsOrThrow("cookieRewrites").getListValue();
        assertThat(rules.getValuesList()).extracting(v -> v.getStructValue().getFieldsMap().keySet().stream().sorted().toList()
                + "=" + v.getStructValue().getFieldsOrThrow("name").getStringValue()).containsExactly(
                "[name, path, sameSite, secure]=session", "[name, secure]=theme");
        assertThat(app.getTypedPerFilterConfigMap()).containsKey("envoy.filters.http.lua");
        var plain = ((EnvoySimulator.Proxied) new EnvoySimulator(r.resources()).http("site.example.com", "/plain")).route();
        assertThat(plain.hasMetadata()).as("the script runs only where rules are").isFalse();
        assertThat(plain.getTypedPerFilterConfigMap()).isEmpty();
        String[][] bad = {
            {"[{name: \"a b\", secure: true}]", "a cookie name must be an HTTP token"},
            {"[{name: s}]", "no attributes rewritten for cookie \"s\""},
            {"[{name: s, secure: true}, {name: s, secure: false}]", "duplicate cookie rewrite rule"},
            {"[{name: s, pathRewrite: {value: \"/; Domain=evil.test\"}}]", "pathRewrite.value must be a path without ';'"},
            {"[{name: s, domainRewrite: {value: \"evil.test; Secure\"}}]", "domainRewrite.value must be a DNS name"},
        };
        for (String[] b : bad) {
            var refused = translate("- {cookieRewritePolicies: " + b[0] + ", services: [{name: web, port: 80}]}\n");
            assertThat(errors(refused, "root/site")).as(b[0]).containsExactly("RouteError/CookieRewritePoliciesInvalid");
            assertThat(statuses(refused).get("root/site")).as(b[0]).contains(b[1]).endsWith("on route cookie rewrite rules");
        }
        var several = translate("""
                - cookieRewritePolicies: [{name: route, secure: true}]
                  services: [{name: web, port: 80, cookieRewritePolicies: [{name: s, secure: true}]}, {name: canary, port: 80}]
                """);
        var route = route(several, "/");
        var own = route.getWeightedClusters().getClusters(0);
        var plainShare = route.getWeightedClusters().getClusters(1);
        assertThat(own.getTypedPerFilterConfigMap()).as("the service's share has its own script").containsKey("envoy.filters.http.lua");
        assertThat(plainShare.getTypedPerFilterConfigMap()).isEmpty();
        String script;
        try {
            script = own.getTypedPerFilterConfigOrThrow("envoy.filters.http.lua").unpack(io.envoyproxy.envoy.config.route.v3.FilterConfig.class)
                    .getConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.lua.v3.LuaPerRoute.class).getSourceCode().getInlineString();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertThat(script).as("the route's rules and the service's, values escaped")
                .contains("{name = \"\\114\\111\\117\\116\\101\", secure = true}, {name = \"\\115\", secure = true}");
        assertThat(several.statuses().get(0).currentStatus()).isEqualTo("valid");
    }
}
