package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Backend;
import io.isoline.testing.Certificates;
import io.isoline.testing.IngressRoutes;
import io.isoline.testing.Proxies;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contour's upstream validation through a real Envoy to real TLS backends: with
 * {@code services[].validation}, Envoy talks only to an upstream whose certificate chains to the
 * tenant's CA and names the subject; without it, TLS upstreams are not verified (Contour's default).
 * The same for an HTTPProxy's {@code protocol: tls} and {@code h2} (HTTP/2 over TLS) services.
 */
class EnvoyUpstreamTlsIT extends RealEnvoyTier {

    @TempDir
    static Path dir;

    private static String service(String name, String subjectName) {
        return "{name: " + name + ", port: 80" + (subjectName == null ? ""
                : ", validation: {caSecret: upstream-ca, subjectName: " + subjectName + "}") + "}";
    }

    @BeforeAll
    static void start() throws Exception {
        vertx();
        Certificates.Pair ca = Certificates.authority(dir, "ca", "tenant upstream CA");
        Certificates.Pair otherCa = Certificates.authority(dir, "other-ca", "someone else");
        Backend good = Backend.https(vertx, "good", "127.0.0.3",
                Certificates.signed(dir, "good", ca, "/CN=backend.internal", "serverAuth", "DNS:backend.internal"));
        Backend rogue = Backend.https(vertx, "rogue", "127.0.0.4",
                Certificates.signed(dir, "rogue", otherCa, "/CN=backend.internal", "serverAuth", "DNS:backend.internal"));
        String tls = "{projectcontour.io/upstream-protocol.tls: http}";
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("upstream-tls.yaml"), serviceFor("app", "secure", tls, good)
                + serviceFor("app", "impostor", tls, rogue)
                + serviceFor("app", "plain-secure", "", good) + serviceFor("app", "plain-impostor", "", rogue)
                + """
                apiVersion: v1
                kind: Secret
                metadata: {name: upstream-ca, namespace: app}
                type: Opaque
                stringData:
                  ca.crt: |
                %s
                ---
                """.formatted(Files.readString(ca.cert()).stripTrailing().indent(4).stripTrailing())
                + IngressRoutes.root("app", "site", "tls-upstream.test",
                        "  - {match: /good, services: [" + service("secure", "backend.internal") + "]}\n"
                        + "  - {match: /wrong-name, services: [" + service("secure", "other.internal") + "]}\n"
                        + "  - {match: /impostor, services: [" + service("impostor", "backend.internal") + "]}\n"
                        + "  - {match: /unverified, services: [" + service("secure", null) + "]}\n")
                // HTTPProxy says the protocol on the service instead of an annotation on the Service.
                + Proxies.proxy("app", "proxy", """
                        virtualhost: {fqdn: proxy-upstream.test}
                        routes:
                        - conditions: [{prefix: /tls}]
                          services: [{name: plain-secure, port: 80, protocol: tls, validation: {caSecret: upstream-ca, subjectName: backend.internal}}]
                        - conditions: [{prefix: /h2}]
                          services: [{name: plain-secure, port: 80, protocol: h2, validation: {caSecret: upstream-ca, subjectName: backend.internal}}]
                        - conditions: [{prefix: /impostor}]
                          services: [{name: plain-impostor, port: 80, protocol: tls, validation: {caSecret: upstream-ca, subjectName: backend.internal}}]
                        - conditions: [{prefix: /no-protocol}]
                          services: [{name: plain-secure, port: 80}]
                        """));
        startStack(dir.resolve("run"), manifests);
    }

    @Test
    void anUpstreamIsUsedOnlyWhenItsCertificateChainsToTheCaAndNamesTheSubject() throws Exception {
        assertThat(via("tls-upstream.test", "/good")).isEqualTo("good");
        assertThat(via("tls-upstream.test", "/wrong-name")).as("the certificate does not name other.internal").isEqualTo("503");
        assertThat(via("tls-upstream.test", "/impostor")).as("a certificate from another CA").isEqualTo("503");
        assertThat(via("tls-upstream.test", "/unverified")).as("no validation asked: not verified, as in Contour").isEqualTo("good");
    }

    @Test
    void anHttpProxyServicesProtocolAndValidationReachTheUpstream() throws Exception {
        assertThat(via("proxy-upstream.test", "/tls")).isEqualTo("good");
        assertThat(client.get(stack.httpPort, "proxy-upstream.test", "/tls").json().getString("protocol")).isEqualTo("HTTP_1_1");
        assertThat(client.get(stack.httpPort, "proxy-upstream.test", "/h2").json().getString("protocol")).as("h2: HTTP/2 over TLS")
                .isEqualTo("HTTP_2");
        assertThat(via("proxy-upstream.test", "/impostor")).as("a certificate from another CA").isEqualTo("503");
        assertThat(via("proxy-upstream.test", "/no-protocol")).as("plain text to a TLS backend").isEqualTo("503");
    }
}
