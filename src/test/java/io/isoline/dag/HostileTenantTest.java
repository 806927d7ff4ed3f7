package io.isoline.dag;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.isoline.testing.Fixture;
import io.isoline.testing.Manifests;
import io.isoline.xds.translate.TranslationResult;
import io.isoline.xds.translate.XdsResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The multi-tenant guarantee as a generated-adversary test: honest tenants (roots with TLS and
 * delegation, an Ingress) beside one hostile tenant whose objects are drawn at random from the
 * attacks we know (a seeded walk, the same every run). After every step, what the honest tenants
 * are served (their virtual hosts, routes, certificates, clusters and endpoints) must be exactly
 * what it is without the hostile tenant; no exception escapes, and the result is publishable (every
 * resource passed Envoy's rules).
 */
class HostileTenantTest {

    static final int GRAPHS = 1000;
    private static final List<String> HONEST_HOSTS = List.of("h1.example.com", "h2.example.com", "h3.example.com", "i1.example.com");
    private static final String OLD = "creationTimestamp: \"2020-01-01T00:00:00Z\"";
    private static final String NEW = "creationTimestamp: \"2026-12-01T00:00:00Z\"";

    private static String honest() {
        StringBuilder y = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            String ns = "team-" + i;
            y.append(Manifests.backend(ns, "site", "10.0." + i + ".1")).append(Manifests.backend(ns, "api", "10.0." + i + ".2"))
                    .append(Manifests.tlsSecret(ns, "cert")).append("""
                    apiVersion: contour.heptio.com/v1beta1
                    kind: IngressRoute
                    metadata: {name: www, namespace: %1$s, %3$s}
                    spec:
                      virtualhost: {fqdn: h%2$d.example.com, tls: {secretName: cert}}
                      routes:
                      - {match: /, services: [{name: site, port: 80}]}
                      - {match: /api, delegate: {name: api, namespace: %1$s}}
                      - {match: /open, permitInsecure: true, services: [{name: site, port: 80, weight: 3}, {name: api, port: 80, weight: 1}]}
                    ---
                    apiVersion: contour.heptio.com/v1beta1
                    kind: IngressRoute
                    metadata: {name: api, namespace: %1$s, %3$s}
                    spec: {routes: [{match: /api, services: [{name: api, port: 80}]}, {match: /api/v2, services: [{name: api, port: 80}]}]}
                    ---
                    """.formatted(ns, i, OLD));
        }
        y.append(Manifests.backend("shop", "web", "10.0.9.1")).append("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: shop, %s}
                spec: {rules: [{host: i1.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                ---
                """.formatted(OLD));
        return y.toString();
    }

    /** One hostile object, drawn from the attacks we know. */
    private static String attack(Random rnd, int n) {
        String host = rnd.nextBoolean() ? HONEST_HOSTS.get(rnd.nextInt(HONEST_HOSTS.size())) : "evil" + n + ".example.com";
        String victim = "team-" + (1 + rnd.nextInt(3));
        String[] paths = {"/", "/api", "/api/v2", "/api/v2/x", "/open", "/blog", "/.well-known"};
        String path = paths[rnd.nextInt(paths.length)];
        String meta = "{name: a" + n + ", namespace: aaa-evil, " + NEW + "}";
        return switch (rnd.nextInt(16)) {
            case 0 -> ingress(meta, "rules: [{host: \"" + host + "\", http: {paths: [{path: " + path
                    + ", pathType: " + (rnd.nextBoolean() ? "Exact" : "Prefix") + ", backend: {service: {name: thief, port: {number: 80}}}}]}}]");
            case 1 -> ingress(meta, "tls: [{hosts: [\"" + host + "\"], secretName: " + (rnd.nextBoolean() ? "stolen" : victim + "/cert") + "}]");
            case 2 -> root(meta, "{fqdn: \"" + host + "\"" + (rnd.nextBoolean() ? ", tls: {passthrough: true}}" : "}"),
                    rnd.nextBoolean() ? "tcpproxy: {services: [{name: thief, port: 80}]}" : route(path, "thief", rnd));
            case 3 -> root(meta, "{fqdn: \"evil" + n + ".example.com\"}", "routes: [{match: " + path + ", delegate: {name: "
                    + (rnd.nextBoolean() ? "www" : "api") + ", namespace: " + victim + "}}]");
            case 4 -> root(meta, "{fqdn: \"" + host + "\", tls: {secretName: " + victim + "/cert}}", route("/", "thief", rnd));
            case 5 -> ingress(meta, "tls: [{hosts: [\"*.example.com\"], secretName: stolen}]\nrules: [{host: \"*.example.com\", "
                    + "http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: thief, port: {number: 80}}}}]}}]");
            case 6 -> ingress(meta, "defaultBackend: {service: {name: thief, port: {number: 80}}}");
            case 7 -> root(meta, "{fqdn: \"evil" + n + ".example.com\"}", "routes: [" + pick(rnd, "null", "{match: /, services: [null]}",
                    "{match: /, services: [{name: thief, port: 80, weight: 2147483647}, {name: thief, port: 80, weight: 2147483647}]}",
                    "{match: /, timeoutPolicy: {request: 99999999999h}, services: [{name: thief, port: 80}]}",
                    "{match: /, services: [{name: thief, port: 80, healthCheck: {path: \"/h\\r\\nX: y\", intervalSeconds: 9999999999}}]}",
                    "{match: \"/ü nicode\", services: [{name: thief, port: 80}]}") + "]");
            case 8 -> root(meta, "{fqdn: \"" + pick(rnd, "ünïcode.example.com", "bad_host.example.com", "*.example.com", "h1.example.com.",
                    "H1.EXAMPLE.COM") + "\"}", route("/", "thief", rnd));
            case 9 -> """
                    apiVersion: contour.heptio.com/v1beta1
                    kind: TLSCertificateDelegation
                    metadata: %s
                    spec: {delegations: [null, {secretName: stolen, targetNamespaces: [%s, null]}]}
                    ---
                    """.formatted(meta, victim);
            case 10 -> child(meta, "[{match: " + path + ", delegate: {name: www, namespace: " + victim + "}}]")
                    + root("{name: b" + n + ", namespace: aaa-evil, " + NEW + "}", "{fqdn: \"evil" + n + ".example.com\"}",
                    "routes: [{match: /, delegate: {name: a" + n + "}}]");
            case 12 -> proxy(meta, "virtualhost: {fqdn: \"" + host + "\"" + (rnd.nextBoolean() ? ", tls: {secretName: " + victim + "/cert}" : "")
                    + "}\nroutes: [{conditions: [{prefix: " + path + "}], services: [{name: thief, port: 80}]}]");
            case 13 -> proxy(meta, "virtualhost: {fqdn: \"evil" + n + ".example.com\"}\nincludes: [{name: " + pick(rnd, "www", "api", "a" + (n - 1))
                    + ", namespace: " + pick(rnd, victim, "aaa-evil") + ", conditions: [{prefix: " + path + "}]}]");
            case 14 -> proxy(meta, "virtualhost: {fqdn: \"evil" + n + ".example.com\"}\nroutes:\n- " + pick(rnd,
                    "{requestHeadersPolicy: {set: [{name: X-A, value: \"a\\r\\nX-Injected: 1\"}]}, services: [{name: thief, port: 80}]}",
                    "{requestHeadersPolicy: {set: [{name: \":authority\", value: h1.example.com}]}, services: [{name: thief, port: 80}]}",
                    "{requestHeadersPolicy: {set: [{name: X-A, value: \"" + "v".repeat(20000) + "\"}]}, services: [{name: thief, port: 80}]}",
                    "{directResponsePolicy: {statusCode: 200, body: \"" + "b".repeat(5000) + "\"}}",
                    "{directResponsePolicy: {statusCode: 700}}",
                    "{conditions: [{regex: \"/(a|b|c|d|e|f){40}\"}], services: [{name: thief, port: 80}]}",
                    "{conditions: [{header: {name: \"bad header\", exact: x}}], services: [{name: thief, port: 80}]}",
                    "{conditions: [{header: {name: x-a, regex: \"(?i)(a|b|c|d){60}\\\\p{L}\"}}], services: [{name: thief, port: 80}]}",
                    "{conditions: [{queryParameter: {name: q, regex: \"(a+)+[\"}}], services: [{name: thief, port: 80}]}",
                    "{conditions: [{queryParameter: {name: \"" + "q".repeat(2000) + "\", exact: x}}], services: [{name: thief, port: 80}]}",
                    "{requestRedirectPolicy: {hostname: \"h1.example.com\\r\\n\", port: 99999}}",
                    "{retryPolicy: {retriableStatusCodes: [1, 99999]}, services: [{name: thief, port: 80}]}",
                    "{timeoutPolicy: {response: 99999999999h, idle: -5s}, services: [{name: thief, port: 80}]}",
                    "{pathRewritePolicy: {replacePrefix: [{replacement: \"/a\\nb\"}]}, conditions: [{prefix: /x}], services: [{name: thief, port: 80}]}",
                    "{services: [{name: thief, port: 80, protocol: h3}]}",
                    "{services: [{name: thief, port: 80, requestHeadersPolicy: {set: [{name: X-A, value: \"a\\r\\nb\"}]}}]}",
                    "{services: [{name: thief, port: 80, slowStartPolicy: {window: 99999999999h, aggression: \"1e999\"}}]}",
                    "{timeoutPolicy: {idleConnection: -1s}, services: [{name: thief, port: 80}, {name: thief, port: 80, mirror: true, weight: 999}]}",
                    "{cookieRewritePolicies: [{name: \"s; end\", pathRewrite: {value: \"/\\r\\nX: 1\"}}], services: [{name: thief, port: 80}]}",
                    "{cookieRewritePolicies: [{name: s, domainRewrite: {value: \"a\\\"]] os.exit() --\"}}], services: [{name: thief, port: 80}]}"));
            case 15 -> proxy(meta, "includes: [{name: a" + (n + 1) + ", conditions: [{prefix: /a}]}, {name: a" + (n + 1)
                    + ", conditions: [{prefix: /b}]}]\nroutes: [{services: [{name: thief, port: 80}]}]");
            default -> Manifests.backend("aaa-evil", "thief", pick(rnd, "10.6.6.6", "999.1.1.1", "not-an-ip", "10.0.1.1"));
        };
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String route(String path, String svc, Random rnd) {
        return "routes: [{match: " + path + ", " + (rnd.nextBoolean() ? "permitInsecure: true, " : "") + "services: [{name: " + svc
                + ", port: 80}]}]";
    }

    private static String proxy(String meta, String spec) {
        return "apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata: " + meta + "\nspec:\n" + spec.indent(2) + "---\n";
    }

    private static String ingress(String meta, String spec) {
        return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: " + meta + "\nspec:\n" + spec.indent(2) + "---\n";
    }

    private static String root(String meta, String virtualhost, String spec) {
        return "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\nmetadata: " + meta + "\nspec:\n  virtualhost: " + virtualhost
                + "\n" + spec.indent(2) + "---\n";
    }

    private static String child(String meta, String routes) {
        return "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\nmetadata: " + meta + "\nspec: {routes: " + routes + "}\n---\n";
    }

    /** What the honest tenants are served: their virtual hosts, TLS route tables and filter chains, and what those use. */
    static Map<String, Message> honestView(XdsResources r) {
        Map<String, Message> view = new TreeMap<>();
        List<String> clusters = new ArrayList<>();
        for (RouteConfiguration rc : r.routes()) {
            if (!rc.getName().equals("ingress_http") && !HONEST_HOSTS.contains(rc.getName().substring("https/".length()))) {
                continue; // another host's TLS route table (a wildcard's refuses honest hosts: that protects them)
            }
            for (VirtualHost vh : rc.getVirtualHostsList()) {
                if (HONEST_HOSTS.contains(vh.getName())) {
                    view.put(rc.getName() + " " + vh.getName(), vh);
                    vh.getRoutesList().forEach(route -> {
                        clusters.add(route.getRoute().getCluster());
                        route.getRoute().getWeightedClusters().getClustersList().forEach(c -> clusters.add(c.getName()));
                    });
                }
            }
        }
        r.listeners().forEach(l -> {
            for (FilterChain fc : l.getFilterChainsList()) {
                if (fc.getFilterChainMatch().getServerNamesList().stream().anyMatch(HONEST_HOSTS::contains)) {
                    view.put(l.getName() + " chain " + fc.getFilterChainMatch().getServerNamesList(), fc);
                }
            }
        });
        r.clusters().stream().filter(c -> clusters.contains(c.getName())).forEach(c -> view.put("cluster " + c.getName(), c));
        r.endpoints().stream().filter(e -> e.getClusterName().startsWith("team-") || e.getClusterName().startsWith("shop/"))
                .forEach(e -> view.put("endpoints " + e.getClusterName(), e));
        r.secrets().stream().filter(s -> s.getName().startsWith("team-")).forEach(s -> view.put("secret " + s.getName(), s));
        return view;
    }

    @Test
    void honestTenantsAreServedExactlyAsWithoutTheHostileOne() {
        String honest = honest();
        TranslationResult alone = Fixture.translate(honest);
        Map<String, Message> expected = honestView(alone.resources());
        assertThat(expected.keySet()).anyMatch(k -> k.contains("h1.example.com")).anyMatch(k -> k.contains("i1.example.com"));
        Random rnd = new Random(20261201L);
        int objects = 0;
        for (int graph = 0; graph < GRAPHS; graph++) {
            StringBuilder hostile = new StringBuilder();
            int size = 1 + rnd.nextInt(6);
            for (int i = 0; i < size; i++) {
                hostile.append(attack(rnd, objects++));
            }
            String yaml = honest + Manifests.backend("aaa-evil", "thief", "10.6.6.6") + Manifests.tlsSecret("aaa-evil", "stolen") + hostile;
            TranslationResult r;
            try {
                r = Fixture.translate(yaml);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("graph " + graph + " failed:\n" + hostile, e);
            }
            assertThat(r.publishable()).as("graph %d publishable: %s\n%s", graph, r.errors(), hostile).isTrue();
            Map<String, Message> actual = honestView(r.resources());
            List<String> differs = new ArrayList<>();
            new java.util.TreeSet<>(java.util.stream.Stream.concat(expected.keySet().stream(), actual.keySet().stream()).toList())
                    .forEach(k -> {
                        if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
                            differs.add(k + (actual.get(k) == null ? " (gone)" : expected.get(k) == null ? " (added): " + actual.get(k)
                                    : " (changed): " + actual.get(k)));
                        }
                    });
            assertThat(differs).as("graph %d changed what honest tenants are served; hostile objects:\n%s", graph, hostile).isEmpty();
        }
        System.out.printf("HostileTenantTest: %d graphs, %d hostile objects, honest view unchanged%n", GRAPHS, objects);
    }
}
