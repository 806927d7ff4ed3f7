package io.isoline.dag;

import static io.isoline.testing.IngressRoutes.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Contour's {@code services[].validation}: a TLS upstream's certificate checked against a tenant's CA and subject name. */
class UpstreamValidationTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: secure, namespace: app, annotations: {projectcontour.io/upstream-protocol.tls: "443"}}
            spec:
              ports: [{name: https, port: 443}]
            ---
            """;

    private static TranslationResult translate(String caSecret, String validation) throws Exception {
        String pem = Files.readString(Path.of("src/test/resources/tls/test.crt"));
        return Fixture.translate(SERVICE + (caSecret == null ? "" : """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: app}
                type: Opaque
                stringData:
                  ca.crt: |
                %s
                ---
                """.formatted(caSecret, pem.stripTrailing().indent(4).stripTrailing())) + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: v.example.com}
                  routes: [{match: /, services: [{name: secure, port: 443%s}]}]
                """.formatted(validation));
    }

    @Test
    void theClusterTrustsOnlyTheCaAndTheSubjectNameAndSendsItAsSni() throws Exception {
        var r = translate("upstream-ca", ", validation: {caSecret: upstream-ca, subjectName: backend.internal}");
        assertThat(statuses(r)).containsEntry("app/r", "valid: valid IngressRoute");
        Cluster cluster = r.resources().clusters().stream().filter(c -> c.getName().startsWith("app/secure/443/")).findFirst().orElseThrow();
        UpstreamTlsContext tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        var validation = tls.getCommonTlsContext().getValidationContext();
        assertThat(validation.getTrustedCa().getInlineString()).isEqualTo(Files.readString(Path.of("src/test/resources/tls/test.crt")));
        assertThat(validation.getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("backend.internal");
        assertThat(tls.getSni()).isEqualTo("backend.internal");
        var unverified = translate(null, "").resources().clusters().stream().filter(c -> c.getName().startsWith("app/secure/443/"))
                .findFirst().orElseThrow();
        assertThat(unverified.getName()).as("another cluster than the validated one").isNotEqualTo(cluster.getName());
        assertThat(unverified.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getCommonTlsContext()
                .hasValidationContext()).isFalse();
    }

    @Test
    void aMissingCaSecretMakesTheObjectInvalidNamingTheField() throws Exception {
        var r = translate(null, ", validation: {caSecret: nowhere, subjectName: backend.internal}");
        assertThat(statuses(r).get("app/r")).startsWith("invalid: ").contains("validation.caSecret: Secret app/nowhere not found");
        assertThat(r.resources().clusters()).noneMatch(c -> c.getName().startsWith("app/secure/"));
        var noCa = Fixture.translate(SERVICE + io.isoline.testing.Manifests.tlsSecret("app", "cert") + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: r, namespace: app}
                spec:
                  virtualhost: {fqdn: v.example.com}
                  routes: [{match: /, services: [{name: secure, port: 443, validation: {caSecret: cert, subjectName: b.internal}}]}]
                """);
        assertThat(statuses(noCa).get("app/r")).contains("validation.caSecret: Secret app/cert has no ca.crt");
    }
}
