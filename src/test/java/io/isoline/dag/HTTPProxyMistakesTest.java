package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static io.isoline.testing.Proxies.errors;
import static io.isoline.testing.Proxies.proxy;
import static io.isoline.testing.Proxies.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.testing.IngressRoutes;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/**
 * HTTPProxy mistakes a tenant can make: each is reported on the object that made it, with the type
 * and reason Contour uses, and costs nobody else a route.
 */
class HTTPProxyMistakesTest {

    private static final String BASE = backend("root", "web", "10.0.0.1") + backend("root", "db", "10.0.0.2")
            + backend("team", "web", "10.0.0.3") + tlsSecret("root", "cert")
            + proxy("root", "bystander", "virtualhost: {fqdn: bystander.example.com}\nroutes: [{services: [{name: web, port: 80}]}]");

    /** Translates {@code yaml} with a bystander root, and checks the bystander is still served and valid. */
    private static TranslationResult translate(String yaml) {
        TranslationResult r = Fixture.translate(BASE + yaml);
        assertThat(statuses(r)).containsEntry("root/bystander", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("bystander.example.com", "/"))).isEqualTo("web");
        return r;
    }

    private static String site(String spec) {
        return proxy("root", "site", spec);
    }

    /** A root for site.example.com with {@code routes} (YAML list items). */
    private static String siteRoutes(String routes) {
        return site("virtualhost: {fqdn: site.example.com}\nroutes:\n" + routes);
    }

    private static String siteServed(TranslationResult r, String path) {
        return servedBy(new EnvoySimulator(r.resources()).http("site.example.com", path));
    }

    @Test
    void anFqdnMustBeGivenAndBeAHostOrAWholeFirstLabelWildcard() {
        var empty = translate(site("virtualhost: {fqdn: \" \"}\nroutes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(empty)).containsEntry("root/site", "invalid: Spec.VirtualHost.Fqdn must be specified");
        assertThat(errors(empty, "root/site")).containsExactly("VirtualHostError/FQDNNotSpecified");
        for (String fqdn : new String[] {"a.*.example.com", "*foo.example.com", "*"}) {
            var r = translate(site("virtualhost: {fqdn: \"" + fqdn + "\"}\nroutes: [{services: [{name: web, port: 80}]}]"));
            assertThat(statuses(r)).as(fqdn).containsEntry("root/site", "invalid: Spec.VirtualHost.Fqdn \"" + fqdn
                    + "\" cannot use wildcards except as the whole first label (*.example.com)");
            assertThat(errors(r, "root/site")).containsExactly("VirtualHostError/FQDNNotValid");
        }
        var wildcard = translate(site("virtualhost: {fqdn: \"*.example.com\"}\nroutes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(wildcard)).containsEntry("root/site", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(wildcard.resources()).http("any.example.com", "/"))).isEqualTo("web");
    }

    @Test
    void aRootNeedsSomethingToServeAndPassthroughNeedsATcpProxy() {
        var nothing = translate(site("virtualhost: {fqdn: site.example.com}"));
        assertThat(errors(nothing, "root/site")).containsExactly("SpecError/NothingDefined");
        var passthrough = translate(site("virtualhost: {fqdn: site.example.com, tls: {passthrough: true}}\n"
                + "routes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(passthrough)).containsEntry("root/site", "invalid: Spec.VirtualHost.TLS: passthrough needs a Spec.TCPProxy");
        assertThat(errors(passthrough, "root/site")).containsExactly("TLSError/TLSConfigNotValid");
        assertThat(siteServed(passthrough, "/")).isEqualTo("404");
    }

    private static TranslationResult tcp(String tcpproxy, String others) {
        return translate(site("virtualhost: {fqdn: site.example.com, tls: {passthrough: true}}\ntcpproxy: " + tcpproxy) + others);
    }

    @Test
    void everyWayATcpProxyIncludeCanGoWrongIsTheRootsError() {
        String child = proxy("team", "db", "tcpproxy: {services: [{name: web, port: 80}]}");
        assertThat(statuses(tcp("{services: [{name: db, port: 80}], include: {name: db, namespace: team}}", child)))
                .containsEntry("root/site", "invalid: cannot specify services and include in the same httpproxy");
        assertThat(statuses(tcp("{}", ""))).containsEntry("root/site", "invalid: either services or inclusion must be specified");
        assertThat(statuses(tcp("{include: {name: gone, namespace: team}}", "")))
                .containsEntry("root/site", "invalid: include team/gone not found");
        var root = tcp("{include: {name: bystander}}", "");
        assertThat(statuses(root)).containsEntry("root/site",
                "invalid: root httpproxy cannot include another root httpproxy (root/bystander)");
        assertThat(errors(root, "root/site")).containsExactly("TCPProxyIncludeError/RootIncludesRoot");
        var http = tcp("{include: {name: http, namespace: team}}", proxy("team", "http", "routes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(http)).containsEntry("root/site", "invalid: include team/http has no tcpproxy");
        var cycle = tcp("{include: {name: a, namespace: team}}", proxy("team", "a", "tcpproxy: {include: {name: b}}")
                + proxy("team", "b", "tcpproxy: {include: {name: a}}"));
        assertThat(statuses(cycle)).containsEntry("team/b", "invalid: include creates a cycle: root/site -> team/a -> team/b -> team/a");
        assertThat(errors(cycle, "team/b")).containsExactly("TCPProxyIncludeError/IncludeCreatesCycle");
        assertThat(cycle.resources().listeners().toString()).doesNotContain("site.example.com");
        var fine = tcp("{include: {name: db, namespace: team}}", child);
        assertThat(statuses(fine)).containsEntry("root/site", "valid: Valid HTTPProxy").containsEntry("team/db", "valid: Valid HTTPProxy");
    }

    @Test
    void includeConditionsAreOnlyPrefixesAndHeadersAndOnePathPerBlock() {
        String child = proxy("team", "app", "routes: [{services: [{name: web, port: 80}]}]");
        String[][] cases = {
            {"[{exact: /a}]", "include: exact conditions are not allowed in includes block"},
            {"[{regex: /a.*}]", "include: regex conditions are not allowed in includes block"},
            {"[null]", "include: a condition is empty"},
            {"[{prefix: a}]", "include: prefix conditions must start with /, a was supplied"},
            {"[{prefix: /a, header: {name: x, present: true}}, {prefix: /b}]",
                "include: more than one prefix, exact or regex is not allowed in a condition block"},
        };
        for (String[] c : cases) {
            var r = translate(site("virtualhost: {fqdn: site.example.com}\nincludes: [{name: app, namespace: team, conditions: "
                    + c[0] + "}]\nroutes: [{conditions: [{prefix: /own}], services: [{name: web, port: 80}]}]") + child);
            assertThat(statuses(r)).as(c[0]).containsEntry("root/site", "invalid: " + c[1]);
            assertThat(errors(r, "root/site")).as(c[0]).containsExactly("IncludeError/PathMatchConditionsNotValid");
            assertThat(siteServed(r, "/a")).as("the include is not followed").isEqualTo("404");
            assertThat(siteServed(r, "/own")).as("the root's own routes still are").isEqualTo("web");
        }
    }

    @Test
    void aRouteWithTwoPathsInOneBlockOrARelativePathIsDropped() {
        var two = translate(siteRoutes("- {conditions: [{prefix: /a, exact: /a/b}], services: [{name: web, port: 80}]}"));
        assertThat(statuses(two)).containsEntry("root/site",
                "invalid: route: more than one prefix, exact or regex is not allowed in a condition block");
        var relative = translate(siteRoutes("- {conditions: [{exact: a}], services: [{name: web, port: 80}]}"));
        assertThat(statuses(relative)).containsEntry("root/site", "invalid: route: exact conditions must start with /, a was supplied");
        assertThat(errors(relative, "root/site")).containsExactly("RouteError/PathMatchConditionsNotValid");
        assertThat(siteServed(relative, "/")).isEqualTo("404");
    }

    @Test
    void prefixReplacementsMustBeUnambiguousPathsUnderAPrefix() {
        String[][] cases = {
            {"[{replacement: \"\"}]", "prefix replacement is empty"},
            {"[null]", "prefix replacement is empty"},
            {"[{replacement: /x}, {replacement: /y}]", "ambiguous prefix replacement"},
            {"[{prefix: /a, replacement: /x}, {prefix: /a, replacement: /y}]", "duplicate replacement prefix '/a'"},
        };
        for (String[] c : cases) {
            var r = translate(siteRoutes("- conditions: [{prefix: /a}]\n  services: [{name: web, port: 80}]\n"
                    + "  pathRewritePolicy: {replacePrefix: " + c[0] + "}"));
            assertThat(statuses(r).get("root/site")).as(c[0]).isEqualTo("invalid: " + c[1]);
            assertThat(siteServed(r, "/a")).as(c[0]).isEqualTo("404");
        }
        var exact = translate(siteRoutes("- conditions: [{exact: /a}]\n  services: [{name: web, port: 80}]\n"
                + "  pathRewritePolicy: {replacePrefix: [{replacement: /x}]}"));
        assertThat(statuses(exact).get("root/site")).isEqualTo("invalid: cannot specify prefix replacements without a prefix condition");
    }

    @Test
    void anOlderProxyKeepsItsFqdnFromANewerIngressRoute() {
        String proxy = proxy("root", "old", "virtualhost: {fqdn: both.example.com}\nroutes: [{services: [{name: db, port: 80}]}]")
                .replace("namespace: root}", "namespace: root, creationTimestamp: \"2020-01-01T00:00:00Z\"}");
        String route = IngressRoutes.root("team", "new", "both.example.com", IngressRoutes.toService("/", "web"))
                .replace("namespace: team", "namespace: team, creationTimestamp: \"2021-01-01T00:00:00Z\"");
        var r = translate(proxy + route);
        assertThat(statuses(r)).containsEntry("root/old", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("both.example.com", "/"))).isEqualTo("db");
        assertThat(r.statuses()).filteredOn(s -> s.name().equals("new")).singleElement()
                .satisfies(s -> assertThat(s.currentStatus()).isEqualTo("invalid"));
    }

    @Test
    void twoIncludedProxiesWithTheSameRouteTheSecondIsToldWhoServesIt() {
        var r = translate(site("""
                virtualhost: {fqdn: site.example.com}
                includes:
                - {name: first, namespace: team, conditions: [{prefix: /a}]}
                - {name: second, namespace: team, conditions: [{prefix: /a/b}]}
                """) + proxy("team", "first", "routes: [{conditions: [{prefix: /b}], services: [{name: web, port: 80}]}]")
                + proxy("team", "second", "routes: [{services: [{name: web, port: 80}]}]"));
        assertThat(r.statuses()).filteredOn(s -> s.name().equals("second")).singleElement().satisfies(s ->
                assertThat(s.warnings()).extracting(w -> w.type() + "/" + w.reason() + ": " + w.message())
                        .containsExactly("RouteError/DuplicateRoute: route /a/b on site.example.com is already served by HTTPProxy team/first"));
        assertThat(siteServed(r, "/a/b")).isEqualTo("web");
    }

    /** Each value at its limit is served; one step beyond, the route is refused with the field named. */
    @Test
    void directResponseAndRedirectValuesAtTheirEdges() {
        String[][] edges = {
            {"directResponsePolicy: {statusCode: 200}", "directResponsePolicy: {statusCode: 199}",
                "route.directResponsePolicy.statusCode must be in the range 200-599"},
            {"directResponsePolicy: {statusCode: 599}", "directResponsePolicy: {statusCode: 600}",
                "route.directResponsePolicy.statusCode must be in the range 200-599"},
            {"directResponsePolicy: {statusCode: 200, body: \"" + "x".repeat(ProxyActions.MAX_BODY_BYTES) + "\"}",
                "directResponsePolicy: {statusCode: 200, body: \"" + "x".repeat(ProxyActions.MAX_BODY_BYTES - 1) + "\u00e4\"}",
                "route.directResponsePolicy.body is longer than 4096 bytes"},
            {"requestRedirectPolicy: {port: 1}", "requestRedirectPolicy: {port: 0}", "route.requestRedirectPolicy.port must be in the range 1-65535"},
            {"requestRedirectPolicy: {port: 65535}", "requestRedirectPolicy: {port: 65536}",
                "route.requestRedirectPolicy.port must be in the range 1-65535"},
            {"requestRedirectPolicy: {statusCode: 301}", "requestRedirectPolicy: {statusCode: 307}",
                "route.requestRedirectPolicy.statusCode must be 301 or 302"},
            {"requestRedirectPolicy: {statusCode: 302, scheme: http}", "requestRedirectPolicy: {scheme: ftp}",
                "route.requestRedirectPolicy.scheme must be http or https"},
        };
        for (String[] e : edges) {
            var ok = translate(siteRoutes("- " + e[0]));
            assertThat(statuses(ok).get("root/site")).as(e[0]).isEqualTo("valid: Valid HTTPProxy");
            assertThat(siteServed(ok, "/")).as(e[0]).isNotEqualTo("404");
            var bad = translate(siteRoutes("- " + e[1]));
            assertThat(statuses(bad).get("root/site")).as(e[1]).isEqualTo("invalid: " + e[2]);
            assertThat(siteServed(bad, "/")).as(e[1]).isEqualTo("404");
        }
    }
}
