package io.isoline.dag;

import static io.isoline.testing.EnvoySimulator.servedBy;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static io.isoline.testing.Proxies.errors;
import static io.isoline.testing.Proxies.proxy;
import static io.isoline.testing.Proxies.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Redirected;
import io.isoline.testing.EnvoySimulator.TcpProxied;
import io.isoline.testing.Fixture;
import io.isoline.testing.IngressRoutes;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HTTPProxy roots: who owns an fqdn, TLS (secrets, delegation, versions, passthrough), TCP proxying, root namespaces. */
class HTTPProxyHostsTest {

    private static final String BASE = backend("root", "web", "10.0.0.1") + backend("root", "db", "10.0.0.2")
            + backend("team", "web", "10.0.0.3") + tlsSecret("root", "cert") + tlsSecret("certs", "wildcard");

    private static String root(String ns, String name, String created, String fqdn) {
        return proxy(ns, name, "virtualhost: {fqdn: " + fqdn + "}\nroutes: [{services: [{name: web, port: 80}]}]")
                .replace("metadata: {name: " + name + ", namespace: " + ns + "}",
                        "metadata: {name: " + name + ", namespace: " + ns + ", creationTimestamp: \"" + created + "\"}");
    }

    @Test
    void theOldestRootKeepsTheFqdnAcrossKindsAndTheOthersSayWhoHasIt() {
        var r = Fixture.translate(BASE + root("team", "late", "2026-02-01T00:00:00Z", "shared.example.com")
                + root("root", "early", "2026-01-01T00:00:00Z", "shared.example.com"));
        assertThat(statuses(r)).containsEntry("root/early", "valid: Valid HTTPProxy")
                .containsEntry("team/late", "invalid: fqdn \"shared.example.com\" is already claimed by HTTPProxy root/early");
        assertThat(errors(r, "team/late")).containsExactly("VirtualHostError/DuplicateVhost");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("shared.example.com", "/"))).isEqualTo("web");
        String ingressRoute = IngressRoutes.root("team", "ir", "both.example.com", IngressRoutes.toService("/", "web"));
        var kinds = Fixture.translate(BASE + ingressRoute + proxy("root", "p", "virtualhost: {fqdn: both.example.com}\n"
                + "routes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(kinds)).containsEntry("root/p", "invalid: fqdn \"both.example.com\" is already claimed by IngressRoute team/ir");
        assertThat(servedBy(new EnvoySimulator(kinds.resources()).http("both.example.com", "/"))).as("the IngressRoute's").isEqualTo("web");
    }

    @Test
    void withContoursRuleConflictingRootsOfEitherKindAreAllInvalidAndNoneIsServed() {
        var options = new TranslateOptions(DagOptions.DEFAULT.withConflictingRootsInvalid(true), ListenerOptions.DEFAULT);
        var r = Fixture.translate(BASE + root("team", "late", "2026-02-01T00:00:00Z", "shared.example.com")
                + root("root", "early", "2026-01-01T00:00:00Z", "shared.example.com")
                + root("root", "alone", "2026-01-01T00:00:00Z", "alone.example.com"), options);
        assertThat(errors(r, "root/early")).containsExactly("VirtualHostError/DuplicateVhost");
        assertThat(statuses(r)).containsEntry("team/late",
                "invalid: fqdn \"shared.example.com\" is used in multiple root objects: HTTPProxy root/early, HTTPProxy team/late")
                .containsEntry("root/alone", "valid: Valid HTTPProxy");
        var envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.http("shared.example.com", "/"))).isEqualTo("404");
        assertThat(servedBy(envoy.http("alone.example.com", "/"))).isEqualTo("web");
        var kinds = Fixture.translate(BASE + root("root", "proxy", "2026-01-01T00:00:00Z", "shared.example.com")
                + IngressRoutes.rootSpec("team", "route", "{fqdn: shared.example.com}", "routes: [{match: /, services: [{name: web, port: 80}]}]"),
                options);
        assertThat(kinds.statuses()).as("across kinds too").allSatisfy(st -> assertThat(st.currentStatus()).isEqualTo("invalid"));
        assertThat(servedBy(new EnvoySimulator(kinds.resources()).http("shared.example.com", "/"))).isEqualTo("404");
        var routes = Fixture.translate(BASE + IngressRoutes.rootSpec("root", "a", "{fqdn: shared.example.com}",
                "routes: [{match: /, services: [{name: web, port: 80}]}]") + IngressRoutes.rootSpec("team", "b", "{fqdn: shared.example.com}",
                "routes: [{match: /, services: [{name: web, port: 80}]}]"), options);
        assertThat(routes.statuses()).as("two IngressRoutes").allSatisfy(st -> assertThat(st.description())
                .isEqualTo("fqdn \"shared.example.com\" is used in multiple root objects: IngressRoute root/a, IngressRoute team/b"));
    }

    @Test
    void tlsRootsRedirectPlainHttpExceptPermitInsecureRoutes() throws Exception {
        var r = Fixture.translate(BASE + proxy("root", "site", """
                virtualhost: {fqdn: secure.example.com, tls: {secretName: cert, minimumProtocolVersion: "1.3"}}
                routes:
                - services: [{name: web, port: 80}]
                - conditions: [{prefix: /.well-known}]
                  permitInsecure: true
                  services: [{name: web, port: 80}]
                """));
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(servedBy(envoy.https("secure.example.com", "/"))).isEqualTo("web");
        assertThat(envoy.http("secure.example.com", "/")).isEqualTo(new Redirected(true, 301));
        assertThat(servedBy(envoy.http("secure.example.com", "/.well-known/acme"))).isEqualTo("web");
        var chain = r.resources().listeners().get(1).getFilterChains(0);
        assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion())
                .isEqualTo(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol.TLSv1_3);
    }

    @Test
    void aSecretOfAnotherNamespaceNeedsADelegationOfEitherGroup() {
        String site = proxy("root", "site", """
                virtualhost: {fqdn: secure.example.com, tls: {secretName: certs/wildcard}}
                routes: [{services: [{name: web, port: 80}]}]
                """);
        var missing = Fixture.translate(BASE + site);
        assertThat(statuses(missing)).containsEntry("root/site",
                "invalid: Spec.VirtualHost.TLS Secret \"certs/wildcard\" certificate delegation not permitted");
        assertThat(errors(missing, "root/site")).containsExactly("TLSError/DelegationNotPermitted");
        assertThat(missing.resources().secrets()).isEmpty();
        for (String group : List.of("projectcontour.io/v1", "contour.heptio.com/v1beta1")) {
            var delegated = Fixture.translate(BASE + site + """
                    apiVersion: %s
                    kind: TLSCertificateDelegation
                    metadata: {name: d, namespace: certs}
                    spec: {delegations: [{secretName: wildcard, targetNamespaces: [root]}]}
                    """.formatted(group));
            assertThat(statuses(delegated)).as(group).containsEntry("root/site", "valid: Valid HTTPProxy");
            assertThat(delegated.resources().secrets()).hasSize(1);
        }
    }

    @Test
    void tlsMistakesAreTlsErrorsAndServeNothing() {
        var both = Fixture.translate(BASE + proxy("root", "site", """
                virtualhost: {fqdn: secure.example.com, tls: {secretName: cert, passthrough: true}}
                routes: [{services: [{name: web, port: 80}]}]
                """));
        assertThat(statuses(both)).containsEntry("root/site",
                "invalid: Spec.VirtualHost.TLS: both Passthrough and SecretName were specified");
        assertThat(servedBy(new EnvoySimulator(both.resources()).http("secure.example.com", "/"))).isEqualTo("404");
        var noTls = Fixture.translate(BASE + proxy("root", "site", """
                virtualhost: {fqdn: db.example.com}
                tcpproxy: {services: [{name: db, port: 80}]}
                """));
        assertThat(errors(noTls, "root/site")).containsExactly("TCPProxyError/TLSMustBeConfigured");
    }

    @Test
    void passthroughForwardsTheTcpProxyOfAnIncludedProxy() {
        var r = Fixture.translate(BASE + backend("team", "db", "10.0.0.9") + proxy("root", "site", """
                virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                tcpproxy: {include: {name: database, namespace: team}}
                """) + proxy("team", "database", "tcpproxy: {services: [{name: db, port: 80}]}"));
        assertThat(new EnvoySimulator(r.resources()).https("db.example.com", "/"))
                .isEqualTo(new TcpProxied(List.of("team/db/80/da39a3ee5e"), false));
        assertThat(statuses(r)).containsEntry("team/database", "valid: Valid HTTPProxy");
    }

    @Test
    void aTcpProxyBalancesAndHealthChecksItsServicesOverTcp() throws Exception {
        var r = Fixture.translate(BASE + backend("team", "db", "10.0.0.9") + proxy("root", "site", """
                virtualhost: {fqdn: db.example.com, tls: {passthrough: true}}
                tcpproxy:
                  loadBalancerPolicy: {strategy: WeightedLeastRequest}
                  healthCheckPolicy: {intervalSeconds: 3, unhealthyThresholdCount: 1}
                  services: [{name: db, port: 80}]
                """) + proxy("root", "sticky", """
                virtualhost: {fqdn: sticky.example.com, tls: {passthrough: true}}
                tcpproxy:
                  loadBalancerPolicy: {strategy: Cookie}
                  includes: {name: database, namespace: team}
                """) + proxy("team", "database", "tcpproxy: {services: [{name: db, port: 80}]}"));
        var tcp = (TcpProxied) new EnvoySimulator(r.resources()).https("db.example.com", "/");
        var cluster = r.resources().clusters().stream().filter(c -> c.getName().equals(tcp.clusters().get(0))).findFirst().orElseThrow();
        assertThat(cluster.getLbPolicy()).isEqualTo(io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.LEAST_REQUEST);
        var check = cluster.getHealthChecks(0);
        assertThat(check.hasTcpHealthCheck()).as("a TCP connect, no HTTP").isTrue();
        assertThat(check.getInterval().getSeconds()).isEqualTo(3);
        assertThat(check.getTimeout().getSeconds()).as("Contour's default").isEqualTo(2);
        assertThat(check.getUnhealthyThreshold().getValue()).isEqualTo(1);
        assertThat(new EnvoySimulator(r.resources()).https("sticky.example.com", "/")).as("the deprecated includes still includes")
                .isEqualTo(new TcpProxied(List.of("team/db/80/da39a3ee5e"), false));
        assertThat(r.statuses()).filteredOn(st -> st.name().equals("sticky")).singleElement().satisfies(st -> {
            assertThat(st.currentStatus()).isEqualTo("valid");
            assertThat(st.warnings()).extracting(w -> w.type() + "/" + w.reason() + ": " + w.message()).containsExactly(
                    "TCPProxyError/IgnoredField: ignoring field \"Spec.TCPProxy.LoadBalancerPolicy\"; Cookie load balancer policy is "
                            + "not supported for TCPProxies");
        });
    }

    @Test
    void rootsOnlyInRootNamespacesAndOnlyOurClass() {
        var options = new TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_2, Set.of("root")), ListenerOptions.DEFAULT);
        var r = Fixture.translate(BASE + root("team", "rogue", "2026-01-01T00:00:00Z", "rogue.example.com"), options);
        assertThat(errors(r, "team/rogue")).containsExactly("RootNamespaceError/RootProxyNotAllowedInNamespace");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("rogue.example.com", "/"))).isEqualTo("404");
        var other = Fixture.translate(BASE + proxy("root", "theirs", """
                virtualhost: {fqdn: theirs.example.com}
                ingressClassName: somebody-else
                routes: [{services: [{name: web, port: 80}]}]
                """));
        assertThat(statuses(other)).isEmpty();
        assertThat(other.resources().routes().toString()).doesNotContain("theirs.example.com");
    }

    @Test
    void aTeamCannotBlowUpTheControllerWithADiamondOfIncludes() {
        // Each level includes the next twice: 2^20 visits if followed blindly (a tenant's few objects
        // would take the controller's CPU and memory, every host with it).
        StringBuilder yaml = new StringBuilder(BASE + proxy("root", "site", """
                virtualhost: {fqdn: site.example.com}
                includes: [{name: level-0, namespace: team, conditions: [{prefix: /team}]}]
                routes: [{services: [{name: web, port: 80}]}]
                """));
        for (int i = 0; i < 20; i++) {
            yaml.append(proxy("team", "level-" + i, "includes:\n- {name: level-" + (i + 1) + ", conditions: [{prefix: /a}]}\n"
                    + "- {name: level-" + (i + 1) + ", conditions: [{prefix: /b}]}\nroutes: [{services: [{name: web, port: 80}]}]"));
        }
        yaml.append(proxy("team", "level-20", "routes: [{services: [{name: web, port: 80}]}]"));
        long t0 = System.nanoTime();
        var r = Fixture.translate(yaml.toString());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(20_000);
        assertThat(r.statuses()).filteredOn(st -> st.kind().equals("HTTPProxy")).anySatisfy(st -> assertThat(st.errors())
                .extracting(e -> e.reason()).contains("IncludeTreeTooLarge"));
        assertThat(statuses(r)).containsEntry("root/site", "valid: Valid HTTPProxy");
        assertThat(servedBy(new EnvoySimulator(r.resources()).http("site.example.com", "/"))).isEqualTo("web");
        int routes = r.resources().routes().stream().mapToInt(rc -> rc.getVirtualHostsList().stream().mapToInt(v -> v.getRoutesCount()).sum()).sum();
        assertThat(routes).isLessThanOrEqualTo(IncludeWalker.MAX_INCLUDES_PER_ROOT + 10);
    }
}
