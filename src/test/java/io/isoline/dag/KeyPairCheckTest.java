package io.isoline.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Certificates;
import io.isoline.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Secret whose key Envoy could not load, or that is not its certificate's, is refused before Envoy sees it. */
class KeyPairCheckTest {

    @TempDir
    Path dir;

    private static final String CERT = Manifests.resource("tls/test.crt");
    private static final String KEY = Manifests.resource("tls/test.key");

    private String openssl(String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of("openssl"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return out;
    }

    @Test
    void aMatchingPairPassesInEveryPemFormatEnvoyReads() throws Exception {
        assertThat(KeyPairCheck.check(CERT, KEY)).isNull();
        Files.writeString(dir.resolve("k.pem"), KEY);
        String sec1 = openssl("ec", "-in", dir.resolve("k.pem").toString(), "-outform", "PEM");
        assertThat(sec1).contains("BEGIN EC PRIVATE KEY");
        assertThat(KeyPairCheck.check(CERT, sec1)).isNull();
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rsa.test", "-keyout",
                dir.resolve("rsa.key").toString(), "-out", dir.resolve("rsa.crt").toString());
        String rsaCert = Files.readString(dir.resolve("rsa.crt"));
        String pkcs1 = openssl("rsa", "-in", dir.resolve("rsa.key").toString(), "-traditional");
        assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");
        assertThat(KeyPairCheck.check(rsaCert, pkcs1)).isNull();
        assertThat(KeyPairCheck.check(rsaCert, Files.readString(dir.resolve("rsa.key")))).isNull();
        assertThat(KeyPairCheck.check(rsaCert, KEY)).as("an EC key for an RSA certificate").contains("is not a RSA private key");
        // The traditional formats are really checked, not waved through: another key of the same kind is refused.
        String otherRsa = openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
        Files.writeString(dir.resolve("rsa2.key"), otherRsa);
        String otherPkcs1 = openssl("rsa", "-in", dir.resolve("rsa2.key").toString(), "-traditional");
        assertThat(KeyPairCheck.check(rsaCert, otherPkcs1)).isEqualTo("tls.key does not belong to the certificate in tls.crt");
        Certificates.Pair otherEc = Certificates.selfSigned(dir, "other-ec", "other.test");
        String otherSec1 = openssl("ec", "-in", otherEc.key().toString(), "-outform", "PEM");
        assertThat(otherSec1).contains("BEGIN EC PRIVATE KEY");
        assertThat(KeyPairCheck.check(CERT, otherSec1)).isEqualTo("tls.key does not belong to the certificate in tls.crt");
    }

    /** What a server pays ahead at start-up is a real check of a P-256 pair, and it leaves every outcome as it was. */
    @Test
    void theStartUpWarmUpChecksAThrowawayPairAndChangesNoOutcome() throws Exception {
        assertThat(KeyPairCheck.warmUp()).isTrue();
        assertThat(KeyPairCheck.check(CERT, KEY)).isNull();
        Certificates.Pair other = Certificates.selfSigned(dir, "after-warm-up", "other.test");
        assertThat(KeyPairCheck.check(CERT, Files.readString(other.key()))).isEqualTo("tls.key does not belong to the certificate in tls.crt");
    }

    @Test
    void aKeyOfAnotherCertificateOrAGarbageBodyIsAProblem() throws Exception {
        Certificates.Pair other = Certificates.selfSigned(dir, "other", "other.test");
        assertThat(KeyPairCheck.check(CERT, Files.readString(other.key()))).isEqualTo("tls.key does not belong to the certificate in tls.crt");
        assertThat(KeyPairCheck.check(CERT, "-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n"))
                .contains("not valid base64");
        assertThat(KeyPairCheck.check(CERT, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .contains("malformed");
        assertThat(KeyPairCheck.check(CERT, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
                .as("left to Envoy").isNull();
        assertThat(KeyPairCheck.check(CERT, "MHcCAQEEIB")).isEqualTo("tls.key is not a PEM-encoded private key");
        assertThat(KeyPairCheck.check("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", KEY))
                .as("a broken certificate is the certificate check's to report").isNull();
    }

    @Test
    void theMemoGivesWhatACheckGives() throws Exception {
        Certificates.Pair other = Certificates.selfSigned(dir, "other3", "other.test");
        String wrong = Files.readString(other.key());
        for (int i = 0; i < 2; i++) {
            assertThat(KeyPairCheck.problem(CERT, wrong)).isEqualTo("tls.key does not belong to the certificate in tls.crt");
            assertThat(KeyPairCheck.problem(CERT, KEY)).isNull();
        }
    }

    @Test
    void theSecretsUsersAreToldAndOthersAreNot() throws Exception {
        Certificates.Pair other = Certificates.selfSigned(dir, "other2", "other.test");
        var r = io.isoline.testing.Fixture.translate(Manifests.backend("default", "web", "10.0.0.1")
                + Manifests.secret("default", "mixed", "kubernetes.io/tls", CERT, Files.readString(other.key()))
                + Manifests.tlsSecret("default", "good") + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: default}
                spec:
                  tls: [{hosts: [a.example.com], secretName: mixed}, {hosts: [b.example.com], secretName: good}]
                  rules:
                  - {host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}
                  - {host: b.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}
                """);
        assertThat(r.resources().secrets()).extracting(s -> s.getName()).containsExactly("default/good");
        assertThat(r.statuses().get(0).description()).contains("secret default/mixed: tls.key does not belong to the certificate");
    }
}
