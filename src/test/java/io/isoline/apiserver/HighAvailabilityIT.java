package io.isoline.apiserver;

import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one real API server: one holds the Lease and writes status, both serve xDS; the
 * leader is SIGKILLed (no Lease release) and the other takes over within the Lease's duration
 * while statuses keep being written and every change keeps reaching the ADS client on the survivor.
 */
class HighAvailabilityIT extends ApiServerTier {

    /**
     * The longest a takeover may take: the Lease's 15 s duration counts from the dead leader's last
     * renewal (at most 2 s before the kill), then the survivor acquires at its next try (a 2 s retry
     * period with fabric8's jitter, up to 2.4 s), plus this test's 200 ms poll: 15 + 2.4 + 0.2, and
     * a second for a loaded machine.
     */
    private static final Duration TAKEOVER = Duration.ofMillis(15_000 + 2_400 + 200 + 1_000);

    @TempDir
    static Path dir;

    private static String holder() throws Exception {
        return api.kubectl("get", "lease", "isoline-leader", "-n", "isoline-system", "-o", "jsonpath={.spec.holderIdentity}");
    }

    /** Reads (and ACKs) {@code client}'s responses until one serves {@code domain}. */
    private static void awaitDomain(AdsClient client, String domain) throws Exception {
        assertThat(client.awaitAcking(List.of("ingress_http"), r -> AdsClient.unpack(r, RouteConfiguration.class).stream()
                .flatMap(rc -> rc.getVirtualHostsList().stream()).anyMatch(v -> v.getDomainsList().contains(domain)), WAIT))
                .as(domain + " reaches the ADS client").isTrue();
    }

    @Test
    void theSurvivorTakesOverTheLeaseAndKeepsServingAndWritingStatus() throws Exception {
        install(dir, "team");
        apply(backend("team", "app", "10.0.1.1"));
        IsolineProcess a = controller(dir, "replica-a");
        await().atMost(WAIT).untilAsserted(() -> assertThat(holder()).isEqualTo("replica-a"));
        IsolineProcess b = controller(dir, "replica-b");
        try (AdsClient onA = new AdsClient("127.0.0.1", a.port, "envoy-a"); AdsClient onB = new AdsClient("127.0.0.1", b.port, "envoy-b")) {
            onA.request(AdsClient.RDS, List.of("ingress_http"));
            onB.request(AdsClient.RDS, List.of("ingress_http"));

            apply(root("team", "one", "one.example.com", toService("/", "app")));
            awaitDomain(onA, "one.example.com");
            awaitDomain(onB, "one.example.com");
            await().atMost(WAIT).untilAsserted(() -> assertThat(status("team", "one")).isEqualTo("valid: valid IngressRoute"));
            assertThat(b.log()).doesNotContain("is the leader");

            a.kill();
            long killed = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(holder()).isEqualTo("replica-b"));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("HA: replica-b holds the Lease %.1f s after replica-a was killed%n", takeover.toMillis() / 1000.0);
            assertThat(takeover).isLessThanOrEqualTo(TAKEOVER);

            apply(root("team", "two", "two.example.com", toService("/", "app")));
            awaitDomain(onB, "two.example.com");
            await().atMost(WAIT).untilAsserted(() -> assertThat(status("team", "two")).isEqualTo("valid: valid IngressRoute"));
            assertThat(b.log()).contains("replica-b is the leader: writing status");
        }
    }
}
