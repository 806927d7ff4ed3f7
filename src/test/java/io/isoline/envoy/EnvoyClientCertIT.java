package io.isoline.envoy;

import static io.isoline.testing.Manifests.pemSecret;
import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoline.testing.Backend;
import io.isoline.testing.Certificates;
import io.isoline.testing.Proxies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPProxy client certificate validation through a real Envoy: a certificate from the CA gets in
 * (its subject forwarded to the backend), none, another CA's or a revoked one does not; an optional
 * client certificate lets a client without one in, and a client's own x-forwarded-client-cert never
 * reaches the backend.
 */
class EnvoyClientCertIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Certificates.Pair alice;
    static Certificates.Pair mallory;
    static Certificates.Pair revoked;

    @BeforeAll
    static void start() throws Exception {
        vertx();
        Backend app = Backend.http(vertx, "app", "127.0.2.20");
        Certificates.Pair ca = Certificates.authority(dir, "clients-ca", "clients");
        Certificates.Pair other = Certificates.authority(dir, "other-ca", "other");
        alice = Certificates.signed(dir, "alice", ca, "/CN=alice", "clientAuth", "");
        revoked = Certificates.signed(dir, "revoked", ca, "/CN=revoked", "clientAuth", "");
        mallory = Certificates.signed(dir, "mallory", other, "/CN=mallory", "clientAuth", "");
        Path crl = Certificates.crl(dir, "clients", ca, revoked.cert());
        Certificates.Pair server = Certificates.selfSigned(dir, "server", "mtls.test", "optional.test", "skip.test", "skip-ca.test");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("all.yaml"), serviceFor("apps", "app", "", app) + tlsSecret("apps", "server", server)
                + pemSecret("apps", "clients-ca", "ca.crt", Files.readString(ca.cert()))
                + pemSecret("apps", "clients-crl", "crl.pem", Files.readString(crl))
                + Proxies.proxy("apps", "mtls", """
                        virtualhost:
                          fqdn: mtls.test
                          tls:
                            secretName: server
                            clientValidation: {caSecret: clients-ca, crlSecret: clients-crl, forwardClientCertificate: {subject: true}}
                        routes: [{services: [{name: app, port: 80}]}]
                        """)
                + Proxies.proxy("apps", "optional", """
                        virtualhost:
                          fqdn: optional.test
                          tls: {secretName: server, clientValidation: {caSecret: clients-ca, optionalClientCertificate: true}}
                        routes: [{services: [{name: app, port: 80}]}]
                        """)
                + Proxies.proxy("apps", "skip", """
                        virtualhost:
                          fqdn: skip.test
                          tls: {secretName: server, clientValidation: {skipClientCertValidation: true, forwardClientCertificate: {subject: true}}}
                        routes: [{services: [{name: app, port: 80}]}]
                        """)
                + Proxies.proxy("apps", "skip-ca", """
                        virtualhost:
                          fqdn: skip-ca.test
                          tls: {secretName: server, clientValidation: {caSecret: clients-ca, skipClientCertValidation: true}}
                        routes: [{services: [{name: app, port: 80}]}]
                        """));
        startStack(dir.resolve("run"), manifests);
    }

    @Test
    void aCertificateFromTheCaGetsInWithItsSubjectForwarded() throws Exception {
        var reply = client.getTlsAs(alice, stack.httpsPort, "mtls.test", "/x", Map.of("x-forwarded-client-cert", "Subject=\"CN=admin\""));
        assertThat(reply.backend()).isEqualTo("app");
        assertThat(reply.json().getJsonObject("headers").getString("x-forwarded-client-cert"))
                .as("Envoy's own details replace the client's").contains("Subject=\"CN=alice\"").doesNotContain("admin");
    }

    /** The first line of Envoy's answer to a GET presenting {@code cert} (Java's client would withhold one the server's CAs did not sign). */
    private static String statusLine(Certificates.Pair cert, String host) throws Exception {
        return io.isoline.testing.RawTls.get(stack.httpsPort, host, host, "/x", cert).statusLine();
    }

    @Test
    void noCertificateAnotherCasOrARevokedOneIsRefusedInTheHandshake() throws Exception {
        assertThat(statusLine(alice, "mtls.test")).as("the CA's, to show the probe works").startsWith("HTTP/1.1 200");
        assertThat(statusLine(null, "mtls.test")).as("none").isEmpty();
        assertThat(statusLine(mallory, "mtls.test")).as("another CA's").isEmpty();
        assertThat(statusLine(revoked, "mtls.test")).as("revoked").isEmpty();
        assertThatThrownBy(() -> client.getTls(stack.httpsPort, "mtls.test", "/x")).as("none, over HTTP/2").isInstanceOf(Exception.class);
    }

    @Test
    void anOptionalCertificateLetsAClientWithoutOneInButChecksOneSent() throws Exception {
        var reply = client.getTls(stack.httpsPort, "optional.test", "/x", Map.of("x-forwarded-client-cert", "Subject=\"CN=admin\""));
        assertThat(reply.backend()).isEqualTo("app");
        assertThat(reply.json().getJsonObject("headers").containsKey("x-forwarded-client-cert")).as("a forged header is dropped").isFalse();
        assertThat(statusLine(alice, "optional.test")).startsWith("HTTP/1.1 200");
        assertThat(statusLine(null, "optional.test")).startsWith("HTTP/1.1 200");
        assertThat(statusLine(mallory, "optional.test")).as("one sent is still checked").isEmpty();
    }

    /**
     * Skipping validation asks for a certificate and takes anyone's. Without a CA, Envoy does not
     * require one either (it sets SSL_VERIFY_FAIL_IF_NO_PEER_CERT only with a CA), as in Contour,
     * which emits the same configuration: the upstream decides from x-forwarded-client-cert.
     */
    @Test
    void skippingValidationTakesAnyonesCertificateAndRequiresOneOnlyWithACa() throws Exception {
        var reply = client.getTlsAs(mallory, stack.httpsPort, "skip.test", "/x", Map.of());
        assertThat(reply.json().getJsonObject("headers").getString("x-forwarded-client-cert")).as("another CA's, forwarded")
                .contains("Subject=\"CN=mallory\"");
        assertThat(statusLine(alice, "skip.test")).startsWith("HTTP/1.1 200");
        assertThat(statusLine(null, "skip.test")).as("none, and no CA: let in").startsWith("HTTP/1.1 200");
        assertThat(statusLine(mallory, "skip-ca.test")).as("another CA's").startsWith("HTTP/1.1 200");
        assertThat(statusLine(null, "skip-ca.test")).as("none, with a CA: refused").isEmpty();
    }
}
