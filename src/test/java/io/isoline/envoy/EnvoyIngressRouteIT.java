package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoline.testing.Backend;
import io.isoline.testing.Certificates;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.IngressRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IngressRoute (contour.heptio.com/v1beta1), delegation and TLSCertificateDelegation, proved on a
 * real Envoy with real traffic: each test is one claim of docs/ingressroute.md, on its own host.
 */
class EnvoyIngressRouteIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Backend blue;
    static Backend green;
    static Backend site;
    static Backend blog;
    static Backend hc1;
    static Backend hc2;
    static Backend echo;
    static Backend tlsEcho;

    @BeforeAll
    static void start() throws Exception {
        vertx();
        blue = Backend.http(vertx, "blue", "127.0.1.2");
        green = Backend.http(vertx, "green", "127.0.1.3");
        site = Backend.http(vertx, "site", "127.0.1.4");
        blog = Backend.http(vertx, "blog", "127.0.1.5");
        hc1 = Backend.http(vertx, "hc1", "127.0.1.6");
        hc2 = Backend.http(vertx, "hc2", "127.0.1.7");
        echo = Backend.tcp(vertx, "echo", "127.0.1.8", null);
        Certificates.Pair shared = Certificates.selfSigned(dir, "shared", "shared.test", "*.shared.test");
        Certificates.Pair own = Certificates.selfSigned(dir, "own", "own.test", "pass.test");
        Certificates.Pair backendCert = Certificates.selfSigned(dir, "backend", "database.internal");
        tlsEcho = Backend.tcp(vertx, "tls-echo", "127.0.1.9", backendCert);
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("backends.yaml"), serviceFor("apps", "blue", "", blue) + serviceFor("apps", "green", "", green)
                + serviceFor("marketing", "site", "", site) + serviceFor("blog", "blog", "", blog)
                + serviceFor("apps", "hc", "", hc1, hc2) + serviceFor("apps", "hc1", "", hc1) + serviceFor("apps", "hc2", "", hc2)
                + serviceFor("apps", "echo", "", echo) + serviceFor("apps", "tls-echo", "", tlsEcho)
                + tlsSecret("apps", "own", own) + tlsSecret("certs", "shared", shared)
                // A hostile tenant: its Ingress names the roots' hosts, with its own certificate.
                + serviceFor("evil", "grab", "", Backend.http(vertx, "thief", "127.0.1.10")) + tlsSecret("evil", "stolen", backendCert) + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: grab, namespace: evil}
                spec:
                  tls: [{hosts: [secure.shared.test, pass.test], secretName: stolen}]
                  rules:
                  - {host: secure.shared.test, http: {paths: [{path: /evil, pathType: Prefix, backend: {service: {name: grab, port: {number: 80}}}}]}}
                  - {host: weights.test, http: {paths: [{path: /evil, pathType: Prefix, backend: {service: {name: grab, port: {number: 80}}}}]}}
                ---
                """ + """
                apiVersion: contour.heptio.com/v1beta1
                kind: TLSCertificateDelegation
                metadata: {name: shared, namespace: certs}
                spec:
                  delegations: [{secretName: shared, targetNamespaces: [apps]}]
                ---
                """);
        Files.writeString(manifests.resolve("routes.yaml"), String.join("",
                IngressRoutes.rootSpec("apps", "weights", "{fqdn: weights.test}",
                        "routes: [{match: /, services: [{name: blue, port: 80, weight: 80}, {name: green, port: 80, weight: 20}]}]"),
                IngressRoutes.rootSpec("ingress", "www", "{fqdn: www.test}", """
                        routes:
                        - {match: /, delegate: {name: site, namespace: marketing}}
                        - {match: /blog, delegate: {name: blog, namespace: blog}}"""),
                """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: site, namespace: marketing}
                spec: {routes: [{match: /, services: [{name: site, port: 80}]}]}
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: blog, namespace: blog}
                spec:
                  routes:
                  - {match: /blog, services: [{name: blog, port: 80}]}
                  - {match: /blog/api, prefixRewrite: /v2, services: [{name: blog, port: 80}]}
                ---
                """,
                IngressRoutes.rootSpec("apps", "strategies", "{fqdn: strategies.test}", """
                        routes:
                        - {match: /random, services: [{name: blue, port: 80, strategy: Random}]}
                        - {match: /least, services: [{name: green, port: 80, strategy: WeightedLeastRequest}]}
                        - {match: /ring, services: [{name: hc1, port: 80, strategy: RingHash}]}
                        - {match: /maglev, services: [{name: hc2, port: 80, strategy: Maglev}]}
                        - {match: /sticky, services: [{name: hc, port: 80, strategy: Cookie}]}"""),
                IngressRoutes.rootSpec("apps", "health", "{fqdn: health.test}", """
                        routes:
                        - match: /
                          services:
                          - name: hc
                            port: 80
                            healthCheck: {path: /healthz, intervalSeconds: 1, timeoutSeconds: 1, unhealthyThresholdCount: 1, healthyThresholdCount: 1}"""),
                IngressRoutes.rootSpec("apps", "secure", "{fqdn: secure.shared.test, tls: {secretName: certs/shared}}", """
                        routes:
                        - {match: /, services: [{name: blue, port: 80}]}
                        - {match: /insecure, permitInsecure: true, services: [{name: green, port: 80}]}"""),
                IngressRoutes.rootSpec("apps", "modern", "{fqdn: own.test, tls: {secretName: own, minimumProtocolVersion: '1.3'}}",
                        "routes: [{match: /, services: [{name: blue, port: 80}]}]"),
                IngressRoutes.rootSpec("apps", "tcp", "{fqdn: tcp.shared.test, tls: {secretName: certs/shared}}", "tcpproxy: {services: [{name: echo, port: 80}]}"),
                IngressRoutes.rootSpec("apps", "pass", "{fqdn: pass.test, tls: {passthrough: true}}",
                        "tcpproxy: {services: [{name: tls-echo, port: 80}]}\nroutes: [{match: /, services: [{name: blue, port: 80}]}]")));
        startStack(dir.resolve("run"), manifests);
    }

    private static Map<String, Integer> split(String host, String path, int n) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(via(host, path), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void weightedServicesSplitTraffic() throws Exception {
        Map<String, Integer> split = split("weights.test", "/", 1000);
        // 80/20 over 1,000 requests: the binomial standard deviation is 12.6, so 720-880 is > 6 sigma.
        assertThat(split.get("blue")).as(split.toString()).isBetween(720, 880);
        assertThat(split.get("blue") + split.get("green")).isEqualTo(1000);
    }

    @Test
    void delegationAcrossNamespacesAndPrefixRewrite() throws Exception {
        assertThat(via("www.test", "/")).isEqualTo("site");
        assertThat(via("www.test", "/about")).isEqualTo("site");
        assertThat(via("www.test", "/blog/post-1")).isEqualTo("blog");
        var rewritten = client.get(stack.httpPort, "www.test", "/blog/api/items").json();
        assertThat(rewritten.getString("backend")).isEqualTo("blog");
        assertThat(rewritten.getString("path")).as("the backend sees the rewritten prefix").isEqualTo("/v2/items");
    }

    @Test
    void loadBalancingStrategiesReachEnvoy() throws Exception {
        // (a strategy is part of the cluster's identity: blue has a round-robin and a random cluster)
        Map<String, Set<String>> policies = new TreeMap<>();
        for (JsonNode config : stack.envoy.configDump().get("configs")) {
            for (JsonNode c : config.path("dynamic_active_clusters")) {
                policies.computeIfAbsent(c.at("/cluster/name").asText().replaceAll("/[0-9a-f]+$", ""), k -> new java.util.TreeSet<>())
                        .add(c.at("/cluster/lb_policy").asText("ROUND_ROBIN"));
            }
        }
        assertThat(policies).containsEntry("apps/blue/80", Set.of("RANDOM", "ROUND_ROBIN"))
                .containsEntry("apps/green/80", Set.of("LEAST_REQUEST", "ROUND_ROBIN"))
                .containsEntry("apps/hc1/80", Set.of("RING_HASH")).containsEntry("apps/hc2/80", Set.of("MAGLEV"));
        // Cookie: the same session cookie always reaches the same backend.
        for (String session : new String[] {"alice", "bob", "carol"}) {
            Set<String> seen = new java.util.TreeSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(client.get(stack.httpPort, "strategies.test", "/sticky", Map.of("cookie", "X-Contour-Session-Affinity=" + session))
                        .backend());
            }
            assertThat(seen).as(session).hasSize(1);
        }
    }

    @Test
    void anUnhealthyBackendStopsReceivingTrafficAndComesBack() throws Exception {
        await().atMost(EnvoyProcess.WAIT).until(() -> split("health.test", "/", 20).size() == 2);
        assertThat(hc1.healthChecks()).isPositive();
        hc1.healthy(false);
        try {
            await().atMost(EnvoyProcess.WAIT).until(() -> split("health.test", "/", 20), Map.of("hc2", 20)::equals);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Envoy's view: " + stack.envoy.clusters().lines().filter(l -> l.contains("health_flags")).toList()
                    + stack.envoy.stats().entrySet().stream().filter(x -> x.getKey().contains("health_check")).toList(), e);
        } finally {
            hc1.healthy(true);
        }
        await().atMost(EnvoyProcess.WAIT).until(() -> split("health.test", "/", 20).containsKey("hc1"));
    }

    @Test
    void tlsRootRedirectsPlainHttpExceptPermitInsecureRoutes() throws Exception {
        var plain = client.get(stack.httpPort, "secure.shared.test", "/x");
        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.headers().get("location")).isEqualTo("https://secure.shared.test/x");
        assertThat(via("secure.shared.test", "/insecure")).isEqualTo("green");
        var tls = client.getTls(stack.httpsPort, "secure.shared.test", "/x");
        assertThat(tls.backend()).isEqualTo("blue");
        assertThat(tls.certificateSubject()).as("the certificate delegated from namespace certs").isEqualTo("CN=shared.test");
    }

    @Test
    void anIngressCannotTakeARootsHostPathOrCertificate() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(via("weights.test", "/evil")).as("the root's own route answers").isIn("blue", "green");
        }
        var tls = client.getTls(stack.httpsPort, "secure.shared.test", "/evil");
        assertThat(tls.certificateSubject()).isEqualTo("CN=shared.test");
        assertThat(tls.backend()).as("the root's / route, not the Ingress's /evil").isEqualTo("blue");
        assertThat(via("secure.shared.test", "/evil")).as("the root's redirect, not the thief").isEqualTo("301");
        // (passthrough: tlsPassthroughForwardsTheRawStreamBySni still sees the backend's own certificate)
    }

    @Test
    void minimumTlsVersion() throws Exception {
        assertThat(client.getTls(stack.httpsPort, "own.test", "/", Set.of("TLSv1.3")).backend()).isEqualTo("blue");
        assertThatThrownBy(() -> client.getTls(stack.httpsPort, "own.test", "/", Set.of("TLSv1.2")))
                .as("a TLS 1.2 client is refused when the host requires 1.3");
        assertThat(client.getTls(stack.httpsPort, "secure.shared.test", "/", Set.of("TLSv1.2")).backend())
                .as("the default minimum is 1.2").isEqualTo("blue");
    }

    @Test
    void tcpProxyAfterTlsTermination() throws Exception {
        String[] answer = client.tcp(stack.httpsPort, "tcp.shared.test", "ping");
        assertThat(answer[0]).isEqualTo("echo");
        assertThat(answer[1]).isEqualTo("ping");
        assertThat(answer[2]).as("Envoy terminates TLS with the delegated certificate").isEqualTo("CN=shared.test");
    }

    @Test
    void tlsPassthroughForwardsTheRawStreamBySni() throws Exception {
        String[] answer = client.tcp(stack.httpsPort, "pass.test", "ping");
        assertThat(answer[0]).isEqualTo("tls-echo");
        assertThat(answer[1]).isEqualTo("ping");
        assertThat(answer[2]).as("the backend's own certificate, never decrypted by Envoy").isEqualTo("CN=database.internal");
    }

    @Test
    void aTcpproxyRootServesItsRoutesOnPort80WithoutARedirect() throws Exception {
        assertThat(via("pass.test", "/")).as("Contour 1.0-1.5: port 443 is TCP, the routes stay on port 80").isEqualTo("blue");
    }
}
