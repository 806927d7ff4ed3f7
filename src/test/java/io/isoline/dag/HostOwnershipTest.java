package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/**
 * A host claimed by a root IngressRoute belongs to that root: an Ingress in any namespace cannot
 * add routes to it, bind a certificate to it, or replace its TLS passthrough. The Ingress is told.
 */
class HostOwnershipTest {

    private static final String OBJECTS = backend("team-a", "site", "10.0.1.1") + backend("evil", "web", "10.6.6.6")
            + tlsSecret("team-a", "cert") + tlsSecret("evil", "cert");

    private static String ingress(String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: grab, namespace: evil}
                spec:
                %s
                ---
                """.formatted(spec.indent(2).stripTrailing());
    }

    private static String status(TranslationResult r) {
        return r.statuses().stream().filter(s -> s.kind().equals("Ingress")).findFirst().orElseThrow().description();
    }

    @Test
    void anIngressCannotRouteOnARootsHost() {
        TranslationResult r = Fixture.translate(OBJECTS + root("team-a", "www", "www.example.com", toService("/", "site"))
                + ingress("rules: [{host: www.example.com, http: {paths: [{path: /admin, pathType: Prefix, "
                        + "backend: {service: {name: web, port: {number: 80}}}}]}}]"));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(EnvoySimulator.servedBy(envoy.http("www.example.com", "/admin"))).isEqualTo("site");
        assertThat(status(r)).contains("host www.example.com belongs to IngressRoute team-a/www");
        assertThat(statuses(r)).containsEntry("team-a/www", "valid: valid IngressRoute");
    }

    @Test
    void anIngressCannotSwapARootsCertificateOrItsPassthrough() {
        String rootTls = """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: www, namespace: team-a}
                spec:
                  virtualhost: {fqdn: www.example.com, tls: {secretName: cert}}
                  routes: [{match: /, services: [{name: site, port: 80}]}]
                ---
                """;
        TranslationResult r = Fixture.translate(OBJECTS + rootTls + ingress("tls: [{hosts: [www.example.com], secretName: cert}]"));
        assertThat(r.resources().secrets()).extracting(s -> s.getName()).containsExactly("team-a/cert");
        assertThat(status(r)).contains("host www.example.com belongs to IngressRoute team-a/www");

        String passthrough = """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: db, namespace: team-a}
                spec:
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  tcpproxy: {services: [{name: site, port: 80}]}
                ---
                """;
        TranslationResult p = Fixture.translate(OBJECTS + passthrough + ingress("tls: [{hosts: [db.example.com], secretName: cert}]\n"
                + "rules: [{host: db.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]"));
        assertThat(new EnvoySimulator(p.resources()).https("db.example.com", "/"))
                .isEqualTo(new EnvoySimulator.TcpProxied(java.util.List.of("team-a/site/80/da39a3ee5e"), false));
        assertThat(p.resources().secrets()).isEmpty();
    }

    @Test
    void rootNamespacesStillDecideWhichRootsOwnHosts() {
        // A root outside --root-namespaces owns nothing, so the Ingress may serve the host.
        var options = new io.isoline.xds.translate.TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_2,
                java.util.Set.of("ingress")), io.isoline.xds.translate.ListenerOptions.DEFAULT);
        TranslationResult r = Fixture.translate(OBJECTS + root("team-a", "www", "www.example.com", toService("/", "site"))
                + ingress("rules: [{host: www.example.com, http: {paths: [{path: /, pathType: Prefix, "
                        + "backend: {service: {name: web, port: {number: 80}}}}]}}]"), options);
        assertThat(EnvoySimulator.servedBy(new EnvoySimulator(r.resources()).http("www.example.com", "/"))).isEqualTo("web");
    }

    /** A contested Ingress host goes to the oldest Ingress, not to the namespace that sorts first. */
    @Test
    void theOldestIngressKeepsAContestedHostCertificateAndDefaultBackend() {
        String old = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: team-a, creationTimestamp: "2021-03-01T10:00:00Z"}
                spec:
                  defaultBackend: {service: {name: site, port: {number: 80}}}
                  tls: [{hosts: [shop.example.com], secretName: cert}]
                  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}]}}]
                ---
                """;
        String newcomer = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: aaa-evil, creationTimestamp: "2026-12-01T09:00:00Z"}
                spec:
                  defaultBackend: {service: {name: web, port: {number: 80}}}
                  tls: [{hosts: [shop.example.com], secretName: cert}]
                  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
                ---
                """;
        TranslationResult r = Fixture.translate(OBJECTS + backend("aaa-evil", "web", "10.6.6.7") + tlsSecret("aaa-evil", "cert")
                + old + newcomer);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(EnvoySimulator.servedBy(envoy.http("shop.example.com", "/"))).isEqualTo("site");
        assertThat(EnvoySimulator.servedBy(envoy.http("other.example.com", "/"))).as("default backend").isEqualTo("site");
        assertThat(r.resources().secrets()).extracting(s -> s.getName()).containsExactly("team-a/cert");
        assertThat(r.statuses()).filteredOn(s -> s.namespace().equals("aaa-evil")).singleElement()
                .satisfies(s -> assertThat(s.description()).contains("host shop.example.com belongs to namespace team-a"));
    }

    @Test
    void aClaimedWildcardHostAnswers404ForPathsItDoesNotRoute() {
        TranslationResult r = Fixture.translate(OBJECTS + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: wild, namespace: team-a}
                spec: {rules: [{host: "*.example.com", http: {paths: [{path: /app, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}]}}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: catch-all, namespace: evil}
                spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                ---
                """);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(EnvoySimulator.servedBy(envoy.http("a.example.com", "/app"))).isEqualTo("site");
        assertThat(envoy.http("a.example.com", "/other")).isEqualTo(new EnvoySimulator.Answered(404));
        assertThat(EnvoySimulator.servedBy(envoy.http("b.a.example.com", "/other"))).as("deeper than the wildcard's label")
                .isEqualTo("web");
    }

    @Test
    void aWildcardCertificateDoesNotServeAnotherTeamsPlainHostOverTls() {
        TranslationResult r = Fixture.translate(OBJECTS + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: wild, namespace: evil}
                spec:
                  tls: [{hosts: ["*.example.com"], secretName: cert}]
                  rules: [{host: "*.example.com", http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: team-a}
                spec: {rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}]}}]}
                ---
                """);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(envoy.https("shop.example.com", "/")).isEqualTo(new EnvoySimulator.Answered(404));
        assertThat(EnvoySimulator.servedBy(envoy.https("other.example.com", "/"))).isEqualTo("web");
        assertThat(EnvoySimulator.servedBy(envoy.http("shop.example.com", "/"))).isEqualTo("site");
    }

    /** Ingresses of one namespace may share a host; another namespace cannot add a path or a certificate to it. */
    @Test
    void anIngressHostBelongsToTheNamespaceOfItsOldestIngress() {
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: %s, creationTimestamp: "%s"}
                spec: {rules: [{host: shop.example.com, http: {paths: [{path: %s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}]}}]}
                ---
                """;
        TranslationResult r = Fixture.translate(OBJECTS + backend("team-a", "api", "10.0.1.2")
                + ingress.formatted("shop", "team-a", "2021-01-01T00:00:00Z", "/", "site")
                + ingress.formatted("shop-api", "team-a", "2022-01-01T00:00:00Z", "/api", "api")
                + ingress.formatted("grab", "evil", "2026-01-01T00:00:00Z", "/.well-known", "web"));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(EnvoySimulator.servedBy(envoy.http("shop.example.com", "/api"))).isEqualTo("api");
        assertThat(EnvoySimulator.servedBy(envoy.http("shop.example.com", "/.well-known"))).isEqualTo("site");
        assertThat(r.statuses()).filteredOn(s -> s.namespace().equals("evil")).singleElement().satisfies(s -> assertThat(
                s.description()).contains("host shop.example.com belongs to namespace team-a (Ingress team-a/shop)"));
    }

    /** The other way round: a new root cannot take the host of an older Ingress (found by HostileTenantTest). */
    @Test
    void aNewRootCannotTakeTheHostOfAnOlderIngress() {
        TranslationResult r = Fixture.translate(OBJECTS + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: team-a, creationTimestamp: "2021-01-01T00:00:00Z"}
                spec: {rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: site, port: {number: 80}}}}]}}]}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: grab, namespace: evil, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec:
                  virtualhost: {fqdn: shop.example.com}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                ---
                """);
        assertThat(EnvoySimulator.servedBy(new EnvoySimulator(r.resources()).http("shop.example.com", "/"))).isEqualTo("site");
        assertThat(statuses(r)).containsEntry("evil/grab",
                "invalid: fqdn \"shop.example.com\" is already served by Ingress team-a/shop, which is older");
    }

    /** The explicit opt-in: Ingress routes on a root's host, never its certificate. */
    @Test
    void anOperatorMayLetIngressRoutesShareRootHosts() {
        var options = new io.isoline.xds.translate.TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_2, java.util.Set.of(), true),
                io.isoline.xds.translate.ListenerOptions.DEFAULT);
        TranslationResult r = Fixture.translate(OBJECTS + root("team-a", "www", "www.example.com", toService("/", "site"))
                + ingress("tls: [{hosts: [www.example.com], secretName: cert}]\nrules: [{host: www.example.com, http: {paths: "
                        + "[{path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]"), options);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(EnvoySimulator.servedBy(envoy.http("www.example.com", "/admin"))).isEqualTo("web");
        assertThat(EnvoySimulator.servedBy(envoy.http("www.example.com", "/"))).isEqualTo("site");
        assertThat(r.resources().secrets()).isEmpty();
        assertThat(status(r)).contains("spec.tls[0]: host www.example.com belongs to IngressRoute team-a/www");
    }
}
