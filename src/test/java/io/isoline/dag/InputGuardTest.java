package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.ingress;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input Envoy would reject (which would make it reject the whole route table, for every team) is
 * caught in the core: the object's status says why, and nothing of it reaches Envoy.
 */
class InputGuardTest {

    private static final String BACKENDS = backend("default", "web", "10.0.0.1") + backend("team", "app", "10.0.1.1");

    private static List<String> domains(TranslationResult r) {
        return r.resources().routes().stream().flatMap(rc -> rc.getVirtualHostsList().stream())
                .flatMap(v -> v.getDomainsList().stream()).toList();
    }

    @Test
    void anIngressHostThatIsNotADnsNameIsReportedAndOthersStayServed() {
        var r = Fixture.translate(BACKENDS + ingress("bad", "bad_host.example.com", "/", "Prefix", "web")
                + ingress("good", "good.example.com", "/", "Prefix", "web"));
        assertThat(domains(r)).containsExactly("good.example.com");
        assertThat(r.statuses()).filteredOn(s -> s.name().equals("bad")).singleElement().satisfies(s -> {
            assertThat(s.currentStatus()).isEqualTo("invalid");
            assertThat(s.description()).contains("spec.rules host \"bad_host.example.com\" is not a valid DNS name");
        });
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("good.example.com", "/"))).isEqualTo("web");
    }

    @Test
    void anIngressPathWithSpacesIsReported() {
        var r = Fixture.translate(BACKENDS + ingress("spaced", "x.example.com", "/a b", "Prefix", "web"));
        assertThat(r.statuses().get(0).description())
                .contains("path \"/a b\": a path must start with / and contain no spaces or control characters");
        assertThat(domains(r)).isEmpty();
    }

    @Test
    void ingressRouteFqdnsMatchesAndRewritesAreChecked() {
        var r = Fixture.translate(BACKENDS
                + root("team", "badfqdn", "\"web site.example.com\"", toService("/", "app"))
                + root("team", "badmatch", "m.example.com", "  - {match: \"/a b\", services: [{name: app, port: 80}]}\n")
                + root("team", "badrewrite", "w.example.com",
                        "  - {match: /, prefixRewrite: \"/x\\ty\", services: [{name: app, port: 80}]}\n")
                + root("team", "ok", "ok.example.com", toService("/", "app")));
        assertThat(statuses(r)).containsExactly(
                entry("team/badfqdn", "invalid: spec.virtualhost.fqdn \"web site.example.com\" is not a valid DNS name "
                        + "(labels are letters, digits and '-', a wildcard only as '*.' at the start)"),
                entry("team/badmatch", "invalid: route \"/a b\": match must start with / and contain no spaces or control characters"),
                entry("team/badrewrite", "invalid: route \"/\": prefixRewrite must start with / and contain no spaces or control characters"),
                entry("team/ok", "valid: valid IngressRoute"));
        assertThat(domains(r)).containsExactly("ok.example.com");
    }

    @Test
    void aTcpProxyServiceWithWeightZeroGetsNoTrafficInsteadOfANack() {
        // Envoy's TCP proxy requires every weighted cluster to weigh at least 1 (HTTP routes accept 0,
        // found by the guard): weight 0 is left out, so it gets no traffic, as on an HTTP route.
        var r = Fixture.translate(BACKENDS + backend("team", "app2", "10.0.1.2") + tlsSecret("team", "cert") + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: db, namespace: team}
                spec:
                  virtualhost: {fqdn: db.example.com, tls: {secretName: cert}}
                  tcpproxy: {services: [{name: app, port: 80, weight: 100}, {name: app2, port: 80, weight: 0}]}
                ---
                """);
        assertThat(statuses(r)).containsExactly(entry("team/db", "valid: valid IngressRoute"));
        assertThat(r.errors()).isEmpty();
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/"))
                .isEqualTo(new EnvoySimulator.TcpProxied(List.of("team/app/80/da39a3ee5e"), true));
    }

    @Test
    void aHealthCheckPathWithALineBreakMakesOnlyItsOwnerInvalid() {
        // A delegate's health check path with CR/LF: Envoy would reject the cluster. Only the delegate
        // loses its routes; the root and another team's root keep theirs.
        var r = Fixture.translate(BACKENDS + backend("team", "api", "10.0.1.3")
                + root("default", "www", "www.example.com", toService("/", "web") + delegate("/api", "team", "api"))
                + child("team", "api", "  - {match: /api, services: [{name: api, port: 80, healthCheck: {path: \"/h\\r\\nX: 1\"}}]}\n")
                + root("team", "other", "other.example.com", toService("/", "app")));
        assertThat(statuses(r).get("team/api")).startsWith("invalid: Envoy would reject cluster team/api/80/")
                .endsWith(": health_checks[0].http_health_check.path: must be a valid HTTP header value (no control characters)");
        assertThat(statuses(r)).containsEntry("default/www", "valid: valid IngressRoute")
                .containsEntry("team/other", "valid: valid IngressRoute");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("www.example.com", "/api/x"))).isEqualTo("web");
        assertThat(servedBy(envoy.http("other.example.com", "/"))).isEqualTo("app");
        assertThat(r.resources().clusters()).extracting(c -> c.getName()).noneMatch(n -> n.startsWith("team/api/"));
    }

    @Test
    void validNamesPass() {
        assertThat(Names.hostProblem("a-1.example.com")).isNull();
        assertThat(Names.hostProblem("*.apps.example.com")).isNull();
        assertThat(Names.hostProblem("-a.example.com")).isNotNull();
        assertThat(Names.hostProblem("a..example.com")).isNotNull();
        assertThat(Names.pathProblem("/api/v1?x=%20")).isNull();
    }
}
