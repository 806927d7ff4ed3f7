package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.isoline.testing.Backend;
import io.isoline.testing.Certificates;
import io.isoline.testing.EnvoyClient.Reply;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingress (networking.k8s.io/v1) with Contour's annotations, proved on a real Envoy with real
 * traffic to real backends: each test is one claim of docs/ingress.md, on its own host.
 */
class EnvoyIngressIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Backend a;
    static Backend b;
    static Backend c;
    static Backend fallback;
    static Backend flaky;
    static Backend h2c;

    private static String ingress(String name, String annotations, String spec) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: default, annotations: {%s}}
                spec:
                %s
                ---
                """.formatted(name, annotations, spec.indent(2).stripTrailing());
    }

    private static String rule(String host, String path, String pathType, String service) {
        return "- host: \"" + host + "\"\n  http: {paths: [{path: \"" + path + "\", pathType: " + pathType
                + ", backend: {service: {name: " + service + ", port: {number: 80}}}}]}\n";
    }

    @BeforeAll
    static void start() throws Exception {
        vertx();
        a = Backend.http(vertx, "a", "127.0.0.2");
        b = Backend.http(vertx, "b", "127.0.0.3");
        c = Backend.http(vertx, "c", "127.0.0.4");
        fallback = Backend.http(vertx, "fallback", "127.0.0.5");
        flaky = Backend.http(vertx, "flaky", "127.0.0.6");
        h2c = Backend.http(vertx, "h2c", "127.0.0.7");
        Certificates.Pair secure = Certificates.selfSigned(dir, "secure", "secure.test");
        Certificates.Pair other = Certificates.selfSigned(dir, "other", "other.test");
        Certificates.Pair wildcard = Certificates.selfSigned(dir, "wtls", "*.wtls.test");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("services.yaml"), serviceFor("default", "a", "", a) + serviceFor("default", "b", "", b)
                + serviceFor("default", "c", "", c) + serviceFor("default", "fallback", "", fallback)
                + serviceFor("default", "flaky", "", flaky)
                + serviceFor("default", "h2c", "{projectcontour.io/upstream-protocol.h2c: http, projectcontour.io/max-connections: '7',"
                        + " projectcontour.io/max-pending-requests: '9'}", h2c)
                + tlsSecret("default", "secure", secure) + tlsSecret("default", "other", other)
                + serviceFor("tenant-w", "a", "", a) + tlsSecret("tenant-w", "wild", wildcard) + serviceFor("tenant-p", "b", "", b)
                // a key that is not its certificate's: refused by the core, never sent to Envoy
                + Manifests.secret("default", "mismatch", "kubernetes.io/tls", Files.readString(secure.cert()),
                        Files.readString(other.key())));
        Files.writeString(manifests.resolve("ingresses.yaml"), String.join("",
                ingress("paths", "", "rules:\n" + rule("paths.test", "/exact", "Exact", "a") + rule("paths.test", "/app", "Prefix", "b")
                        + rule("paths.test", "/app/deep", "Prefix", "c")),
                ingress("wild", "", "rules:\n" + rule("*.wild.test", "/", "Prefix", "a")),
                ingress("default-backend", "", "defaultBackend: {service: {name: fallback, port: {number: 80}}}"),
                ingress("tls", "", "tls: [{hosts: [secure.test], secretName: secure}, {hosts: [other.test], secretName: other}]\n"
                        + "rules:\n" + rule("secure.test", "/", "Prefix", "a") + rule("other.test", "/", "Prefix", "b")),
                ingress("redirect", "ingress.kubernetes.io/force-ssl-redirect: 'true'",
                        "tls: [{hosts: [redirect.test], secretName: secure}]\nrules:\n" + rule("redirect.test", "/", "Prefix", "a")),
                ingress("https-only", "kubernetes.io/ingress.allow-http: 'false'",
                        "tls: [{hosts: [https-only.test], secretName: secure}]\nrules:\n" + rule("https-only.test", "/", "Prefix", "a")),
                ingress("regex", "", "rules:\n" + rule("regex.test", "/api/v[0-9]+/.*", "ImplementationSpecific", "a")
                        + rule("regex.test", "/", "Prefix", "b")),
                ingress("both", "ingress.kubernetes.io/force-ssl-redirect: 'true', kubernetes.io/ingress.allow-http: 'false'",
                        "tls: [{hosts: [both.test], secretName: secure}]\nrules:\n" + rule("both.test", "/", "Prefix", "a")),
                ingress("timeout", "projectcontour.io/request-timeout: 500ms", "rules:\n" + rule("timeout.test", "/", "Prefix", "a")),
                ingress("no-timeout", "projectcontour.io/request-timeout: infinity", "rules:\n" + rule("no-timeout.test", "/", "Prefix", "a")),
                ingress("retry", "projectcontour.io/retry-on: 5xx, projectcontour.io/num-retries: '2'",
                        "rules:\n" + rule("retry.test", "/", "Prefix", "flaky")),
                ingress("no-retry", "", "rules:\n" + rule("no-retry.test", "/", "Prefix", "flaky")),
                ingress("ws", "projectcontour.io/websocket-routes: /ws", "rules:\n" + rule("ws.test", "/ws", "Prefix", "a")
                        + rule("ws.test", "/plain", "Prefix", "a")),
                ingress("h2c", "", "rules:\n" + rule("h2c.test", "/", "Prefix", "h2c")),
                ingress("other-class", "kubernetes.io/ingress.class: somebody-else", "rules:\n" + rule("class.test", "/", "Prefix", "a")),
                ingress("our-class", "", "ingressClassName: isoline\nrules:\n" + rule("class.test", "/isoline", "Prefix", "b")),
                ingress("contour-class", "", "ingressClassName: contour\nrules:\n" + rule("class.test", "/contour", "Prefix", "a")),
                ingress("mismatch", "", "tls: [{hosts: [mismatch.test], secretName: mismatch}]\nrules:\n"
                        + rule("mismatch.test", "/", "Prefix", "a")),
                """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: wild, namespace: tenant-w}
                spec:
                  tls: [{hosts: ["*.wtls.test"], secretName: wild}]
                  rules: [{host: "*.wtls.test", http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, port: {number: 80}}}}]}}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: tenant-p}
                spec: {rules: [{host: shop.wtls.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: b, port: {number: 80}}}}]}}]}
                ---
                """));
        startStack(dir.resolve("run"), manifests);
    }

    @Test
    void exactAndPrefixPathsWithTheLongestMatchWinning() throws Exception {
        assertThat(via("paths.test", "/exact")).isEqualTo("a");
        assertThat(via("paths.test", "/exact/more")).as("Exact is exact").isEqualTo("404");
        assertThat(via("paths.test", "/app")).isEqualTo("b");
        assertThat(via("paths.test", "/app/x")).isEqualTo("b");
        assertThat(via("paths.test", "/apple")).as("Prefix matches whole path elements").isEqualTo("404");
        assertThat(via("paths.test", "/app/deep/er")).as("longest prefix wins").isEqualTo("c");
        assertThat(via("paths.test:8080", "/app")).as("a port in Host is ignored").isEqualTo("b");
        assertThat(via("PATHS.test", "/app")).as("host is case-insensitive").isEqualTo("b");
        var merged = client.get(stack.httpPort, "paths.test", "//app//deep/x").json();
        assertThat(merged.getString("backend")).as("slashes merged before routing").isEqualTo("c");
        assertThat(merged.getString("path")).isEqualTo("/app/deep/x");
    }

    /** Edge defaults: a header with '_' never reaches a backend (one reading it as '-' sees no forgery); %2F is kept. */
    /** By default every request is one line of Envoy's text access log on its stdout (the container log). */
    @Test
    void requestsAreAccessLoggedAsTextByDefault() throws Exception {
        assertThat(client.get(stack.httpPort, "paths.test", "/app/logged-as-text").backend()).isEqualTo("b");
        await().atMost(EnvoyProcess.WAIT).until(() -> stack.envoy.log().lines()
                .anyMatch(l -> l.contains("\"GET /app/logged-as-text HTTP/1.1\" 200") && l.contains("\"paths.test\"")));
    }

    @Test
    void underscoredHeadersAreDroppedAndEscapedSlashesKeptByDefault() throws Exception {
        var seen = client.get(stack.httpPort, "paths.test", "/app/a%2Fb", Map.of("x_user", "admin", "x-team", "p")).json();
        assertThat(seen.getString("backend")).isEqualTo("b");
        assertThat(seen.getJsonObject("headers").getMap()).doesNotContainKey("x_user").containsEntry("x-team", "p");
        assertThat(seen.getString("path")).isEqualTo("/app/a%2Fb");
    }

    @Test
    void singleLabelWildcardHostsAndTheDefaultBackend() throws Exception {
        assertThat(via("one.wild.test", "/")).isEqualTo("a");
        assertThat(via("two.one.wild.test", "/")).as("a wildcard covers one label").isEqualTo("fallback");
        assertThat(via("wild.test", "/")).isEqualTo("fallback");
        assertThat(via("unknown.test", "/anything")).isEqualTo("fallback");
    }

    @Test
    void tlsPicksTheCertificateBySni() throws Exception {
        Reply secure = client.getTls(stack.httpsPort, "secure.test", "/");
        assertThat(secure.backend()).isEqualTo("a");
        assertThat(secure.certificateSubject()).isEqualTo("CN=secure.test");
        assertThat(secure.protocol()).as("ALPN h2").isEqualTo("HTTP_2");
        Reply other = client.getTls(stack.httpsPort, "other.test", "/");
        assertThat(other.backend()).isEqualTo("b");
        assertThat(other.certificateSubject()).isEqualTo("CN=other.test");
        assertThat(via("secure.test", "/")).as("plain HTTP still served without annotations").isEqualTo("a");
    }

    @Test
    void aWildcardCertificateDoesNotServeAnotherTenantsPlainHost() throws Exception {
        var other = client.getTls(stack.httpsPort, "x.wtls.test", "/");
        assertThat(other.backend()).isEqualTo("a");
        assertThat(other.certificateSubject()).isEqualTo("CN=*.wtls.test");
        assertThat(client.getTls(stack.httpsPort, "shop.wtls.test", "/").status()).as("not the wildcard owner's routes")
                .isEqualTo(404);
        assertThat(via("shop.wtls.test", "/")).isEqualTo("b");
    }

    @Test
    void aSecretWhoseKeyIsNotItsCertificatesIsNeverSentToEnvoy() throws Exception {
        assertThat(via("mismatch.test", "/")).as("still served over plain HTTP").isEqualTo("a");
        assertThat(stack.envoy.configDump().toString()).doesNotContain("default/mismatch");
        // (Envoy rejected nothing: the stack's close checks every update_rejected counter)
    }

    @Test
    void forceSslRedirectAndAllowHttpFalse() throws Exception {
        Reply redirect = client.get(stack.httpPort, "redirect.test", "/x");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers().get("location")).isEqualTo("https://redirect.test/x");
        assertThat(client.getTls(stack.httpsPort, "redirect.test", "/x").backend()).isEqualTo("a");

        assertThat(via("https-only.test", "/")).as("no plain-HTTP route: the request is not served by its backend")
                .isNotEqualTo("a");
        assertThat(client.getTls(stack.httpsPort, "https-only.test", "/").backend()).isEqualTo("a");

        assertThat(client.get(stack.httpPort, "both.test", "/y").headers().get("location"))
                .as("force-ssl-redirect wins over allow-http: false (Contour 0.15+)").isEqualTo("https://both.test/y");
    }

    @Test
    void aRegexPathMatchesTheWholePathAsInContour() throws Exception {
        assertThat(via("regex.test", "/api/v2/users")).isEqualTo("a");
        assertThat(via("regex.test", "/api/v2/users?x=1")).isEqualTo("a");
        assertThat(via("regex.test", "/api/vx/users")).as("no match: the next route").isEqualTo("b");
        assertThat(via("regex.test", "/api/v2")).as("the whole path must match").isEqualTo("b");
    }

    @Test
    void requestTimeoutAndInfinity() throws Exception {
        assertThat(client.get(stack.httpPort, "timeout.test", "/?delay=2000").status()).isEqualTo(504);
        assertThat(client.get(stack.httpPort, "timeout.test", "/?delay=10").backend()).isEqualTo("a");
        // Envoy's default route timeout is 15 s; infinity removes it (a 16 s wait is too long for
        // a test, so the config is checked for the zero timeout and a slow request still passes).
        assertThat(client.get(stack.httpPort, "no-timeout.test", "/?delay=2000").backend()).isEqualTo("a");
        String routes = stack.envoy.configDump().toString();
        assertThat(routes).contains("\"timeout\":\"0s\"");
    }

    @Test
    void retriesOnAFailedFirstTry() throws Exception {
        flaky.failNext(1);
        int before = flaky.requests();
        assertThat(via("retry.test", "/")).as("the retry is answered").isEqualTo("flaky");
        assertThat(flaky.requests() - before).isEqualTo(2);

        flaky.failNext(1);
        assertThat(client.get(stack.httpPort, "no-retry.test", "/").status()).as("no retry-on: the 503 reaches the client")
                .isEqualTo(503);
    }

    @Test
    void websocketOnlyOnWebsocketRoutes() throws Exception {
        assertThat(client.websocket(stack.httpPort, "ws.test", "/ws", "hello")).isEqualTo("a:hello");
        assertThatThrownBy(() -> client.websocket(stack.httpPort, "ws.test", "/plain", "hello"))
                .as("upgrade refused on a route without websocket-routes");
        assertThat(via("ws.test", "/plain")).isEqualTo("a");
    }

    @Test
    void h2cUpstreamAndCircuitBreakers() throws Exception {
        Reply r = client.get(stack.httpPort, "h2c.test", "/");
        assertThat(r.backend()).isEqualTo("h2c");
        assertThat(r.json().getString("protocol")).as("Envoy speaks HTTP/2 to the backend").isEqualTo("HTTP_2");
        assertThat(client.get(stack.httpPort, "paths.test", "/app").json().getString("protocol")).isEqualTo("HTTP_1_1");
        assertThat(client.getH2c(stack.httpPort, "paths.test", "/app").protocol()).as("h2c from the client").isEqualTo("HTTP_2");
        String clusters = stack.envoy.clusters();
        assertThat(clusters).containsPattern("default/h2c/80/[0-9a-f]+::default_priority::max_connections::7\n");
        assertThat(clusters).containsPattern("default/h2c/80/[0-9a-f]+::default_priority::max_pending_requests::9\n");
    }

    @Test
    void ingressClass() throws Exception {
        assertThat(via("class.test", "/isoline")).isEqualTo("b");
        assertThat(via("class.test", "/")).as("an Ingress of another class is not served").isNotEqualTo("a");
        assertThat(via("class.test", "/contour")).as("Contour's class is Contour's unless --serve-contour-class").isNotEqualTo("a");
    }

    @Test
    void envoyAcceptedEveryUpdateAndIsConnected() throws Exception {
        Map<String, Long> view = stack.envoy.xdsView();
        assertThat(view).containsEntry("control_plane.connected_state", 1L);
        assertThat(view.get("listener_manager.lds.update_success")).isPositive();
        assertThat(view.get("cluster_manager.cds.update_success")).isPositive();
        await().atMost(EnvoyProcess.WAIT).until(() -> stack.envoy.xdsView().entrySet().stream()
                .filter(e -> e.getKey().startsWith("sds.")).allMatch(e -> !e.getKey().endsWith("success") || e.getValue() > 0));
        stack.envoy.assertNoRejections();
    }
}
