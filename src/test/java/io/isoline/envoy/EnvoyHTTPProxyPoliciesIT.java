package io.isoline.envoy;

import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.isoline.testing.Backend;
import io.isoline.testing.Certificates;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.Proxies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPProxy's route policies through a real Envoy, each as a client sees it: the response
 * and idle timeouts, retries (on status codes, on resets only, with a per-try timeout), websockets,
 * an h2c upstream, Cookie affinity, an HTTP health check, negative header conditions, a wildcard
 * fqdn (one label only), minimum and maximum TLS versions, a contested fqdn, and TLS passthrough to
 * another namespace's tcpproxy.
 */
class EnvoyHTTPProxyPoliciesIT extends RealEnvoyTier {

    @TempDir
    static Path dir;
    static Backend flaky;
    static Backend sick;

    @BeforeAll
    static void start() throws Exception {
        vertx();
        Backend a = Backend.http(vertx, "a", "127.0.3.2");
        Backend b = Backend.http(vertx, "b", "127.0.3.3");
        flaky = Backend.http(vertx, "flaky", "127.0.3.4");
        Backend h2c = Backend.http(vertx, "h2c", "127.0.3.5");
        Backend well = Backend.http(vertx, "well", "127.0.3.6");
        sick = Backend.http(vertx, "sick", "127.0.3.7");
        Certificates.Pair cert = Certificates.selfSigned(dir, "tls12", "tls12.test");
        Certificates.Pair cert13 = Certificates.selfSigned(dir, "tls13", "tls13.test");
        Certificates.Pair dbCert = Certificates.selfSigned(dir, "db", "db.test");
        Backend db = Backend.tcp(vertx, "postgres", "127.0.3.8", dbCert);
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("all.yaml"), serviceFor("apps", "a", "", a) + serviceFor("apps", "pair", "", a, b)
                + serviceFor("apps", "flaky", "", flaky) + serviceFor("apps", "h2c", "", h2c) + serviceFor("apps", "checked", "", well, sick)
                + tlsSecret("apps", "tls12", cert) + tlsSecret("apps", "tls13", cert13) + serviceFor("data", "postgres", "", db)
                + Proxies.proxy("apps", "db", "virtualhost: {fqdn: db.test, tls: {passthrough: true}}\n"
                        + "tcpproxy: {include: {name: postgres, namespace: data}}")
                + Proxies.proxy("data", "postgres", "tcpproxy: {services: [{name: postgres, port: 80}]}")
                + Proxies.proxy("apps", "policies", """
                        virtualhost: {fqdn: policies.test}
                        routes:
                        - conditions: [{prefix: /timeout}]
                          timeoutPolicy: {response: 1s}
                          services: [{name: a, port: 80}]
                        - conditions: [{prefix: /retry}]
                          retryPolicy: {count: 1}
                          services: [{name: flaky, port: 80}]
                        - conditions: [{prefix: /retry-codes}]
                          retryPolicy: {count: 2, retryOn: [retriable-status-codes], retriableStatusCodes: [503]}
                          services: [{name: flaky, port: 80}]
                        - conditions: [{prefix: /retry-reset}]
                          retryPolicy: {count: 2, retryOn: [reset]}
                          services: [{name: flaky, port: 80}]
                        - conditions: [{prefix: /per-try}]
                          retryPolicy: {count: 1, perTryTimeout: 500ms}
                          services: [{name: flaky, port: 80}]
                        - conditions: [{prefix: /idle}]
                          timeoutPolicy: {response: infinity, idle: 1s}
                          services: [{name: a, port: 80}]
                        - conditions: [{prefix: /neg}, {header: {name: x-legacy, notpresent: true}}, {header: {name: x-env, notexact: prod}}]
                          services: [{name: h2c, port: 80}]
                        - conditions: [{prefix: /ws}]
                          enableWebsockets: true
                          services: [{name: a, port: 80}]
                        - conditions: [{prefix: /h2c}]
                          services: [{name: h2c, port: 80, protocol: h2c}]
                        - conditions: [{prefix: /sticky}]
                          loadBalancerPolicy: {strategy: Cookie}
                          services: [{name: pair, port: 80}]
                        - conditions: [{prefix: /env}, {header: {name: x-env, notcontains: prod, treatMissingAsEmpty: true}}]
                          services: [{name: pair, port: 80}]
                        - conditions: [{prefix: /env}, {header: {name: x-env, present: true}}]
                          services: [{name: h2c, port: 80}]
                        - conditions: [{prefix: /checked}]
                          healthCheckPolicy: {path: /healthz, intervalSeconds: 1, timeoutSeconds: 1, unhealthyThresholdCount: 1, healthyThresholdCount: 1}
                          services: [{name: checked, port: 80}]
                        - services: [{name: a, port: 80}]
                        """)
                + Proxies.proxy("apps", "wild", "virtualhost: {fqdn: \"*.wild.test\"}\nroutes: [{services: [{name: a, port: 80}]}]")
                + Proxies.proxy("apps", "tls12", "virtualhost: {fqdn: tls12.test, tls: {secretName: tls12, maximumProtocolVersion: \"1.2\"}}\n"
                        + "routes: [{services: [{name: a, port: 80}]}]")
                + Proxies.proxy("apps", "tls13", "virtualhost: {fqdn: tls13.test, tls: {secretName: tls13, minimumProtocolVersion: \"1.3\"}}\n"
                        + "routes: [{services: [{name: a, port: 80}]}]")
                // Two roots claim dup.test: the older (no timestamps here: the first by namespace/name) keeps it.
                + Proxies.proxy("apps", "dup-first", "virtualhost: {fqdn: dup.test}\nroutes: [{services: [{name: a, port: 80}]}]")
                + Proxies.proxy("apps", "dup-second", "virtualhost: {fqdn: dup.test}\nroutes: [{services: [{name: h2c, port: 80}]}]"));
        startStack(dir.resolve("run"), manifests);
    }

    @Test
    void theResponseTimeoutCutsASlowAnswer() throws Exception {
        assertThat(client.get(stack.httpPort, "policies.test", "/timeout?delay=3000").status()).isEqualTo(504);
        assertThat(via("policies.test", "/timeout?delay=10")).isEqualTo("a");
    }

    @Test
    void aFailedTryIsRetried() throws Exception {
        flaky.failNext(1);
        int before = flaky.requests();
        assertThat(via("policies.test", "/retry")).isEqualTo("flaky");
        assertThat(flaky.requests() - before).isEqualTo(2);
    }

    @Test
    void retriableStatusCodesAreRetriedAndOtherConditionsAreNot() throws Exception {
        flaky.failNext(2);
        int before = flaky.requests();
        assertThat(via("policies.test", "/retry-codes")).isEqualTo("flaky");
        assertThat(flaky.requests() - before).as("two 503s retried").isEqualTo(3);
        flaky.failNext(1);
        before = flaky.requests();
        assertThat(client.get(stack.httpPort, "policies.test", "/retry-reset").status()).as("retryOn: reset only").isEqualTo(503);
        assertThat(flaky.requests() - before).isEqualTo(1);
    }

    @Test
    void aTryThatTakesTooLongIsCutAndRetried() throws Exception {
        int before = flaky.requests();
        assertThat(client.get(stack.httpPort, "policies.test", "/per-try?delay=3000").status()).isEqualTo(504);
        assertThat(flaky.requests() - before).as("the first try cut at 500 ms, then one retry").isEqualTo(2);
        assertThat(via("policies.test", "/per-try?delay=10")).isEqualTo("flaky");
    }

    @Test
    void theIdleTimeoutEndsAStreamWithNothingOnIt() throws Exception {
        assertThat(client.get(stack.httpPort, "policies.test", "/idle?delay=3000").status()).isEqualTo(504);
        assertThat(via("policies.test", "/idle?delay=10")).isEqualTo("a");
    }

    @Test
    void notPresentAndNotExactConditionsBothHaveToHold() throws Exception {
        assertThat(client.get(stack.httpPort, "policies.test", "/neg", Map.of("x-env", "dev")).backend()).isEqualTo("h2c");
        assertThat(client.get(stack.httpPort, "policies.test", "/neg", Map.of("x-env", "prod")).backend()).as("exactly prod").isEqualTo("a");
        assertThat(client.get(stack.httpPort, "policies.test", "/neg", Map.of("x-env", "dev", "x-legacy", "1")).backend())
                .as("x-legacy present").isEqualTo("a");
        assertThat(via("policies.test", "/neg")).as("no x-env at all: notexact does not match a missing header").isEqualTo("a");
    }

    @Test
    void theMinimumTlsVersionRefusesOlderHandshakes() throws Exception {
        assertThat(client.getTls(stack.httpsPort, "tls13.test", "/", Set.of("TLSv1.3")).backend()).isEqualTo("a");
        assertThatThrownBy(() -> client.getTls(stack.httpsPort, "tls13.test", "/", Set.of("TLSv1.2"))).isInstanceOf(Exception.class);
    }

    @Test
    void aContestedFqdnIsServedByTheRootThatHadItFirst() throws Exception {
        assertThat(via("dup.test", "/")).isEqualTo("a");
    }

    @Test
    void websocketsOnlyWhereEnabled() throws Exception {
        assertThat(client.websocket(stack.httpPort, "policies.test", "/ws", "hi")).isEqualTo("a:hi");
        assertThatThrownBy(() -> client.websocket(stack.httpPort, "policies.test", "/plain", "hi")).isInstanceOf(Exception.class);
    }

    @Test
    void anH2cServiceIsSpokenToInHttp2() throws Exception {
        assertThat(client.get(stack.httpPort, "policies.test", "/h2c").json().getString("protocol")).isEqualTo("HTTP_2");
        assertThat(client.get(stack.httpPort, "policies.test", "/").json().getString("protocol")).isEqualTo("HTTP_1_1");
    }

    @Test
    void theCookieStrategyKeepsASessionOnOneBackend() throws Exception {
        for (String session : new String[] {"s1", "s2", "s3"}) {
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < 12; i++) {
                seen.add(client.get(stack.httpPort, "policies.test", "/sticky", Map.of("cookie", "X-Contour-Session-Affinity=" + session))
                        .backend());
            }
            assertThat(seen).as(session).hasSize(1);
        }
    }

    @Test
    void anUnhealthyBackendStopsGettingRequests() throws Exception {
        sick.healthy(false);
        await().atMost(EnvoyProcess.WAIT).until(() -> {
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < 10; i++) {
                seen.add(via("policies.test", "/checked"));
            }
            return seen.equals(Set.of("well"));
        });
        assertThat(sick.healthChecks()).isPositive();
    }

    @Test
    void aWildcardFqdnServesOneLabelOnly() throws Exception {
        assertThat(via("x.wild.test", "/")).isEqualTo("a");
        assertThat(client.get(stack.httpPort, "x.y.wild.test", "/").status()).isEqualTo(404);
        assertThat(client.get(stack.httpPort, "wild.test", "/").status()).isEqualTo(404);
    }

    @Test
    void negativeHeaderConditionsAndAMissingHeader() throws Exception {
        assertThat(via("policies.test", "/env")).as("missing counts as empty, which has no 'prod'").isIn("a", "b");
        assertThat(client.get(stack.httpPort, "policies.test", "/env", Map.of("x-env", "staging")).backend()).isIn("a", "b");
        assertThat(client.get(stack.httpPort, "policies.test", "/env", Map.of("x-env", "prod-eu")).backend())
                .as("contains prod: the next route").isEqualTo("h2c");
    }

    @Test
    void passthroughForwardsTlsUntouchedToAnIncludedTcpProxy() throws Exception {
        String[] answer = client.tcp(stack.httpsPort, "db.test", "ping");
        assertThat(answer[0]).isEqualTo("postgres");
        assertThat(answer[2]).as("the backend's own certificate: Envoy did not terminate TLS").isEqualTo("CN=db.test");
    }

    @Test
    void theMaximumTlsVersionRefusesNewerHandshakes() throws Exception {
        assertThat(client.getTls(stack.httpsPort, "tls12.test", "/", Set.of("TLSv1.2")).backend()).isEqualTo("a");
        assertThatThrownBy(() -> client.getTls(stack.httpsPort, "tls12.test", "/", Set.of("TLSv1.3"))).isInstanceOf(Exception.class);
    }
}
