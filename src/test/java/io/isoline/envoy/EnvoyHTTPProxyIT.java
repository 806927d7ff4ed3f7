package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

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
 * HTTPProxy through a real Envoy: a TLS root including another namespace's HTTPProxy under a
 * prefix, header and query parameter conditions choosing a backend, an exact path, a missing include answering 502
 * under its prefix, and the plain-HTTP redirect except on a permitInsecure route.
 */
class EnvoyHTTPProxyIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Backend shadow;

    @BeforeAll
    static void start() throws Exception {
        vertx();
        Backend home = Backend.http(vertx, "home", "127.0.2.2");
        Backend api = Backend.http(vertx, "api", "127.0.2.3");
        Backend beta = Backend.http(vertx, "beta", "127.0.2.4");
        shadow = Backend.http(vertx, "shadow", "127.0.2.5");
        Certificates.Pair cert = Certificates.selfSigned(dir, "site", "site.test", "tcp.test");
        Certificates.Pair fallback = Certificates.selfSigned(dir, "fallback", "fallback.invalid");
        Backend live = Backend.tcp(vertx, "tcp-live", "127.0.2.30", null);
        Backend dead = Backend.tcp(vertx, "tcp-dead", "127.0.2.31", null);
        dead.close(); // nothing listens there any more: only a health check keeps connections away
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("proxies.yaml"), serviceFor("root", "home", "", home)
                + serviceFor("team", "api", "", api) + serviceFor("team", "beta", "", beta)
                + serviceFor("team", "pair", "", api, beta) + serviceFor("team", "shadow", "", shadow) + tlsSecret("root", "site", cert)
                + tlsSecret("root", "fallback", fallback)
                + serviceFor("root", "tcp-pool", "", live, dead)
                + Proxies.proxy("root", "tcp", """
                        virtualhost: {fqdn: tcp.test, tls: {secretName: site}}
                        tcpproxy:
                          healthCheckPolicy: {intervalSeconds: 1, timeoutSeconds: 1, unhealthyThresholdCount: 1}
                          services: [{name: tcp-pool, port: 80}]
                        """)
                + Proxies.proxy("root", "site", """
                        virtualhost: {fqdn: site.test, tls: {secretName: site, enableFallbackCertificate: true}}
                        includes:
                        - {name: api, namespace: team, conditions: [{prefix: /api}]}
                        - {name: gone, namespace: team, conditions: [{prefix: /gone}]}
                        routes:
                        - services: [{name: home, port: 80}]
                        - conditions: [{prefix: /.well-known}]
                          permitInsecure: true
                          services: [{name: home, port: 80}]
                        - conditions: [{prefix: /maintenance}]
                          directResponsePolicy: {statusCode: 503, body: back soon}
                        - conditions: [{prefix: /old}]
                          requestRedirectPolicy: {hostname: new.site.test, statusCode: 302, prefix: /new}
                        """)
                + Proxies.proxy("team", "api", """
                        routes:
                        - conditions: [{prefix: /v1}]
                          services: [{name: api, port: 80}]
                        - conditions: [{prefix: /v1}, {header: {name: x-channel, exact: BETA, ignoreCase: true}}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{exact: /status}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /v3}, {header: {name: x-build, regex: "[0-9]+-rc"}}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /v3}]
                          services: [{name: api, port: 80}]
                        - conditions: [{prefix: /q}, {queryParameter: {name: channel, prefix: Beta, ignoreCase: true}}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /q}, {queryParameter: {name: id, regex: "[a-f0-9]{4}"}}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /q}, {queryParameter: {name: lang, exact: en-US}}]
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /q}]
                          services: [{name: api, port: 80}]
                        - conditions: [{prefix: /hash}]
                          loadBalancerPolicy:
                            strategy: RequestHash
                            requestHashPolicies: [{headerHashOptions: {headerName: X-User}, terminal: true}, {hashSourceIP: true}]
                          services: [{name: pair, port: 80}]
                        - conditions: [{prefix: /spread}]
                          services: [{name: pair, port: 80}]
                        - conditions: [{prefix: /mirrored}]
                          services: [{name: api, port: 80}, {name: shadow, port: 80, mirror: true}]
                        - conditions: [{prefix: /own-headers}]
                          services:
                          - name: api
                            port: 80
                            requestHeadersPolicy: {set: [{name: X-Service, value: "%CONTOUR_SERVICE_NAME%:%CONTOUR_SERVICE_PORT%"}]}
                            responseHeadersPolicy: {set: [{name: X-Via, value: api-service}]}
                            slowStartPolicy: {window: 10s, aggression: "2"}
                        - conditions: [{prefix: /cookies}]
                          cookieRewritePolicies:
                          - {name: session, pathRewrite: {value: /api/cookies}, secure: true, sameSite: Strict}
                          - {name: theme, domainRewrite: {value: site.test}, secure: false}
                          services: [{name: api, port: 80}]
                        - conditions: [{prefix: /share-cookies}]
                          cookieRewritePolicies: [{name: session, sameSite: Lax}]
                          services:
                          - {name: api, port: 80, weight: 100, cookieRewritePolicies: [{name: other, pathRewrite: {value: "/it's \\"odd\\""}}]}
                          - {name: beta, port: 80, weight: 0}
                        - conditions: [{prefix: /short-idle}]
                          timeoutPolicy: {idleConnection: 1s}
                          services: [{name: beta, port: 80}]
                        - conditions: [{prefix: /v2}]
                          pathRewritePolicy: {replacePrefix: [{replacement: /}]}
                          requestHeadersPolicy:
                            set: [{name: X-Team, value: "%CONTOUR_NAMESPACE%"}, {name: X-Copy, value: "%REQ(x-trace)%"},
                                  {name: X-Literal, value: "100%"}, {name: Host, value: api.internal}]
                            remove: [X-Debug]
                          responseHeadersPolicy:
                            set: [{name: X-Served-By, value: isoline}]
                          services: [{name: api, port: 80}]
                        """));
        startStack(dir.resolve("run"), manifests, "--fallback-certificate", "root/fallback");
    }

    private static String tls(String path, Map<String, String> headers) throws Exception {
        return client.getTls(stack.httpsPort, "site.test", path, headers).backend();
    }

    @Test
    void includedRoutesServeUnderTheIncludesPrefixAndHeaderConditionsChooseTheBackend() throws Exception {
        assertThat(tls("/api/v1/orders", Map.of())).isEqualTo("api");
        assertThat(tls("/", Map.of())).isEqualTo("home");
        assertThat(tls("/v1/orders", Map.of())).as("only under /api").isEqualTo("home");
        assertThat(tls("/api/status", Map.of())).isEqualTo("beta");
        assertThat(tls("/api/status/x", Map.of())).as("exact").isEqualTo("home");
        assertThat(client.get(stack.httpPort, "site.test", "/.well-known/x").backend()).isEqualTo("home");
    }

    @Test
    void aHeaderConditionRoutesOnlyMatchingRequests() throws Exception {
        assertThat(tls("/api/v1/orders", Map.of("X-Channel", "beta"))).as("exact, ignoring case").isEqualTo("beta");
        assertThat(tls("/api/v1/orders", Map.of("x-channel", "stable"))).isEqualTo("api");
        assertThat(client.get(stack.httpPort, "site.test", "/api/v1/orders", Map.of("x-channel", "beta")).status())
                .as("plain HTTP on a TLS root redirects").isEqualTo(301);
    }

    @Test
    void headerRegexesAndQueryParameterConditionsMatchAsTheModelSays() throws Exception {
        assertThat(tls("/api/v3/x", Map.of("x-build", "42-rc"))).isEqualTo("beta");
        assertThat(tls("/api/v3/x", Map.of("x-build", "42-rc2"))).as("a regex matches the whole value").isEqualTo("api");
        assertThat(tls("/api/q?x=1&channel=beta7", Map.of())).as("prefix, ignoring case").isEqualTo("beta");
        assertThat(tls("/api/q?channel=stable", Map.of())).isEqualTo("api");
        assertThat(tls("/api/q?id=beef", Map.of())).isEqualTo("beta");
        assertThat(tls("/api/q?id=beef1", Map.of())).as("the whole value").isEqualTo("api");
        assertThat(tls("/api/q?lang=en-US", Map.of())).isEqualTo("beta");
        assertThat(tls("/api/q?lang=en%2DUS", Map.of())).as("the value as written, not URL-decoded").isEqualTo("api");
        assertThat(tls("/api/q?id=0000&id=beef", Map.of())).as("the first value counts").isEqualTo("beta");
    }

    @Test
    void requestHashKeepsEachUserOnOneBackend() throws Exception {
        java.util.Set<String> spread = new java.util.TreeSet<>();
        for (int i = 0; i < 20; i++) {
            spread.add(tls("/api/spread", Map.of("x-user", "alice")));
        }
        assertThat(spread).as("without a hash policy, round robin uses both").containsExactly("api", "beta");
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(tls("/api/hash", Map.of("x-user", user)));
            }
            assertThat(seen).as(user).hasSize(1);
        }
    }

    @Test
    void aMirrorGetsACopyWhileTheClientGetsTheServicesAnswer() throws Exception {
        int before = shadow.requests();
        assertThat(tls("/api/mirrored/x", Map.of())).isEqualTo("api");
        org.awaitility.Awaitility.await().atMost(io.isoline.testing.EnvoyProcess.WAIT).until(() -> shadow.requests() > before);
    }

    @Test
    void aServicesOwnHeadersReachItsBackendAndTheClient() throws Exception {
        var reply = client.getTls(stack.httpsPort, "site.test", "/api/own-headers");
        assertThat(reply.json().getJsonObject("headers").getString("x-service")).isEqualTo("api:80");
        assertThat(reply.headers().get("x-via")).isEqualTo("api-service");
    }

    @Test
    void idleConnectionClosesTheRoutesIdleUpstreamConnections() throws Exception {
        assertThat(tls("/api/short-idle", Map.of())).isEqualTo("beta");
        // Only that route's cluster has a 1 s idle timeout (the others keep Envoy's hour).
        org.awaitility.Awaitility.await().atMost(io.isoline.testing.EnvoyProcess.WAIT).until(() -> stack.envoy.stats().entrySet().stream()
                .anyMatch(e -> e.getKey().startsWith("cluster.team/beta/80/") && e.getKey().endsWith(".upstream_cx_idle_timeout")
                        && e.getValue() > 0));
    }

    @Test
    void aTcpHealthCheckKeepsConnectionsAwayFromADeadEndpoint() throws Exception {
        // Round robin alone would send every other connection to the dead endpoint.
        org.awaitility.Awaitility.await().atMost(io.isoline.testing.EnvoyProcess.WAIT).until(() -> {
            for (int i = 0; i < 10; i++) {
                try {
                    if (!client.tcp(stack.httpsPort, "tcp.test", "ping")[0].equals("tcp-live")) {
                        return false;
                    }
                } catch (Exception refused) {
                    return false;
                }
            }
            return true;
        });
        assertThat(stack.envoy.clusters()).contains("127.0.2.31").containsPattern("127\\.0\\.2\\.31:\\d+::health_flags::/failed_active_hc");
    }

    @Test
    void aClientWithoutSniGetsTheFallbackCertificateAndOnlyTheHostsThatEnabledIt() throws Exception {
        var none = io.isoline.testing.RawTls.get(stack.httpsPort, null, "site.test", "/", null);
        assertThat(none.subject()).isEqualTo("CN = fallback.invalid");
        assertThat(none.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(none.body()).contains("\"backend\":\"home\"");
        var unknown = io.isoline.testing.RawTls.get(stack.httpsPort, "nobody.test", "site.test", "/", null);
        assertThat(unknown.subject()).as("an SNI name no host has").isEqualTo("CN = fallback.invalid");
        assertThat(io.isoline.testing.RawTls.get(stack.httpsPort, null, "tcp.test", "/", null).statusLine())
                .as("a host that did not enable it").startsWith("HTTP/1.1 404");
        assertThat(io.isoline.testing.RawTls.get(stack.httpsPort, "site.test", "site.test", "/", null).subject())
                .as("SNI still gets the host's own").isEqualTo("CN = site.test");
    }

    @Test
    void cookieRewritesChangeOnlyTheNamedCookiesAttributes() throws Exception {
        String set = java.util.stream.Stream.of("session=abc; Path=/; HttpOnly", "theme=dark; Secure", "other=1; Path=/x")
                .map(c -> "set-cookie=" + java.net.URLEncoder.encode(c, java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        var reply = client.getTls(stack.httpsPort, "site.test", "/api/cookies?" + set);
        assertThat(reply.backend()).isEqualTo("api");
        assertThat(reply.headers().getAll("set-cookie")).containsExactlyInAnyOrder(
                "session=abc; HttpOnly; Path=/api/cookies; Secure; SameSite=Strict", "theme=dark; Domain=site.test", "other=1; Path=/x");
        assertThat(client.getTls(stack.httpsPort, "site.test", "/api/v1/x?" + set).headers().getAll("set-cookie"))
                .as("a route without rules").contains("session=abc; Path=/; HttpOnly");
        assertThat(client.getTls(stack.httpsPort, "site.test", "/api/share-cookies?" + set).headers().getAll("set-cookie"))
                .as("a service's own rules join the route's on its share").containsExactlyInAnyOrder(
                        "session=abc; Path=/; HttpOnly; SameSite=Lax", "theme=dark; Secure", "other=1; Path=/it's \"odd\"");
    }

    @Test
    void aMissingIncludeAnswers502UnderItsPrefix() throws Exception {
        assertThat(client.getTls(stack.httpsPort, "site.test", "/gone/x").status()).isEqualTo(502);
    }

    @Test
    void prefixRewriteAndHeaderPoliciesReachTheBackendAndTheClient() throws Exception {
        var reply = client.getTls(stack.httpsPort, "site.test", "/api/v2/orders", Map.of("x-trace", "t-1", "x-debug", "1"));
        var seen = reply.json();
        assertThat(seen.getString("path")).as("/api/v2 replaced by /").isEqualTo("/orders");
        assertThat(seen.getJsonObject("headers").getString("x-team")).isEqualTo("team");
        assertThat(seen.getJsonObject("headers").getString("x-copy")).isEqualTo("t-1");
        assertThat(seen.getJsonObject("headers").getString("x-literal")).as("a lone % is not a variable").isEqualTo("100%");
        assertThat(seen.getJsonObject("headers").containsKey("x-debug")).isFalse();
        assertThat(seen.getString("host")).isEqualTo("api.internal");
        assertThat(reply.headers().get("x-served-by")).isEqualTo("isoline");
    }

    @Test
    void directResponsesAndRedirectsAnswerWithoutABackend() throws Exception {
        var direct = client.getTls(stack.httpsPort, "site.test", "/maintenance/x");
        assertThat(direct.status()).isEqualTo(503);
        assertThat(direct.body()).isEqualTo("back soon");
        var redirect = client.getTls(stack.httpsPort, "site.test", "/old/page");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.headers().get("location")).isEqualTo("https://new.site.test/new/page");
    }
}
