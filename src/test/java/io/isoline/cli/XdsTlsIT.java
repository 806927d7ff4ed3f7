package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.isoline.testing.AdsClient;
import io.isoline.testing.Certificates;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xDS over TLS, configured with Quarkus' TLS settings (docs/configuration.md), and a rotated
 * certificate picked up without a restart. Uses openssl to make the second certificate.
 */
class XdsTlsIT {

    @TempDir
    Path dir;

    private static AdsClient client(int port, Path trust) throws Exception {
        return client(port, trust, null, null);
    }

    /** A TLS client trusting {@code trust}, presenting {@code cert}/{@code key} when given. */
    private static AdsClient client(int port, Path trust, Path cert, Path key) throws Exception {
        return client(port, trust, cert, key, "example.com");
    }

    /** The same, checking that the server's certificate names {@code authority}. */
    private static AdsClient client(int port, Path trust, Path cert, Path key, String authority) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(trust.toFile());
        if (cert != null) {
            ssl.keyManager(cert.toFile(), key.toFile());
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build())
                .overrideAuthority(authority).build();
        return new AdsClient(channel, "tls-envoy");
    }

    private static boolean served(int port, Path trust) {
        return "served".equals(outcome(port, trust, null, null));
    }

    /** "served", or why not: the gRPC status code, or the failure. */
    private static String outcome(int port, Path trust, Path cert, Path key) {
        return outcome(port, trust, cert, key, "example.com");
    }

    private static String outcome(int port, Path trust, Path cert, Path key, String authority) {
        try (AdsClient c = client(port, trust, cert, key, authority)) {
            return c.subscribe(AdsClient.CDS, List.of(), Duration.ofSeconds(5)) != null ? "served" : "no answer";
        } catch (Throwable e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause instanceof io.grpc.StatusRuntimeException sre ? sre.getStatus().getCode().name() : cause.toString();
        }
    }

    private Path[] selfSigned(String name, String cn) throws Exception {
        Certificates.Pair pair = Certificates.selfSigned(dir, name, cn);
        return new Path[] {pair.cert(), pair.key()};
    }

    /** A manifest directory serving one Ingress. */
    private Path manifests() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("m"));
        Files.writeString(manifests.resolve("a.yaml"), Manifests.backend("default", "web", "10.0.0.1")
                + Manifests.ingress("web", "x.example.com", "/", "Prefix", "web"));
        return manifests;
    }

    /** JVM properties for TLS only on {@code port} with {@code cert}/{@code key}, then {@code more}. */
    private static List<String> tlsOnly(int port, Path cert, Path key, String... more) {
        List<String> props = new java.util.ArrayList<>(List.of("-Dquarkus.http.ssl-port=" + port,
                "-Dquarkus.http.insecure-requests=disabled", "-Dquarkus.tls.key-store.pem.0.cert=" + cert.toAbsolutePath(),
                "-Dquarkus.tls.key-store.pem.0.key=" + key.toAbsolutePath()));
        props.addAll(List.of(more));
        return props;
    }

    @Test
    void mutualTlsServesOnlyClientsWithATrustedCertificate() throws Exception {
        Path[] envoy = selfSigned("envoy", "envoy.isoline-system");
        Path[] stranger = selfSigned("stranger", "stranger.example.com");
        Path testCert = Path.of("src/test/resources/tls/test.crt");
        Path manifests = manifests();
        int port = IsolineProcess.freePort();
        Path testKey = Path.of("src/test/resources/tls/test.key");
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"), tlsOnly(port, testCert, testKey,
                "-Dquarkus.tls.trust-store.pem.certs=" + envoy[0], "-Disoline.xds.require-client-certificate=true"),
                "serve", "--manifests", manifests.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isoline.log().contains("Listening on: https://"));
            await().atMost(Duration.ofSeconds(30)).until(() -> outcome(port, testCert, envoy[0], envoy[1]), "served"::equals);
            assertThat(outcome(port, testCert, null, null)).isEqualTo("UNAUTHENTICATED");
            // A certificate the trust store does not vouch for fails the handshake itself.
            assertThat(outcome(port, testCert, stranger[0], stranger[1])).isNotEqualTo("served");
        }
        // Requiring certificates with nothing to verify them against is refused at start-up.
        try (IsolineProcess misconfigured = IsolineProcess.start(dir.resolve("bad.log"), tlsOnly(port, testCert, testKey,
                "-Disoline.xds.require-client-certificate=true"), "serve", "--manifests", manifests.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> misconfigured.log().contains("needs a trust store"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !misconfigured.alive());
        }
    }

    /** {@code certgen --every} keeps Secrets fresh in a cluster; with files, or an interval that could miss the renewal window, it refuses. */
    @Test
    void certgenRefusesAnIntervalItCannotKeep() throws Exception {
        for (String[] args : List.of(new String[] {"--out", dir.resolve("every").toString(), "--every", "1h"},
                new String[] {"--kubernetes", "--every", "30s"}, new String[] {"--kubernetes", "--every", "800h"})) {
            List<String> cmd = new java.util.ArrayList<>(List.of("certgen"));
            cmd.addAll(List.of(args));
            IsolineProcess.Exit exit = IsolineProcess.exit(cmd.toArray(String[]::new));
            String err = exit.err();
            assertThat(exit.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err).as(String.join(" ", args)).contains("error: --every needs --kubernetes and a duration of at least 1m");
        }
    }

    /**
     * {@code certgen --out}: the controller serves with its certificate (verified by Envoy's side
     * under the Service's DNS name), a real Envoy with certgen's client certificate gets its
     * configuration, and a client certificate from another certgen run (another CA) gets nothing.
     */
    @Test
    void certgenFilesLockXdsToTheEnvoyTheyWereIssuedFor() throws Exception {
        Path certs = dir.resolve("certgen");
        assertThat(IsolineProcess.run("certgen", "--out", certs.toString(), "--namespace", "ingress", "--service", "edge-isoline"))
                .contains("wrote").doesNotContain("PRIVATE KEY");
        Path other = dir.resolve("other-ca");
        IsolineProcess.run("certgen", "--out", other.toString());
        assertThat(Files.getPosixFilePermissions(certs.resolve("envoy/tls.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Path c = certs.resolve("controller");
        Path e = certs.resolve("envoy");
        int port = IsolineProcess.freePort();
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("certgen.log"), tlsOnly(port, c.resolve("tls.crt"),
                c.resolve("tls.key"), "-Dquarkus.tls.trust-store.pem.certs=" + c.resolve("ca.crt").toAbsolutePath(),
                "-Disoline.xds.require-client-certificate=true"), "serve", "--manifests", manifests().toString(),
                "--envoy-address", "127.0.0.1", "--envoy-http-port", String.valueOf(IsolineProcess.freePort()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isoline.log().contains("Listening on: https://"));
            String authority = "edge-isoline.ingress.svc";
            await().atMost(Duration.ofSeconds(30)).until(() -> outcome(port, e.resolve("ca.crt"), e.resolve("tls.crt"),
                    e.resolve("tls.key"), authority), "served"::equals);
            assertThat(outcome(port, e.resolve("ca.crt"), null, null, authority)).isEqualTo("UNAUTHENTICATED");
            assertThat(outcome(port, e.resolve("ca.crt"), other.resolve("envoy/tls.crt"), other.resolve("envoy/tls.key"), authority))
                    .isNotEqualTo("served");
            // An operator's `cli` with the Envoy certificate sees what Envoy sees; without one it gets nothing.
            List<String> tls = List.of("--xds-port", String.valueOf(port), "--xds-ca-file", e.resolve("ca.crt").toString(),
                    "--xds-server-name", authority);
            List<String> withCert = new java.util.ArrayList<>(List.of("cli", "lds"));
            withCert.addAll(tls);
            withCert.addAll(List.of("--xds-cert-file", e.resolve("tls.crt").toString(), "--xds-key-file", e.resolve("tls.key").toString()));
            IsolineProcess.Exit served = IsolineProcess.exit(withCert.toArray(String[]::new));
            assertThat(served.code()).as(served.err()).isZero();
            assertThat(served.out()).contains("\"name\": \"ingress_http\"");
            List<String> anonymous = new java.util.ArrayList<>(List.of("cli", "lds", "--timeout-seconds", "5"));
            anonymous.addAll(tls);
            IsolineProcess.Exit refused = IsolineProcess.exit(anonymous.toArray(String[]::new));
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.out()).doesNotContain("ingress_http");
            assertThat(refused.err()).contains("error: ");
            if (io.isoline.testing.RealTier.available(io.isoline.testing.EnvoyProcess.binary() != null, "an Envoy binary")) {
                try (io.isoline.testing.EnvoyProcess envoy = io.isoline.testing.EnvoyProcess.start(dir.resolve("certgen-envoy"),
                        IsolineProcess.run("bootstrap", "-", "--xds-port", String.valueOf(port), "--admin-port", "0",
                                "--xds-ca-file", e.resolve("ca.crt").toAbsolutePath().toString(),
                                "--xds-cert-file", e.resolve("tls.crt").toAbsolutePath().toString(),
                                "--xds-key-file", e.resolve("tls.key").toAbsolutePath().toString())).awaitReady()) {
                    assertThat(envoy.stat("control_plane.connected_state")).isEqualTo(1);
                    envoy.assertNoRejections();
                }
            }
        }
    }

    /**
     * The chart's mutual-TLS wiring, exactly as rendered: the controller container's environment
     * (with the Secret's mount point moved to a temporary directory) starts a server that serves
     * only clients with a certificate its CA vouches for. (The chart used to set
     * {@code QUARKUS_TLS_KEY_STORE_PEM_0_CERT}, which Quarkus does not map, and the controller
     * refused to start.)
     */
    @Test
    void theChartsTlsEnvironmentStartsAMutualTlsServer() throws Exception {
        Path[] envoy = selfSigned("envoy", "envoy.isoline-system");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(Path.of("src/test/resources/tls/test.crt"), certs.resolve("tls.crt"));
        Files.copy(Path.of("src/test/resources/tls/test.key"), certs.resolve("tls.key"));
        Files.copy(envoy[0], certs.resolve("ca.crt"));
        int port = IsolineProcess.freePort();
        var deployment = io.isoline.testing.Helm.render("xdsTls.controllerSecretName=isoline-xds", "xdsTls.envoySecretName=envoy-xds",
                "controller.xdsPort=" + port).get("Deployment/edge-isoline");
        assertThat(deployment.at("/spec/template/spec/containers/0/volumeMounts")).extracting(m -> m.get("mountPath").asText())
                .contains("/certs");
        java.util.Map<String, String> env = io.isoline.testing.Helm.environment(deployment.at("/spec/template/spec/containers/0"), certs);
        env.put("ISOLINE_XDS_ADDRESS", "127.0.0.1");
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("chart-env.log"), env, List.of(), "serve", "--manifests",
                manifests().toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isoline.log().contains("Listening on: https://") || !isoline.alive());
            assertThat(isoline.alive()).as(isoline.log()).isTrue();
            Path testCert = Path.of("src/test/resources/tls/test.crt");
            await().atMost(Duration.ofSeconds(30)).until(() -> outcome(port, testCert, envoy[0], envoy[1]), "served"::equals);
            assertThat(outcome(port, testCert, null, null)).isEqualTo("UNAUTHENTICATED");
        }
    }

    /**
     * Real Envoy over mutual TLS, bootstrapped by {@code isoline bootstrap} with the TLS flags: it
     * gets its configuration; an Envoy without a client certificate gets none.
     */
    @Test
    void realEnvoyGetsItsConfigurationOverMutualTls() throws Exception {
        io.isoline.testing.EnvoyProcess.require();
        Certificates.Pair envoyCert = Certificates.selfSigned(dir, "envoy", "envoy.isoline-system");
        Path testCert = Path.of("src/test/resources/tls/test.crt").toAbsolutePath();
        Path testKey = Path.of("src/test/resources/tls/test.key");
        int port = IsolineProcess.freePort();
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"), tlsOnly(port, testCert, testKey,
                "-Dquarkus.tls.trust-store.pem.certs=" + envoyCert.cert(), "-Disoline.xds.require-client-certificate=true"),
                "serve", "--manifests", manifests().toString(), "--envoy-address", "127.0.0.1", "--envoy-http-port",
                String.valueOf(IsolineProcess.freePort()));
                io.isoline.testing.EnvoyProcess envoy = io.isoline.testing.EnvoyProcess.start(dir.resolve("envoy"),
                        IsolineProcess.run("bootstrap", "-", "--xds-port", String.valueOf(port), "--admin-port", "0",
                                "--xds-ca-file", testCert.toString(), "--xds-cert-file", envoyCert.cert().toAbsolutePath().toString(),
                                "--xds-key-file", envoyCert.key().toAbsolutePath().toString()))) {
            envoy.awaitReady();
            assertThat(envoy.configDump().toString()).contains("\"name\":\"ingress_http\"");
            assertThat(envoy.stat("control_plane.connected_state")).isEqualTo(1);
            envoy.assertNoRejections();
            try (io.isoline.testing.EnvoyProcess stranger = io.isoline.testing.EnvoyProcess.start(dir.resolve("stranger"),
                    IsolineProcess.run("bootstrap", "-", "--xds-port", String.valueOf(port), "--admin-port", "0",
                            "--xds-ca-file", testCert.toString()))) {
                // The server is serving (the first Envoy has its configuration); this one, with no
                // client certificate, never gets any.
                Thread.sleep(3000);
                assertThat(stranger.stat("listener_manager.lds.update_success")).isZero();
                assertThat(stranger.admin("/ready").trim()).isNotEqualTo("LIVE");
            }
        }
    }

    @Test
    void tlsOnTheXdsPortAndCertificateRotation() throws Exception {
        Path serverCert = dir.resolve("tls.crt");
        Path serverKey = dir.resolve("tls.key");
        Path testCert = Path.of("src/test/resources/tls/test.crt");
        Path testKey = Path.of("src/test/resources/tls/test.key");
        Files.copy(testCert, serverCert);
        Files.copy(testKey, serverKey);
        Path manifests = manifests();
        int port = IsolineProcess.freePort();
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"), tlsOnly(port, serverCert, serverKey,
                "-Dquarkus.tls.reload-period=1s"), "serve", "--manifests", manifests.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> isoline.log().contains("Listening on: https://"));
            // Over TLS, verifying the server's certificate: served. In plain text: refused.
            // (the first configuration may still be on its way when the port opens)
            await().atMost(Duration.ofSeconds(30)).until(() -> outcome(port, testCert, null, null), "served"::equals);
            try (AdsClient plain = new AdsClient("127.0.0.1", port, "plain")) {
                assertThatThrownBy(() -> plain.subscribe(AdsClient.CDS, List.of(), Duration.ofSeconds(5)))
                        .isInstanceOf(AssertionError.class);
            }

            // Rotate the server certificate in place: new connections get the new one, no restart.
            Path[] rotated = selfSigned("new", "example.com");
            Path newCert = rotated[0];
            Path newKey = rotated[1];
            assertThat(served(port, newCert)).as("before rotation").isFalse();
            Files.copy(newKey, serverKey, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(newCert, serverCert, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(20)).until(() -> served(port, newCert));
        }
    }
}
