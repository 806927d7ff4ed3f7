package io.isoline.dag;

import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.pemSecret;
import static io.isoline.testing.Manifests.tlsSecret;
import static io.isoline.testing.Proxies.errors;
import static io.isoline.testing.Proxies.proxy;
import static io.isoline.testing.Proxies.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol;
import io.isoline.testing.Certificates;
import io.isoline.testing.Fixture;
import io.isoline.xds.translate.TranslationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPProxy's TLS settings as Contour 1.33 has them: protocol versions and client certificate validation. */
class HTTPProxyTlsTest {

    @TempDir
    static Path dir;
    static String caPem;
    static String crlPem;

    @BeforeAll
    static void certificates() throws Exception {
        Certificates.Pair ca = Certificates.authority(dir, "clients-ca", "clients");
        Certificates.Pair revoked = Certificates.signed(dir, "revoked", ca, "/CN=revoked", "clientAuth", "");
        caPem = Files.readString(ca.cert());
        crlPem = Files.readString(Certificates.crl(dir, "clients", ca, revoked.cert()));
    }

    private static TranslationResult translate(String tls, String... more) {
        return Fixture.translate(backend("root", "web", "10.0.0.1") + tlsSecret("root", "cert") + pemSecret("root", "ca", "ca.crt", caPem)
                + pemSecret("root", "crl", "crl.pem", crlPem) + pemSecret("pki", "ca", "ca.crt", caPem) + String.join("", more)
                + proxy("root", "site", "virtualhost: {fqdn: secure.example.com, tls: " + tls + "}\nroutes: [{services: [{name: web, port: 80}]}]"));
    }

    private static io.envoyproxy.envoy.config.listener.v3.FilterChain chain(TranslationResult r) {
        return r.resources().listeners().stream().filter(l -> l.getName().equals("ingress_https")).findFirst().orElseThrow().getFilterChains(0);
    }

    private static DownstreamTlsContext context(TranslationResult r) throws Exception {
        return IngressTlsTest.tls(chain(r));
    }

    private static HttpConnectionManager hcm(TranslationResult r) throws Exception {
        return chain(r).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    }

    @Test
    void theMaximumVersionCapsTheHandshakeAndMayNotFallBelowTheMinimum() throws Exception {
        var capped = translate("{secretName: cert, maximumProtocolVersion: \"1.2\"}");
        assertThat(context(capped).getCommonTlsContext().getTlsParams().getTlsMaximumProtocolVersion()).isEqualTo(TlsProtocol.TLSv1_2);
        assertThat(context(translate("{secretName: cert}")).getCommonTlsContext().getTlsParams().getTlsMaximumProtocolVersion())
                .isEqualTo(TlsProtocol.TLSv1_3);
        var crossed = translate("{secretName: cert, minimumProtocolVersion: \"1.3\", maximumProtocolVersion: \"1.2\"}");
        assertThat(errors(crossed, "root/site")).containsExactly("TLSError/TLSConfigNotValid");
        assertThat(crossed.resources().listeners()).extracting(l -> l.getName()).doesNotContain("ingress_https");
        var floor = Fixture.translate(backend("root", "web", "10.0.0.1") + tlsSecret("root", "cert") + proxy("root", "site",
                "virtualhost: {fqdn: secure.example.com, tls: {secretName: cert, maximumProtocolVersion: \"1.2\"}}\n"
                        + "routes: [{services: [{name: web, port: 80}]}]"),
                new io.isoline.xds.translate.TranslateOptions(new DagOptions(null, TlsVersion.TLS_1_3, java.util.Set.of()),
                        io.isoline.xds.translate.ListenerOptions.DEFAULT));
        assertThat(statuses(floor).get("root/site")).as("the operator's minimum counts").contains("(the operator's minimum is 1.3)");
    }

    @Test
    void clientValidationRequiresACertificateChainingToTheCa() throws Exception {
        var r = translate("{secretName: cert, clientValidation: {caSecret: ca}}");
        assertThat(statuses(r).get("root/site")).isEqualTo("valid: Valid HTTPProxy");
        var tls = context(r);
        assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
        var validation = tls.getCommonTlsContext().getValidationContext();
        assertThat(validation.getTrustedCa().getInlineString()).isEqualTo(caPem);
        assertThat(validation.getTrustChainVerification()).isEqualTo(CertificateValidationContext.TrustChainVerification.VERIFY_TRUST_CHAIN);
        assertThat(hcm(r).getForwardClientCertDetails()).as("a client's own x-forwarded-client-cert is dropped")
                .isEqualTo(HttpConnectionManager.ForwardClientCertDetails.SANITIZE);
        var optional = context(translate("{secretName: cert, clientValidation: {caSecret: ca, optionalClientCertificate: true}}"));
        assertThat(optional.getRequireClientCertificate().getValue()).isFalse();
        assertThat(optional.getCommonTlsContext().getValidationContext().hasTrustedCa()).as("one sent is still checked").isTrue();
        var skip = context(translate("{secretName: cert, clientValidation: {skipClientCertValidation: true}}"));
        assertThat(skip.getRequireClientCertificate().getValue()).isTrue();
        assertThat(skip.getCommonTlsContext().getValidationContext().getTrustChainVerification())
                .isEqualTo(CertificateValidationContext.TrustChainVerification.ACCEPT_UNTRUSTED);
        var plain = context(translate("{secretName: cert}"));
        assertThat(plain.hasRequireClientCertificate()).isFalse();
        assertThat(plain.getCommonTlsContext().hasValidationContext()).isFalse();
    }

    @Test
    void crlsAndForwardedDetailsReachEnvoy() throws Exception {
        var r = translate("""
                {secretName: cert, clientValidation: {caSecret: ca, crlSecret: crl, onlyVerifyLeafCertCrl: true,
                  forwardClientCertificate: {subject: true, uri: true}}}""");
        var validation = context(r).getCommonTlsContext().getValidationContext();
        assertThat(validation.getCrl().getInlineString()).isEqualTo(crlPem);
        assertThat(validation.getOnlyVerifyLeafCertCrl()).isTrue();
        var hcm = hcm(r);
        assertThat(hcm.getForwardClientCertDetails()).isEqualTo(HttpConnectionManager.ForwardClientCertDetails.SANITIZE_SET);
        assertThat(hcm.getSetCurrentClientCertDetails().getSubject().getValue()).isTrue();
        assertThat(hcm.getSetCurrentClientCertDetails().getUri()).isTrue();
        assertThat(hcm.getSetCurrentClientCertDetails().getCert()).isFalse();
    }

    @Test
    void badClientValidationIsATlsErrorAndServesNoTls() {
        String[][] cases = {
            {"{secretName: cert, clientValidation: {}}", "TLSError/ClientValidationInvalid", "CA Secret must be specified"},
            {"{secretName: cert, clientValidation: {caSecret: cert}}", "TLSError/ClientValidationInvalid", "has no ca.crt"},
            {"{secretName: cert, clientValidation: {caSecret: missing}}", "TLSError/ClientValidationInvalid", "not found"},
            {"{secretName: cert, clientValidation: {caSecret: pki/ca}}", "TLSError/DelegationNotPermitted", "is not delegated"},
            {"{secretName: cert, clientValidation: {caSecret: ca, crlSecret: ca}}", "TLSError/ClientValidationInvalid", "has no crl.pem"},
            {"{passthrough: true, clientValidation: {caSecret: ca}}", "TLSError/TLSIncompatibleFeatures", "passthrough cannot be combined"},
        };
        for (String[] c : cases) {
            var r = translate(c[0]);
            assertThat(errors(r, "root/site")).as(c[0]).containsExactly(c[1]);
            assertThat(statuses(r).get("root/site")).as(c[0]).contains(c[2]);
            assertThat(r.resources().listeners()).as(c[0]).extracting(l -> l.getName()).doesNotContain("ingress_https");
        }
        var badCrl = translate("{secretName: cert, clientValidation: {caSecret: ca, crlSecret: bad}}",
                io.isoline.testing.Manifests.secret("root", "bad", "Opaque", null, null).replace("data: {}", "stringData: {crl.pem: not-a-crl}"));
        assertThat(statuses(badCrl).get("root/site")).contains("crl.pem");
        var huge = translate("{secretName: cert, clientValidation: {caSecret: huge}}",
                pemSecret("root", "huge", "ca.crt", (caPem + "\n").repeat(500)));
        assertThat(statuses(huge).get("root/site")).as("inline in the listener every Envoy gets").contains("ca.crt is larger than 256 KiB");
    }

    @Test
    void aDelegatedCaOfAnotherNamespaceMayBeUsed() {
        var r = translate("{secretName: cert, clientValidation: {caSecret: pki/ca}}", """
                apiVersion: projectcontour.io/v1
                kind: TLSCertificateDelegation
                metadata: {name: d, namespace: pki}
                spec: {delegations: [{secretName: ca, targetNamespaces: [root]}]}
                ---
                """);
        assertThat(statuses(r).get("root/site")).isEqualTo("valid: Valid HTTPProxy");
    }

    private static TranslationResult withFallback(String tls, String fallback, String... more) {
        var options = new io.isoline.xds.translate.TranslateOptions(DagOptions.DEFAULT.withFallbackCertificate(fallback),
                io.isoline.xds.translate.ListenerOptions.DEFAULT);
        return Fixture.translate(backend("root", "web", "10.0.0.1") + tlsSecret("root", "cert") + tlsSecret("certs", "fallback")
                + pemSecret("root", "ca", "ca.crt", caPem) + String.join("", more) + proxy("root", "site",
                "virtualhost: {fqdn: secure.example.com, tls: " + tls + "}\nroutes: [{services: [{name: web, port: 80}]}]"), options);
    }

    private static final String DELEGATED = """
            apiVersion: projectcontour.io/v1
            kind: TLSCertificateDelegation
            metadata: {name: fallback, namespace: certs}
            spec: {delegations: [{secretName: fallback, targetNamespaces: ["*"]}]}
            ---
            """;

    @Test
    void theFallbackCertificateServesClientsWithoutSniTheHostsThatAskForIt() throws Exception {
        var r = withFallback("{secretName: cert, enableFallbackCertificate: true}", "certs/fallback", DELEGATED,
                proxy("root", "other", "virtualhost: {fqdn: other.example.com, tls: {secretName: cert, minimumProtocolVersion: \"1.3\"}}\n"
                        + "routes: [{services: [{name: web, port: 80}]}]"));
        assertThat(statuses(r).get("root/site")).isEqualTo("valid: Valid HTTPProxy");
        var https = r.resources().listeners().stream().filter(l -> l.getName().equals("ingress_https")).findFirst().orElseThrow();
        var fallback = https.getFilterChainsList().stream().filter(c -> c.getFilterChainMatch().getServerNamesCount() == 0).toList();
        assertThat(fallback).singleElement().satisfies(c -> {
            assertThat(c.getFilterChainMatch().getTransportProtocol()).isEqualTo("tls");
            var tls = IngressTlsTest.tls(c).getCommonTlsContext();
            assertThat(tls.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("certs/fallback");
            assertThat(c.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class).getRds().getRouteConfigName())
                    .isEqualTo("ingress_fallbackcert");
        });
        assertThat(r.resources().secrets()).extracting(sec -> sec.getName()).contains("certs/fallback", "root/cert");
        var routes = r.resources().routes().stream().filter(rc -> rc.getName().equals("ingress_fallbackcert")).findFirst().orElseThrow();
        assertThat(routes.getVirtualHostsList()).as("only the hosts that enabled it").extracting(vh -> vh.getName())
                .containsExactly("secure.example.com");
        var plain = Fixture.translate(backend("root", "web", "10.0.0.1") + tlsSecret("root", "cert")
                + proxy("root", "site", "virtualhost: {fqdn: secure.example.com, tls: {secretName: cert}}\nroutes: [{services: [{name: web, port: 80}]}]"));
        assertThat(plain.resources().routes()).extracting(rc -> rc.getName()).doesNotContain("ingress_fallbackcert");
    }

    @Test
    void theFallbackChainAsksForTheHighestMinimumVersionOfItsHosts() throws Exception {
        var r = withFallback("{secretName: cert, enableFallbackCertificate: true}", "certs/fallback", DELEGATED,
                proxy("root", "strict", "virtualhost: {fqdn: strict.example.com, tls: {secretName: cert, enableFallbackCertificate: true, "
                        + "minimumProtocolVersion: \"1.3\"}}\nroutes: [{services: [{name: web, port: 80}]}]"));
        var chain = r.resources().listeners().stream().filter(l -> l.getName().equals("ingress_https")).findFirst().orElseThrow()
                .getFilterChainsList().stream().filter(c -> c.getFilterChainMatch().getServerNamesCount() == 0).findFirst().orElseThrow();
        assertThat(IngressTlsTest.tls(chain).getCommonTlsContext().getTlsParams().getTlsMinimumProtocolVersion()).isEqualTo(TlsProtocol.TLSv1_3);
    }

    @Test
    void aFallbackThatCannotBeServedIsATlsErrorWithContoursReasons() {
        String[][] cases = {
            {null, "{secretName: cert, enableFallbackCertificate: true}", "TLSError/FallbackNotPresent"},
            {"certs/fallback", "{secretName: cert, enableFallbackCertificate: true}", "TLSError/FallbackNotDelegated"},
            {"certs/missing", "{secretName: cert, enableFallbackCertificate: true}", "TLSError/FallbackNotValid"},
            {"certs/fallback", "{secretName: cert, enableFallbackCertificate: true, clientValidation: {caSecret: ca}}",
                "TLSError/TLSIncompatibleFeatures"},
        };
        for (String[] c : cases) {
            var r = withFallback(c[1], c[0], c[0] != null && c[2].endsWith("NotValid") ? DELEGATED.replace("secretName: fallback", "secretName: missing") : "");
            assertThat(errors(r, "root/site")).as(c[2]).containsExactly(c[2]);
            assertThat(r.resources().listeners()).as(c[2]).extracting(l -> l.getName()).doesNotContain("ingress_https");
        }
    }
}
