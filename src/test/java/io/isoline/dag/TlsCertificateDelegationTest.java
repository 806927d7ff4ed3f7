package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.EnvoySimulator.Refused;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/**
 * A Secret in one namespace used from another: only with a TLSCertificateDelegation in the Secret's
 * namespace naming the user's namespace (or "*"). Each step of the lifecycle is a new translation,
 * as each change is a new publish.
 */
class TlsCertificateDelegationTest {

    private static final String BASE = backend("team", "web", "10.0.0.1") + tlsSecret("certs", "wildcard");

    private static final String INGRESS_ROUTE = """
            apiVersion: contour.heptio.com/v1beta1
            kind: IngressRoute
            metadata: {name: site, namespace: team}
            spec:
              virtualhost: {fqdn: www.example.com, tls: {secretName: certs/wildcard}}
              routes: [{match: /, services: [{name: web, port: 80}]}]
            ---
            """;

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: site, namespace: team}
            spec:
              tls: [{hosts: [api.example.com], secretName: certs/wildcard}]
              rules: [{host: api.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
            ---
            """;

    private static String delegation(String secretName, String... namespaces) {
        return """
                apiVersion: contour.heptio.com/v1beta1
                kind: TLSCertificateDelegation
                metadata: {name: delegation, namespace: certs}
                spec:
                  delegations:
                  - secretName: %s
                    targetNamespaces: [%s]
                ---
                """.formatted(secretName, String.join(", ", namespaces));
    }

    private static TranslationResult with(String delegation) {
        return Fixture.translate(BASE + INGRESS_ROUTE + INGRESS + delegation);
    }

    private static boolean servedOverTls(TranslationResult r, String host) {
        return new EnvoySimulator(r.resources()).https(host, "/") instanceof Proxied;
    }

    private static String status(TranslationResult r, String kind) {
        return r.statuses().stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow().description();
    }

    @Test
    void withoutDelegationTheCertificateIsNotUsedAndStatusesSayDelegationIsMissing() {
        TranslationResult r = with("");
        assertThat(servedOverTls(r, "www.example.com")).isFalse();
        assertThat(servedOverTls(r, "api.example.com")).isFalse();
        assertThat(r.resources().secrets()).isEmpty();
        assertThat(status(r, "IngressRoute")).isEqualTo("tls.secretName: certificate delegation is missing: secret "
                + "certs/wildcard is not delegated to namespace team by a TLSCertificateDelegation in certs");
        assertThat(status(r, "Ingress")).contains("certificate delegation is missing");
        // The Ingress keeps serving plain HTTP, as for any unusable certificate.
        assertThat(new EnvoySimulator(r.resources()).http("api.example.com", "/")).isInstanceOf(Proxied.class);
    }

    @Test
    void delegatedToTheNamespaceTheCertificateIsServed() {
        TranslationResult r = with(delegation("wildcard", "team"));
        assertThat(servedOverTls(r, "www.example.com")).isTrue();
        assertThat(servedOverTls(r, "api.example.com")).isTrue();
        assertThat(r.resources().secrets()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("certs/wildcard"));
        assertThat(status(r, "IngressRoute")).isEqualTo("valid IngressRoute");
        assertThat(status(r, "Ingress")).isEqualTo("valid Ingress");
    }

    @Test
    void delegatedToEveryNamespace() {
        TranslationResult r = with(delegation("wildcard", "\"*\""));
        assertThat(servedOverTls(r, "www.example.com")).isTrue();
    }

    @Test
    void aDelegationOfAnotherSecretDoesNotCount() {
        TranslationResult r = with(delegation("other-cert", "team"));
        assertThat(servedOverTls(r, "www.example.com")).isFalse();
        assertThat(new EnvoySimulator(r.resources()).https("www.example.com", "/")).isInstanceOf(Refused.class);
    }

    @Test
    void narrowingTheDelegationRemovesTheCertificateAtTheNextPublish() {
        assertThat(with(delegation("wildcard", "team", "other")).resources().secrets()).hasSize(1);
        TranslationResult narrowed = with(delegation("wildcard", "other"));
        assertThat(narrowed.resources().secrets()).isEmpty();
        assertThat(servedOverTls(narrowed, "www.example.com")).isFalse();
    }

    @Test
    void sameNamespaceSecretsNeedNoDelegation() {
        TranslationResult r = Fixture.translate(backend("team", "web", "10.0.0.1") + tlsSecret("team", "own")
                + INGRESS_ROUTE.replace("certs/wildcard", "own"));
        assertThat(servedOverTls(r, "www.example.com")).isTrue();
    }

    @Test
    void anIngressNamesTheSecretsNamespaceWithTlsCertNamespaceUnderTheSameDelegationRule() {
        String ingress = INGRESS.replace("metadata: {name: site, namespace: team}",
                "metadata: {name: site, namespace: team, annotations: {projectcontour.io/tls-cert-namespace: certs}}")
                .replace("secretName: certs/wildcard", "secretName: wildcard");
        TranslationResult delegated = Fixture.translate(BASE + ingress + delegation("wildcard", "team"));
        assertThat(servedOverTls(delegated, "api.example.com")).isTrue();
        assertThat(status(delegated, "Ingress")).isEqualTo("valid Ingress");
        TranslationResult notDelegated = Fixture.translate(BASE + ingress);
        assertThat(servedOverTls(notDelegated, "api.example.com")).isFalse();
        assertThat(status(notDelegated, "Ingress")).contains("certificate delegation is missing");
    }
}
