package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.IngressRoutes.statuses;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Redirected;
import io.isoline.testing.EnvoySimulator.TcpProxied;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IngressRoute TLS: termination (secure first), minimum versions, TCP proxying and passthrough. */
class IngressRouteTlsTest {

    private static final String BASE = backend("app", "web", "10.0.0.1") + backend("app", "db", "10.0.0.2")
            + backend("app", "db2", "10.0.0.3") + tlsSecret("app", "cert");

    private static TranslationResult translate(String spec) {
        return Fixture.translate(BASE + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                %s
                """.formatted(spec.stripTrailing()));
    }

    @Test
    void tlsHostsRedirectPlainHttpExceptPermitInsecureRoutes() throws Exception {
        var r = translate("""
                  virtualhost: {fqdn: secure.example.com, tls: {secretName: cert}}
                  routes:
                  - {match: /, services: [{name: web, port: 80}]}
                  - {match: /.well-known, permitInsecure: true, services: [{name: web, port: 80}]}
                """);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.https("secure.example.com", "/"))).isEqualTo("web");
        assertThat(envoy.http("secure.example.com", "/")).isEqualTo(new Redirected(true, 301));
        assertThat(servedBy(envoy.http("secure.example.com", "/.well-known/acme"))).isEqualTo("web");
        var chain = r.resources().listeners().get(1).getFilterChains(0);
        assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion())
                .isEqualTo(TlsProtocol.TLSv1_2);
        assertThat(statuses(r)).containsExactly(entry("app/r", "valid: valid IngressRoute"));
    }

    @Test
    void disablePermitInsecureMakesEveryRouteOfATlsHostRedirect() {
        var options = new io.isoline.xds.translate.TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_2, java.util.Set.of(),
                false, false, false, true, null, false), io.isoline.xds.translate.ListenerOptions.DEFAULT);
        var r = Fixture.translate(BASE + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: secure.example.com, tls: {secretName: cert}}
                  routes:
                  - {match: /.well-known, permitInsecure: true, services: [{name: web, port: 80}]}
                """, options);
        assertThat(new EnvoySimulator(r.resources()).http("secure.example.com", "/.well-known/acme")).isEqualTo(new Redirected(true, 301));
    }

    @Test
    void minimumProtocolVersionOnlyAcceptsKnownVersions() throws Exception {
        for (var c : List.of(List.of("\"1.3\"", TlsProtocol.TLSv1_3), List.of("\"1.1\"", TlsProtocol.TLSv1_2))) {
            var r = translate("""
                      virtualhost: {fqdn: secure.example.com, tls: {secretName: cert, minimumProtocolVersion: %s}}
                      routes: [{match: /, services: [{name: web, port: 80}]}]
                    """.formatted(c.get(0)));
            var chain = r.resources().listeners().get(1).getFilterChains(0);
            assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion())
                    .isEqualTo(c.get(1));
        }
    }

    /** An object may raise the operator's floor (--tls-minimum-protocol-version), never lower it (Contour takes the higher). */
    @Test
    void anObjectCannotGoBelowTheOperatorsMinimumTlsVersion() throws Exception {
        var floor = new io.isoline.xds.translate.TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_3, java.util.Set.of()),
                io.isoline.xds.translate.ListenerOptions.DEFAULT);
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: i, namespace: app, annotations: {projectcontour.io/tls-minimum-protocol-version: "1.2"}}
                spec:
                  tls: [{hosts: [plain.example.com], secretName: cert}]
                  rules: [{host: plain.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
                ---
                """;
        var r = Fixture.translate(BASE + ingress + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: secure.example.com, tls: {secretName: cert, minimumProtocolVersion: "1.2"}}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                """, floor);
        assertThat(r.resources().listeners().get(1).getFilterChainsList()).hasSize(2).allSatisfy(chain -> assertThat(
                IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion()).isEqualTo(TlsProtocol.TLSv1_3));
    }

    /** A TCP service without a weight beside weighted ones still gets traffic (Contour never leaves it out); weights given are kept. */
    @Test
    void anUnweightedTcpServiceBesideAWeightedOneStillGetsTraffic() {
        var r = translate("""
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  tcpproxy: {services: [{name: db, port: 80, weight: 90}, {name: db2, port: 80}]}
                """);
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/")).isEqualTo(new TcpProxied(
                List.of("app/db/80/da39a3ee5e=90", "app/db2/80/da39a3ee5e=1"), false));
    }

    /** Contour: a tcpproxy names its services or delegates them, not both, even when the delegate exists. */
    @Test
    void aTcpproxyWithBothServicesAndADelegateIsInvalid() {
        var r = Fixture.translate(BASE + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  tcpproxy: {services: [{name: db, port: 80}], delegate: {name: child}}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: child, namespace: app}
                spec:
                  tcpproxy: {services: [{name: db2, port: 80}]}
                """);
        assertThat(statuses(r).get("app/r")).isEqualTo("invalid: tcpproxy: cannot specify services and delegate in the same tcpproxy");
    }

    @Test
    void passthroughForwardsBySniWithoutDecrypting() {
        var r = translate("""
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  tcpproxy: {services: [{name: db, port: 80, weight: 90}, {name: db2, port: 80, weight: 10}]}
                """);
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/")).isEqualTo(new TcpProxied(
                List.of("app/db/80/da39a3ee5e=90", "app/db2/80/da39a3ee5e=10"), false));
        assertThat(r.resources().secrets()).isEmpty();
        assertThat(r.resources().routes()).extracting(rc -> rc.getName()).containsExactly("ingress_http");
    }

    @Test
    void tcpProxyWithTerminationDecryptsThenForwards() {
        var r = translate("""
                  virtualhost: {fqdn: db.example.com, tls: {secretName: cert}}
                  tcpproxy: {services: [{name: db, port: 80}]}
                """);
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/"))
                .isEqualTo(new TcpProxied(List.of("app/db/80/da39a3ee5e"), true));
        assertThat(r.resources().secrets()).hasSize(1);
    }

    @Test
    void tcpProxyMayDelegateToAnotherIngressRoutesTcpProxy() {
        var r = Fixture.translate(BASE + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  tcpproxy: {delegate: {name: backend}}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: backend, namespace: app}
                spec:
                  tcpproxy: {services: [{name: db, port: 80}]}
                """);
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/"))
                .isEqualTo(new TcpProxied(List.of("app/db/80/da39a3ee5e"), false));
        assertThat(statuses(r)).containsExactly(entry("app/backend", "valid: valid IngressRoute"),
                entry("app/r", "valid: valid IngressRoute"));
    }

    @Test
    void aTcpproxyWithoutTlsIsIgnoredAndTheRoutesAreServedOnPort80() {
        var r = translate("""
                  virtualhost: {fqdn: db.example.com}
                  tcpproxy: {services: [{name: db, port: 80}]}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                """);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("db.example.com", "/"))).isEqualTo("web");
        assertThat(envoy.https("db.example.com", "/")).isInstanceOf(EnvoySimulator.Refused.class);
        assertThat(statuses(r)).containsExactly(entry("app/r",
                "valid: valid IngressRoute; tcpproxy is ignored: it needs tls.secretName or tls.passthrough"));
    }

    @Test
    void passthroughWithoutATcpproxyIsIgnoredAndTheRoutesAreServedOnPort80() {
        var r = translate("""
                  virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                """);
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("db.example.com", "/"))).isEqualTo("web");
        assertThat(envoy.https("db.example.com", "/")).isInstanceOf(EnvoySimulator.Refused.class);
        assertThat(statuses(r)).containsExactly(entry("app/r",
                "valid: valid IngressRoute; tls.passthrough is ignored: it needs a tcpproxy"));
    }

    @Test
    void aTlsRootWithATcpproxyServesItsRoutesOnPort80WithoutARedirect() {
        for (String tls : List.of("{secretName: cert}", "{passthrough: true}")) {
            var r = translate("""
                      virtualhost: {fqdn: db.example.com, tls: %s}
                      tcpproxy: {services: [{name: db, port: 80}]}
                      routes: [{match: /, services: [{name: web, port: 80}]}]
                    """.formatted(tls));
            EnvoySimulator envoy = new EnvoySimulator(r.resources());
            assertThat(servedBy(envoy.http("db.example.com", "/"))).as(tls).isEqualTo("web");
            assertThat(envoy.https("db.example.com", "/")).as(tls).isInstanceOf(TcpProxied.class);
            assertThat(statuses(r)).containsExactly(entry("app/r", "valid: valid IngressRoute"));
        }
    }

    @Test
    void anUnusableSecretMakesTheRootInvalidAndNothingIsServed() {
        var r = translate("""
                  virtualhost: {fqdn: secure.example.com, tls: {secretName: missing}}
                  routes: [{match: /, services: [{name: web, port: 80}]}]
                """);
        assertThat(statuses(r)).containsExactly(entry("app/r", "invalid: tls.secretName: secret app/missing not found"));
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("secure.example.com", "/"))).isEqualTo("404");
    }
}
