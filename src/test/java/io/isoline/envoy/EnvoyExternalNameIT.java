package io.isoline.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.Backend;
import io.isoline.testing.IngressRoutes;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ExternalName Service through a real Envoy with {@code --enable-external-name-service}: Envoy
 * resolves the name itself (here the machine's host name, from /etc/hosts) and proxies to the
 * Service's port; a Service naming Envoy's loopback is refused and its root serves nothing.
 */
class EnvoyExternalNameIT extends RealEnvoyTier {

    @TempDir
    static Path dir;

    private static String externalName(String name, String externalName, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: app}
                spec: {type: ExternalName, externalName: %s, ports: [{name: http, port: %d}]}
                ---
                """.formatted(name, externalName, port);
    }

    @BeforeAll
    static void start() throws Exception {
        vertx();
        String host = InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        String address = InetAddress.getByName(host).getHostAddress();
        Backend backend = Backend.http(vertx, "external", address);
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("external.yaml"), externalName("outside", host, backend.port)
                + externalName("loopback", "localhost", backend.port)
                + IngressRoutes.root("app", "site", "external.test", IngressRoutes.toService("/", "outside").replace("port: 80", "port: " + backend.port))
                + IngressRoutes.root("app", "sneaky", "sneaky.test", IngressRoutes.toService("/", "loopback").replace("port: 80", "port: " + backend.port)));
        startStack(dir.resolve("run"), manifests, "--enable-external-name-service");
    }

    @Test
    void envoyResolvesTheExternalNameAndProxiesToTheServicePort() throws Exception {
        assertThat(via("external.test", "/")).isEqualTo("external");
    }

    @Test
    void aServiceNamingEnvoysLoopbackIsNotServed() throws Exception {
        assertThat(via("sneaky.test", "/")).isEqualTo("404");
    }
}
