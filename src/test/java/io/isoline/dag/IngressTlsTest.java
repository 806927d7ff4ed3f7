package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.resource;
import static io.isoline.testing.Manifests.secret;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import io.isoline.testing.EnvoySimulator;
import io.isoline.testing.EnvoySimulator.Proxied;
import io.isoline.testing.EnvoySimulator.Refused;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import org.junit.jupiter.api.Test;

/** Ingress spec.tls: an SNI filter chain per host with its certificate over SDS; bad secrets are refused. */
class IngressTlsTest {

    private static final String TLS_INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: secure, namespace: default}
            spec:
              tls: [{hosts: [www.example.com, api.example.com], secretName: cert}]
              rules:
              - host: www.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
              - host: api.example.com
                http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
            """;

    static DownstreamTlsContext tls(FilterChain chain) throws Exception {
        return chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    }

    @Test
    void eachTlsHostGetsAnSniFilterChainWithTheCertificateOverSds() throws Exception {
        TranslationResult r = Fixture.translate(backend("default", "web", "10.0.0.1") + tlsSecret("default", "cert") + TLS_INGRESS);
        var https = r.resources().listeners().stream().filter(l -> l.getName().equals("ingress_https")).findFirst().orElseThrow();
        assertThat(https.getAddress().getSocketAddress().getPortValue()).isEqualTo(8443);
        assertThat(https.getFilterChainsList()).extracting(fc -> fc.getFilterChainMatch().getServerNames(0))
                .containsExactly("api.example.com", "www.example.com");
        DownstreamTlsContext tls = tls(https.getFilterChains(1));
        assertThat(tls.getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion()).isEqualTo(TlsProtocol.TLSv1_2);
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2", "http/1.1");
        String secretName = tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName();
        assertThat(secretName).as("stable across rotation").isEqualTo("default/cert");
        assertThat(r.resources().secrets()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(secretName);
            assertThat(s.getTlsCertificate().getCertificateChain().getInlineString()).isEqualTo(resource("tls/test.crt"));
        });
        assertThat(r.resources().routes()).extracting(rc -> rc.getName())
                .containsExactly("ingress_http", "https/api.example.com", "https/www.example.com");
        EnvoySimulator envoy = new EnvoySimulator(r.resources());
        assertThat(envoy.https("www.example.com", "/")).isInstanceOf(Proxied.class);
        assertThat(envoy.https("other.example.com", "/")).isInstanceOf(Refused.class);
        // TLS hosts stay served over plain HTTP unless an annotation says otherwise.
        assertThat(envoy.http("www.example.com", "/")).isInstanceOf(Proxied.class);
        assertThat(r.statuses().get(0).description()).isEqualTo("valid Ingress");
    }

    @Test
    void secretOfTheWrongTypeIsNotUsedAndTheIngressSaysWhy() {
        String opaque = secret("default", "cert", "Opaque", resource("tls/test.crt"), resource("tls/test.key"));
        assertRefused(opaque, "secret default/cert is of type Opaque, not kubernetes.io/tls");
    }

    @Test
    void secretWithoutAKeyIsNotUsed() {
        assertRefused(secret("default", "cert", "kubernetes.io/tls", resource("tls/test.crt"), null),
                "secret default/cert has no tls.key");
    }

    @Test
    void secretWithAnUnparseableCertificateIsNotUsed() {
        String bad = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n";
        assertRefused(secret("default", "cert", "kubernetes.io/tls", bad, resource("tls/test.key")),
                "secret default/cert: tls.crt is not a PEM-encoded X.509 certificate");
    }

    @Test
    void secretWithoutACertificateOrWithAKeyThatIsNoPemIsNotUsed() {
        assertRefused(secret("default", "cert", "kubernetes.io/tls", null, resource("tls/test.key")),
                "secret default/cert has no tls.crt");
        assertRefused(secret("default", "cert", "kubernetes.io/tls", resource("tls/test.crt"), "just some text"),
                "secret default/cert: tls.key is not a PEM-encoded private key");
        assertRefused(secret("default", "cert", "kubernetes.io/tls", "just some text", resource("tls/test.key")),
                "secret default/cert: tls.crt is not a PEM-encoded X.509 certificate");
        String badBase64 = secret("default", "cert", "kubernetes.io/tls", resource("tls/test.crt"), resource("tls/test.key"))
                .replaceAll("tls.key: .*", "tls.key: \"!!not base64!!\"");
        assertRefused(badBase64, "secret default/cert has no tls.key");
    }

    @Test
    void aSecretWrittenAsStringDataIsServed() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata: {name: cert, namespace: default}
                type: kubernetes.io/tls
                stringData:
                  tls.crt: |
                %s
                  tls.key: |
                %s
                ---
                """.formatted(resource("tls/test.crt").stripTrailing().indent(4).stripTrailing(),
                resource("tls/test.key").stripTrailing().indent(4).stripTrailing());
        TranslationResult r = Fixture.translate(backend("default", "web", "10.0.0.1") + yaml + TLS_INGRESS);
        assertThat(r.resources().secrets()).extracting(sec -> sec.getName()).containsExactly("default/cert");
        assertThat(new EnvoySimulator(r.resources()).https("www.example.com", "/")).isInstanceOf(Proxied.class);
    }

    /** Two Ingresses giving one host different certificates: the first (by name) keeps it, the other is told; one certificate twice is fine. */
    @Test
    void twoIngressesWithDifferentCertificatesForOneHost() throws Exception {
        String second = TLS_INGRESS.replace("name: secure", "name: tail").replace("secretName: cert", "secretName: other")
                .replace("www.example.com, api.example.com", "www.example.com");
        var r = Fixture.translate(backend("default", "web", "10.0.0.1") + tlsSecret("default", "cert")
                + tlsSecret("default", "other") + TLS_INGRESS + "---\n" + second);
        assertThat(r.resources().secrets()).extracting(sec -> sec.getName()).containsExactly("default/cert");
        assertThat(r.statuses()).filteredOn(st -> st.name().equals("tail")).singleElement().satisfies(st -> assertThat(st.description())
                .contains("spec.tls[0]: host www.example.com already has a certificate from Ingress default/secure"));
        assertThat(r.statuses()).filteredOn(st -> st.name().equals("secure")).singleElement()
                .satisfies(st -> assertThat(st.description()).isEqualTo("valid Ingress"));
        assertThat(new EnvoySimulator(r.resources()).https("www.example.com", "/")).isInstanceOf(Proxied.class);

        var same = Fixture.translate(backend("default", "web", "10.0.0.1") + tlsSecret("default", "cert")
                + TLS_INGRESS + "---\n" + second.replace("secretName: other", "secretName: cert"));
        assertThat(same.statuses()).allSatisfy(st -> assertThat(st.description()).doesNotContain("already has a certificate"));
    }

    @Test
    void missingSecretIsNotUsed() {
        assertRefused("", "secret default/cert not found");
    }

    private static void assertRefused(String secretYaml, String reason) {
        TranslationResult r = Fixture.translate(backend("default", "web", "10.0.0.1") + secretYaml + TLS_INGRESS);
        assertThat(r.resources().listeners()).extracting(l -> l.getName()).containsExactly("ingress_http");
        assertThat(r.resources().secrets()).isEmpty();
        assertThat(r.statuses().get(0).description()).contains(reason).contains("not served over TLS");
        assertThat(new EnvoySimulator(r.resources()).http("www.example.com", "/")).isInstanceOf(Proxied.class);
    }
}
