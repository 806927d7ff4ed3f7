package io.isoline.cli;

import static io.isoline.testing.AdsClient.CDS;
import static io.isoline.testing.AdsClient.EDS;
import static io.isoline.testing.AdsClient.LDS;
import static io.isoline.testing.AdsClient.RDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IngressRoutes;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --manifests DIR} as a user runs it: the packaged jar in its own process, an ADS client
 * (grpc-java) subscribing and ACKing the way Envoy does, and manifest edits on disk.
 */
class ServeManifestsIT {

    private static final Duration WAIT = Duration.ofSeconds(30); // an expected event, on a loaded 2-core machine
    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    /** A path that is not there is one line naming it and exit 2, not a fall-back to another cluster or a stack trace. */
    @Test
    void aMissingManifestsDirectoryOrKubeconfigIsOneLineAndExit2() throws Exception {
        Path missing = dir.resolve("missing");
        for (String[] args : List.of(new String[] {"serve", "--manifests", missing.toString()},
                new String[] {"serve", "--kubeconfig", missing.toString()})) {
            IsolineProcess.Exit exit = IsolineProcess.exit(args);
            String err = exit.err();
            assertThat(exit.code()).as(err).isEqualTo(2);
            assertThat(err.lines().filter(l -> l.startsWith("error: "))).as(err)
                    .containsExactly(args[1].equals("--manifests") ? "error: --manifests " + missing + " is not a directory"
                            : "error: --kubeconfig " + missing + ": no such file");
            assertThat(err).doesNotContain("Exception", "\tat ");
        }
        // An API server that does not answer: one line naming it, exit 1 (the pod restarts), no informer stack traces.
        Path kubeconfig = Files.writeString(dir.resolve("unreachable.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: x, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: x, user: {token: t}}]
                contexts: [{name: x, context: {cluster: x, user: x}}]
                current-context: x
                """);
        IsolineProcess.Exit unreachable = IsolineProcess.exit("serve", "--kubeconfig", kubeconfig.toString());
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(1);
        assertThat(unreachable.err().lines().filter(l -> l.startsWith("error: "))).as(unreachable.err()).singleElement().asString()
                .startsWith("error: cannot reach the Kubernetes API server at https://127.0.0.1:1/").contains("refused");
        assertThat(unreachable.err()).doesNotContain("\tat ", "Operator will be stopped");
    }

    @Test
    void servesTheManifestsOverAdsAndFollowsEdits() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("backend.yaml"), Manifests.backend("default", "web", "10.0.0.1"));
        Files.writeString(manifests.resolve("ingress.yaml"), Manifests.ingress("web", "x.example.com", "/", "Prefix", "web"));
        try (IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Disoline.manifests.holdoff=100ms", "-Disoline.manifests.poll-interval=50ms"),
                "serve", "--manifests", manifests.toString()).awaitListening(60_000);
                AdsClient ads = new AdsClient("127.0.0.1", isoline.port, "envoy-1")) {

            DiscoveryResponse cds = ads.subscribe(CDS, List.of(), WAIT);
            assertThat(AdsClient.unpack(cds, Cluster.class)).extracting(Cluster::getName)
                    .containsExactly("default/web/80/da39a3ee5e");
            ads.ack(cds, List.of());
            DiscoveryResponse eds = ads.subscribe(EDS, List.of("default/web/http"), WAIT);
            assertThat(addresses(eds)).containsExactly("10.0.0.1:8080");
            ads.ack(eds, List.of("default/web/http"));
            DiscoveryResponse lds = ads.subscribe(LDS, List.of(), WAIT);
            assertThat(AdsClient.unpack(lds, Listener.class)).extracting(Listener::getName).containsExactly("ingress_http");
            ads.ack(lds, List.of());
            DiscoveryResponse rds = ads.subscribe(RDS, List.of("ingress_http"), WAIT);
            assertThat(AdsClient.unpack(rds, RouteConfiguration.class).get(0).getVirtualHosts(0).getDomainsList())
                    .containsExactly("x.example.com");
            ads.ack(rds, List.of("ingress_http"));

            RestAssured.given().port(isoline.managementPort).get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'xDS configuration published' }.status", equalTo("UP"));

            // What serve sends is exactly what translate prints for the same directory.
            JsonNode translated = new ObjectMapper().readTree(TranslateRunner.run("-f", manifests.toString()).stdout());
            assertThat(translated.get("clusters").get(0)).isEqualTo(TranslationJson.toJson(AdsClient.unpack(cds, Cluster.class).get(0)));
            assertThat(translated.get("listeners").get(0)).isEqualTo(TranslationJson.toJson(AdsClient.unpack(lds, Listener.class).get(0)));
            assertThat(translated.get("routes").get(0)).isEqualTo(TranslationJson.toJson(AdsClient.unpack(rds, RouteConfiguration.class).get(0)));
            assertThat(translated.get("endpoints").get(0)).isEqualTo(TranslationJson.toJson(AdsClient.unpack(eds, ClusterLoadAssignment.class).get(0)));

            // An endpoint change re-sends EDS only.
            Files.writeString(manifests.resolve("backend.yaml"), Manifests.backend("default", "web", "10.0.0.1", "10.0.0.2"));
            DiscoveryResponse eds2 = ads.next(WAIT);
            assertThat(eds2).isNotNull();
            assertThat(eds2.getTypeUrl()).isEqualTo(EDS);
            assertThat(eds2.getVersionInfo()).isNotEqualTo(eds.getVersionInfo());
            assertThat(addresses(eds2)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
            ads.ack(eds2, List.of("default/web/http"));
            assertThat(ads.next(QUIET)).as("nothing but EDS changed").isNull();

            // A route change re-sends RDS, never listeners (Envoy would drain connections).
            Files.writeString(manifests.resolve("ingress.yaml"), Manifests.ingress("web", "x.example.com", "/", "Prefix", "web")
                    + Manifests.ingress("more", "y.example.com", "/", "Prefix", "web"));
            DiscoveryResponse rds2 = ads.next(WAIT);
            assertThat(rds2.getTypeUrl()).isEqualTo(RDS);
            assertThat(AdsClient.unpack(rds2, RouteConfiguration.class).get(0).getVirtualHostsList())
                    .extracting(v -> v.getName()).containsExactly("x.example.com", "y.example.com");
            ads.ack(rds2, List.of("ingress_http"));
            assertThat(ads.next(QUIET)).as("listeners and clusters unchanged").isNull();

            // IngressRoute delegation across namespaces is served the same way (same core): here it reuses
            // the existing cluster, so only RDS changes.
            Files.writeString(manifests.resolve("ingressroutes.yaml"),
                    IngressRoutes.root("ingress", "www", "ir.example.com", IngressRoutes.delegate("/app", "default", "app"))
                    + IngressRoutes.child("default", "app", IngressRoutes.toService("/app", "web")));
            DiscoveryResponse rds3 = ads.next(WAIT);
            assertThat(rds3.getTypeUrl()).isEqualTo(RDS);
            RouteConfiguration withIr = AdsClient.unpack(rds3, RouteConfiguration.class).get(0);
            assertThat(withIr.getVirtualHostsList()).extracting(v -> v.getName())
                    .containsExactly("ir.example.com", "x.example.com", "y.example.com");
            assertThat(withIr.getVirtualHosts(0).getRoutes(0).getMatch().getPrefix()).isEqualTo("/app");
            assertThat(withIr.getVirtualHosts(0).getRoutes(0).getRoute().getCluster()).isEqualTo("default/web/80/da39a3ee5e");
            ads.ack(rds3, List.of("ingress_http"));
            assertThat(ads.next(QUIET)).isNull();

            // A wrongly typed object is skipped with a warning; the others keep being served.
            Files.writeString(manifests.resolve("typo.yaml"), "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\n"
                    + "metadata: {name: typo}\nspec: {routes: not-a-list}\n");
            await().atMost(WAIT).until(() -> isoline.log().contains("IngressRoute typo:"));
            assertThat(isoline.log()).contains("the object is skipped");
            assertThat(ads.next(QUIET)).as("nothing served changed").isNull();

            // A broken file keeps the last good configuration and says which file and why.
            Files.writeString(manifests.resolve("broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: [x\n");
            await().atMost(WAIT).until(() -> isoline.log().contains("broken.yaml (document 0): not valid YAML"));
            assertThat(isoline.log()).contains("keeping the last good configuration");
            assertThat(ads.next(QUIET)).isNull();
            assertThat(RestAssured.given().port(isoline.managementPort).get("/q/metrics").asString())
                    .as("a failed reload is counted").containsPattern("(?m)^isoline_manifests_reload_failures_total [1-9]");

            // One log line per publish: version, counts, time.
            assertThat(isoline.log()).containsPattern(
                    "published version [0-9a-f]{16}: 1 listeners, 1 routes, 1 clusters, 1 endpoints, 0 secrets in [0-9.]+ ms");
        }
    }

    private static List<String> addresses(DiscoveryResponse eds) {
        return AdsClient.unpack(eds, ClusterLoadAssignment.class).stream()
                .flatMap(c -> c.getEndpointsList().stream()).flatMap(l -> l.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress())
                .map(a -> a.getAddress() + ":" + a.getPortValue()).toList();
    }
}
