package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Answered;
import io.isoline.testing.EnvoySimulator.NotFound;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * ExternalName Services as backends (Contour 0.13+): a DNS cluster to the external name and the
 * Service's port. Off unless the operator enables it, as in Contour 1.18+ (a Service pointing at
 * Envoy's own loopback reaches its admin interface); names that lead to loopback, link-local
 * addresses or another namespace's Services are refused even then.
 */
class ExternalNameTest {

    private static final TranslateOptions ENABLED = new TranslateOptions(
            DagOptions.DEFAULT.withExternalNameServices(true), ListenerOptions.DEFAULT);

    private static String service(String externalName, String annotations) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: ext, namespace: app%s}
                spec: {type: ExternalName, externalName: "%s", ports: [{name: http, port: 443}]}
                ---
                """.formatted(annotations, externalName);
    }

    private static final String ROUTE = """
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: r, namespace: app}
            spec:
              virtualhost: {fqdn: v.example.com}
              routes: [{match: /, services: [{name: ext, port: 443}]}]
            """;

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: i, namespace: app}
            spec:
              rules:
              - host: i.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: ext, port: {number: 443}}}}]}
            """;

    private static Cluster only(TranslationResult r) {
        assertThat(r.resources().clusters()).hasSize(1);
        return r.resources().clusters().get(0);
    }

    @Test
    void enabledItIsAStrictDnsClusterToTheNameAndServicePortWithNoEndpointDiscovery() {
        var r = Fixture.translate(service("api.example.org", "") + ROUTE, ENABLED);
        assertThat(statuses(r)).containsEntry("app/r", "valid: valid IngressRoute");
        Cluster c = only(r);
        assertThat(c.getName()).isEqualTo("app/ext/443/da39a3ee5e");
        assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(c.hasEdsClusterConfig()).isFalse();
        SocketAddress a = c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
        assertThat(a.getAddress() + ":" + a.getPortValue()).isEqualTo("api.example.org:443");
        assertThat(r.resources().endpoints()).as("nothing for EDS to send").isEmpty();
        assertThat(EnvoySimulator.servedBy(new EnvoySimulator(r.resources()).http("v.example.com", "/"))).isEqualTo("ext");
    }

    @Test
    void anIngressBackendRefusedAnswers503OnItsPathOnly() {
        var r = Fixture.translate(service("localhost", "") + INGRESS, ENABLED);
        assertThat(r.resources().clusters()).isEmpty();
        assertThat(new EnvoySimulator(r.resources()).http("i.example.com", "/")).isEqualTo(new Answered(503));
        assertThat(r.statuses()).singleElement().satisfies(s -> assertThat(s.description()).contains("leads to Envoy's own loopback"));
    }

    @Test
    void anIngressBackendUsesItToo() {
        var r = Fixture.translate(service("api.example.org", "") + INGRESS, ENABLED);
        assertThat(EnvoySimulator.servedBy(new EnvoySimulator(r.resources()).http("i.example.com", "/"))).isEqualTo("ext");
        assertThat(only(r).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
    }

    @Test
    void aTlsUpstreamIsAskedForTheExternalNameBySni() throws Exception {
        var r = Fixture.translate(service("api.example.org", ", annotations: {projectcontour.io/upstream-protocol.tls: \"443\"}") + ROUTE, ENABLED);
        UpstreamTlsContext tls = only(r).getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("api.example.org");
    }

    @Test
    void offByDefaultTheObjectIsInvalidAndTheStatusSaysHowToEnableIt() {
        var r = Fixture.translate(service("api.example.org", "") + ROUTE);
        assertThat(r.resources().clusters()).isEmpty();
        assertThat(new EnvoySimulator(r.resources()).http("v.example.com", "/")).isEqualTo(new NotFound());
        assertThat(statuses(r).get("app/r")).startsWith("invalid: ").contains("service app/ext is an ExternalName Service")
                .contains("--enable-external-name-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "admin.localhost", "localhost.localdomain", "127.0.0.1",
            "169.254.169.254", "2130706433", "0x7f000001", "::1", "127-0-0-1.app.pod.cluster.local",
            "db.other.svc.cluster.local", "db.other.svc", "", "bad_name.example.org", "a..b"})
    void namesThatLeadToEnvoyItselfAnAddressOrAnotherNamespaceAreRefusedEvenWhenEnabled(String name) {
        var r = Fixture.translate(service(name, "") + ROUTE, ENABLED);
        assertThat(r.resources().clusters()).as(name).isEmpty();
        assertThat(new EnvoySimulator(r.resources()).http("v.example.com", "/")).isEqualTo(new NotFound());
        assertThat(statuses(r).get("app/r")).startsWith("invalid: ").contains("service app/ext").contains("spec.externalName");
    }

    @Test
    void aServiceOfItsOwnNamespaceByClusterDnsIsAllowed() {
        for (String name : List.of("db.app.svc.cluster.local", "db.app.svc")) {
            var r = Fixture.translate(service(name, "") + ROUTE, ENABLED);
            assertThat(statuses(r)).containsEntry("app/r", "valid: valid IngressRoute");
            assertThat(only(r).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        }
    }
}
