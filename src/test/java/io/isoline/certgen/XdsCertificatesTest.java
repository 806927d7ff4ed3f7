package io.isoline.certgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What certgen issues is what mutual TLS between Envoy and the controller needs, and nothing more. */
class XdsCertificatesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static X509Certificate cert(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey key(String pem) throws Exception {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** The key signs what the certificate's public key verifies: they are one pair. */
    private static boolean pair(XdsCertificates.Side side) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key(side.privateKey()));
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert(side.certificate()));
        s.update(new byte[] {1, 2, 3});
        return s.verify(sig);
    }

    private static List<String> dnsNames(X509Certificate c) throws Exception {
        return c.getSubjectAlternativeNames().stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();
    }

    @Test
    void theControllerIsAServerForItsServiceNamesAndEnvoyAClientBothSignedByOneCa() throws Exception {
        XdsCertificates.Set set = XdsCertificates.issue("edge-isoline", "ingress", NOW, Duration.ofDays(365));
        X509Certificate ca = cert(set.controller().ca());
        assertThat(set.envoy().ca()).isEqualTo(set.controller().ca());
        assertThat(ca.getBasicConstraints()).as("a CA that may sign only leaves").isEqualTo(0);
        ca.verify(ca.getPublicKey());

        X509Certificate controller = cert(set.controller().certificate());
        controller.verify(ca.getPublicKey());
        assertThat(dnsNames(controller)).containsExactly("edge-isoline", "edge-isoline.ingress", "edge-isoline.ingress.svc",
                "edge-isoline.ingress.svc.cluster.local");
        assertThat(controller.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth only
        assertThat(controller.getBasicConstraints()).isEqualTo(-1);

        X509Certificate envoy = cert(set.envoy().certificate());
        envoy.verify(ca.getPublicKey());
        assertThat(envoy.getSubjectX500Principal().getName()).isEqualTo("CN=envoy");
        assertThat(envoy.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth only
        assertThat(pair(set.controller())).isTrue();
        assertThat(pair(set.envoy())).isTrue();
    }

    @Test
    void validityIsWhatWasAskedWithAMinuteForClockSkewAndEachRunIsANewCa() throws Exception {
        XdsCertificates.Set set = XdsCertificates.issue("isoline", "isoline-system", NOW, Duration.ofHours(2));
        X509Certificate c = cert(set.controller().certificate());
        assertThat(c.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
        assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(2))).isEqualTo(set.controller().notAfter());
        XdsCertificates.Set other = XdsCertificates.issue("isoline", "isoline-system", NOW, Duration.ofHours(2));
        assertThat(other.controller().ca()).isNotEqualTo(set.controller().ca());
        assertThatThrownBy(() -> cert(other.controller().certificate()).verify(cert(set.controller().ca()).getPublicKey()))
                .as("another run's CA does not vouch for this run's certificates").isInstanceOf(java.security.SignatureException.class);
    }

    @Test
    void keysNeverShowInToString() {
        XdsCertificates.Set set = XdsCertificates.issue("isoline", "isoline-system", NOW, Duration.ofHours(2));
        assertThat(set.toString()).doesNotContain("PRIVATE KEY").doesNotContain(set.envoy().privateKey().substring(40, 80));
    }

    /** A kept CA issues the next pair (so both sides keep trusting each other), never past its own end; its key must be its own. */
    @Test
    void aKeptAuthorityIssuesTheNextPairAndOnlyAMatchingKeyIsAccepted() throws Exception {
        java.time.Instant now = java.time.Instant.parse("2026-12-01T00:00:00Z");
        XdsCertificates.Authority ca = XdsCertificates.authority(now, java.time.Duration.ofDays(30));
        XdsCertificates.Authority parsed = XdsCertificates.Authority.parse(ca.certificate(), ca.privateKey()).orElseThrow();
        assertThat(parsed.notAfter()).isEqualTo(ca.notAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        XdsCertificates.Set first = XdsCertificates.issue(parsed, "isoline", "ns", now, java.time.Duration.ofDays(10));
        XdsCertificates.Set next = XdsCertificates.issue(parsed, "isoline", "ns", now.plus(java.time.Duration.ofDays(9)),
                java.time.Duration.ofDays(365));
        assertThat(next.envoy().ca()).isEqualTo(first.envoy().ca()).isEqualTo(ca.certificate());
        var factory = java.security.cert.CertificateFactory.getInstance("X.509");
        var caCert = factory.generateCertificate(new java.io.ByteArrayInputStream(ca.certificate().getBytes()));
        for (XdsCertificates.Side side : List.of(first.controller(), next.controller(), next.envoy())) {
            var cert = (java.security.cert.X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(side.certificate().getBytes()));
            cert.verify(caCert.getPublicKey()); // throws unless signed by the kept CA
        }
        assertThat(next.controller().notAfter()).as("never past the CA").isEqualTo(ca.notAfter());
        XdsCertificates.Authority other = XdsCertificates.authority(now, java.time.Duration.ofDays(30));
        assertThat(XdsCertificates.Authority.parse(ca.certificate(), other.privateKey())).as("another CA's key").isEmpty();
        assertThat(XdsCertificates.Authority.parse("not a certificate", ca.privateKey())).isEmpty();
        assertThat(ca.toString()).doesNotContain("PRIVATE");
    }
}
