package io.isoline.cli;

import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static io.isoline.testing.Manifests.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.TLSCertificateDelegation;
import io.isoline.source.ManifestParser;
import io.isoline.source.StateStore;
import io.isoline.testing.AdsClient;
import io.isoline.testing.Backend;
import io.isoline.testing.EnvoyClient;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.Manifests;
import io.isoline.xds.translate.ListenerOptions;
import io.isoline.xds.translate.TranslateOptions;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Kubernetes mode against fabric8's mock API server (CRUD mode): objects in the API server reach a
 * real grpc-java ADS client, edits and deletions follow, and statuses are written back.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesModeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Envoy's listeners, on loopback and free ports (the last test runs a real Envoy). */
    private static final ListenerOptions LISTENERS = new ListenerOptions("127.0.0.1", freePort(), freePort());

    private static int freePort() {
        try {
            return IsolineProcess.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesServe serve;

    @Inject
    StateStore store;

    @Inject
    io.isoline.status.StatusWriter statusWriter;

    private KubernetesClient client() {
        return server.getClient();
    }

    private void create(String yaml) throws Exception {
        for (HasMetadata o : ManifestParser.parse(Path.of("test.yaml"), new StringReader(yaml)).objects()) {
            client().resource(o).create();
        }
    }

    private String status(String ns, String name) {
        IngressRoute ir = client().resources(IngressRoute.class).inNamespace(ns).withName(name).get();
        return ir == null || ir.getStatus() == null ? null : ir.getStatus().currentStatus + ": " + ir.getStatus().description;
    }

    /** The value of one Prometheus sample, or 0 when absent. */
    private static double metric(String scrape, String sample) {
        return scrape.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst().orElse(0);
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** Health and metrics: the management interface, not the xDS port. */
    private static int managementPort() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    private static List<String> names(DiscoveryResponse r) {
        return r.getResourcesList().stream().map(a -> {
            try {
                return switch (r.getTypeUrl()) {
                    case AdsClient.CDS -> a.unpack(Cluster.class).getName();
                    case AdsClient.LDS -> a.unpack(Listener.class).getName();
                    default -> throw new AssertionError(r.getTypeUrl());
                };
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static RouteConfiguration httpRoutes() throws InterruptedException {
        return AdsClient.unpack(AdsClient.current(port(), AdsClient.RDS, List.of("ingress_http")), RouteConfiguration.class).get(0);
    }

    private static String routeTarget(String host, String prefix) throws InterruptedException {
        return httpRoutes().getVirtualHostsList().stream().filter(v -> v.getName().equals(host))
                .flatMap(v -> v.getRoutesList().stream()).filter(r -> r.getMatch().getPrefix().equals(prefix))
                .map(r -> r.getRoute().hasWeightedClusters() ? r.getRoute().getWeightedClusters().toString().replaceAll("\\s+", " ")
                        : r.getRoute().getCluster())
                .findFirst().orElse("none");
    }

    @Test
    @Order(1)
    void clusterObjectsAreServedFollowedAndGetTheirStatus() throws Exception {
        for (Path crd : io.isoline.packaging.BundleGenerator.CRDS.stream()
                .map(c -> Path.of("target/classes/META-INF/fabric8/" + c + "-v1.yml")).toList()) {
            client().apiextensions().v1().customResourceDefinitions().load(Files.newInputStream(crd)).create();
        }
        // Objects that exist before the controller starts (a restart, as far as it can tell).
        create(backend("root", "home", "10.0.0.1") + backend("team", "app", "10.0.1.1") + backend("team", "app2", "10.0.1.2")
                + tlsSecret("certs", "wildcard")
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/team", "team", "app"))
                + child("team", "app", "  - {match: /team, services: [{name: app, port: 80, weight: 50}, {name: app2, port: 80, weight: 50}]}\n")
                + child("team", "lonely", toService("/", "app"))
                + root("team", "broken", "broken.example.com", "  - {match: /, services: [{name: app, port: 70000}]}\n")
                + """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: secure, namespace: root}
                spec:
                  virtualhost: {fqdn: secure.example.com, tls: {secretName: certs/wildcard}}
                  routes: [{match: /, services: [{name: home, port: 80}]}]
                ---
                apiVersion: contour.heptio.com/v1beta1
                kind: TLSCertificateDelegation
                metadata: {name: to-root, namespace: certs}
                spec: {delegations: [{secretName: wildcard, targetNamespaces: [root]}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: team}
                spec: {rules: [{host: ingress.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}}]}
                """);
        client().resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.big.v1").withNamespace("team")
                .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":\"secret\"}").endMetadata()
                .withType("helm.sh/release.v1").addToData("release", "x".repeat(200_000)).build()).create();

        // Not ready, and nothing served, until the informers have synced and the first build is published.
        RestAssured.given().port(managementPort()).get("/q/health/ready").then().statusCode(503);
        try (AdsClient early = new AdsClient("127.0.0.1", port(), "early-envoy")) {
            early.request(AdsClient.CDS, List.of());
            assertThat(early.next(Duration.ofMillis(300))).isNull();
            serve.start(new TranslateOptions(io.isoline.dag.DagOptions.DEFAULT, LISTENERS), Set.of());
            RestAssured.given().port(managementPort()).get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'xDS configuration published' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'Kubernetes watches' }.status", equalTo("UP"));
            // The first version a connected Envoy sees is the complete configuration, never a partial one.
            DiscoveryResponse first = early.next(WAIT);
            assertThat(names(first)).containsExactlyInAnyOrder("root/home/80/da39a3ee5e", "team/app/80/da39a3ee5e",
                    "team/app2/80/da39a3ee5e");
            assertThat(early.next(Duration.ofMillis(500))).isNull();
        }
        assertThat(routeTarget("www.example.com", "/team")).contains("team/app/80").contains("team/app2/80").contains("value: 50");
        assertThat(names(AdsClient.current(port(), AdsClient.LDS, List.of()))).contains("ingress_https");

        // Secrets are kept with their TLS keys only; unrelated Secrets cost only metadata.
        Secret helm = store.itemStore(Secret.class).get("team/sh.helm.release.v1.big.v1");
        assertThat(helm.getData()).isEmpty();
        assertThat(helm.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(store.itemStore(Secret.class).get("certs/wildcard").getData()).containsOnlyKeys("tls.crt", "tls.key");

        // Statuses are written back (this replica wins the Lease).
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(status("root", "www")).isEqualTo("valid: valid IngressRoute");
            assertThat(status("team", "app")).isEqualTo("valid: valid IngressRoute");
            assertThat(status("team", "lonely")).startsWith("orphaned: ");
            assertThat(status("team", "broken")).isEqualTo("invalid: route \"/\": service \"app\": port must be in the range 1-65535");
            Ingress web = client().network().v1().ingresses().inNamespace("team").withName("web").get();
            assertThat(web.getStatus().getLoadBalancer().getIngress()).singleElement()
                    .satisfies(i -> assertThat(i.getIp()).isEqualTo("192.0.2.10"));
        });
        assertThat(client().leases().inNamespace("isoline-system").withName("isoline-leader").get()).isNotNull();

        // Statuses are patched only when they change: an unrelated edit rebuilds but writes nothing.
        long writes = statusWriter.writes();
        String version = AdsClient.current(port(), AdsClient.EDS, List.of("root/home/http")).getVersionInfo();
        client().resources(EndpointSlice.class).inNamespace("root").withName("home-1").edit(s -> {
            s.getEndpoints().get(0).getAddresses().set(0, "10.0.0.99");
            return s;
        });
        await().atMost(WAIT).until(() -> !AdsClient.current(port(), AdsClient.EDS, List.of("root/home/http"))
                .getVersionInfo().equals(version));
        Thread.sleep(500);
        assertThat(statusWriter.writes()).isEqualTo(writes);

        // A weight change and an endpoint change each give a new version.
        String routesVersion = AdsClient.current(port(), AdsClient.RDS, List.of("ingress_http")).getVersionInfo();
        client().resources(IngressRoute.class).inNamespace("team").withName("app").edit(ir -> {
            ir.getSpec().routes.get(0).services.get(0).weight = 90L;
            ir.getSpec().routes.get(0).services.get(1).weight = 10L;
            return ir;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(routeTarget("www.example.com", "/team")).contains("value: 90"));
        assertThat(AdsClient.current(port(), AdsClient.RDS, List.of("ingress_http")).getVersionInfo()).isNotEqualTo(routesVersion);
        client().resources(EndpointSlice.class).inNamespace("team").withName("app-1").edit(s -> {
            s.getEndpoints().get(0).getAddresses().set(0, "10.9.9.9");
            return s;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(AdsClient.unpack(
                AdsClient.current(port(), AdsClient.EDS, List.of("team/app/http")), ClusterLoadAssignment.class).get(0)
                .getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getAddress())
                .isEqualTo("10.9.9.9"));

        // An integer no int32 holds (the API server accepted such values before the schema bounded
        // them) used to stop the IngressRoute informer for good; now the object is just invalid.
        client().genericKubernetesResources("contour.heptio.com/v1beta1", "IngressRoute").inNamespace("team")
                .resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                        {"apiVersion": "contour.heptio.com/v1beta1", "kind": "IngressRoute",
                         "metadata": {"name": "huge", "namespace": "team"},
                         "spec": {"virtualhost": {"fqdn": "huge.example.com"},
                                  "routes": [{"match": "/", "services": [{"name": "app", "port": 80, "weight": 2147483648}]}]}}""",
                        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("team", "huge"))
                .isEqualTo("invalid: route \"/\": service \"app\": weight must be in the range 0-2147483647"));

        // A value of the wrong shape (an older or schemaless CRD lets it through) used to fail the
        // informer's decoding; now only that object is invalid, named by field, logged and counted,
        // and the watch goes on (the steps below need it).
        client().genericKubernetesResources("contour.heptio.com/v1beta1", "IngressRoute").inNamespace("team")
                .resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                        {"apiVersion": "contour.heptio.com/v1beta1", "kind": "IngressRoute",
                         "metadata": {"name": "shapeless", "namespace": "team"},
                         "spec": {"virtualhost": {"fqdn": "shapeless.example.com"},
                                  "routes": [{"match": "/", "services": [{"name": "app", "port": "eighty"}]}]}}""",
                        io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("team", "shapeless"))
                .isEqualTo("invalid: spec.routes[0].services[0].port must be an integer"));
        assertThat(metric(RestAssured.given().port(managementPort()).get("/q/metrics").asString(),
                "isoline_store_unreadable{kind=\"IngressRoute\"}")).isEqualTo(1);
        RestAssured.given().port(managementPort()).get("/q/health/ready").then().statusCode(200);
        client().resources(IngressRoute.class).inNamespace("team").withName("shapeless").delete();

        // Fixing an invalid object flips it to valid.
        client().resources(IngressRoute.class).inNamespace("team").withName("broken").edit(ir -> {
            ir.getSpec().routes.get(0).services.get(0).port = 80L;
            return ir;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("team", "broken")).isEqualTo("valid: valid IngressRoute"));

        // Deleting the delegated child removes its route; the root says why.
        client().resources(IngressRoute.class).inNamespace("team").withName("app").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(routeTarget("www.example.com", "/team")).isEqualTo("none"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("root", "www")).contains("delegate team/app not found"));

        // Un-delegating the certificate removes it from the served configuration.
        client().resources(TLSCertificateDelegation.class).inNamespace("certs").withName("to-root").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(names(AdsClient.current(port(), AdsClient.LDS, List.of())))
                .containsExactly("ingress_http"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("root", "secure")).contains("certificate delegation is missing"));

        // The meters move: rebuilds, objects by status, store sizes, streams, pushes and ACKs, status writes.
        String before = RestAssured.given().port(managementPort()).get("/q/metrics").asString();
        try (AdsClient envoy = new AdsClient("127.0.0.1", port(), "metrics-envoy")) {
            DiscoveryResponse cds = envoy.subscribe(AdsClient.CDS, List.of(), WAIT);
            envoy.ack(cds, List.of());
            await().atMost(WAIT).untilAsserted(() -> assertThat(metric(RestAssured.given().port(managementPort()).get("/q/metrics").asString(),
                    "isoline_xds_acks_total{type=\"cds\"}")).isGreaterThan(metric(before, "isoline_xds_acks_total{type=\"cds\"}")));
            String during = RestAssured.given().port(managementPort()).get("/q/metrics").asString();
            assertThat(metric(during, "isoline_xds_streams{type=\"ads\"}")).isGreaterThanOrEqualTo(1);
            assertThat(metric(during, "isoline_xds_pushes_total{type=\"cds\"}")).isGreaterThan(0);
        }
        String after = RestAssured.given().port(managementPort()).get("/q/metrics").asString();
        assertThat(metric(after, "isoline_snapshot_publishes_total")).isGreaterThan(3);
        assertThat(metric(after, "isoline_rebuild_seconds_count")).isGreaterThanOrEqualTo(metric(after, "isoline_snapshot_publishes_total"));
        assertThat(metric(after, "isoline_objects{kind=\"IngressRoute\",status=\"orphaned\"}")).isEqualTo(1);
        assertThat(metric(after, "isoline_store_objects{kind=\"IngressRoute\"}")).isEqualTo(5);
        assertThat(metric(after, "isoline_status_writes_total")).isGreaterThan(4);
        assertThat(metric(after, "isoline_status_write_seconds_count")).as("every patch timed")
                .isEqualTo(metric(after, "isoline_status_writes_total") + metric(after, "isoline_status_failures_total"));
        assertThat(metric(after, "isoline_objects_namespace{kind=\"IngressRoute\",namespace=\"team\",status=\"orphaned\"}"))
                .as("team/lonely").isEqualTo(1);
        assertThat(after.lines().filter(l -> l.startsWith("isoline_objects_namespace{")).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).sum()).as("per namespace adds up to per kind").isEqualTo(after.lines()
                .filter(l -> l.startsWith("isoline_objects{")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
        assertThat(after).containsPattern("isoline_build_info\\{java=\"[^\"]+\",version=\"0\\.1\\.0[^\"]*\"} 1\\.0");

        // An Ingress we stop serving (another class) has our address cleared.
        client().network().v1().ingresses().inNamespace("team").withName("web").edit(i -> {
            i.getMetadata().setAnnotations(Map.of("kubernetes.io/ingress.class", "nginx"));
            return i;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(client().network().v1().ingresses().inNamespace("team")
                .withName("web").get().getStatus().getLoadBalancer().getIngress()).isEmpty());
    }

    /**
     * After the test above started Kubernetes mode: a real Envoy, bootstrapped by the real
     * {@code bootstrap} command, routes traffic by objects in the API server and follows their edits.
     */
    @Test
    @Order(2)
    void realEnvoyFollowsTheApiServer(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        EnvoyProcess.require();
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            Backend one = Backend.http(vertx, "one", "127.0.4.2");
            Backend two = Backend.http(vertx, "two", "127.0.4.3");
            create(Manifests.serviceFor("real", "web", "", one) + """
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: web, namespace: real}
                    spec: {rules: [{host: real.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                    """);
            TranslateRunner.Run bootstrap = TranslateRunner.run(new BootstrapCommand(), "-", "--xds-port", String.valueOf(port()),
                    "--admin-port", "0", "--node-id", "k8s-envoy");
            assertThat(bootstrap.exitCode()).as(bootstrap.stderr()).isZero();
            try (EnvoyProcess envoy = EnvoyProcess.start(dir, bootstrap.stdout()).awaitReady();
                    EnvoyClient http = new EnvoyClient(vertx)) {
                await().atMost(WAIT).ignoreExceptions().until(() -> http.get(LISTENERS.httpPort(), "real.example.com", "/").backend(),
                        "one"::equals);
                // A second EndpointSlice (a scale-up): both backends answer.
                create(Manifests.serviceFor("real", "web", "", two).substring(Manifests.serviceFor("real", "web", "").length()));
                await().atMost(WAIT).until(() -> {
                    java.util.Set<String> seen = new java.util.TreeSet<>();
                    for (int i = 0; i < 20; i++) {
                        seen.add(http.get(LISTENERS.httpPort(), "real.example.com", "/").backend());
                    }
                    return seen.equals(java.util.Set.of("one", "two"));
                });
                client().network().v1().ingresses().inNamespace("real").withName("web").delete();
                await().atMost(WAIT).until(() -> http.get(LISTENERS.httpPort(), "real.example.com", "/").status() == 404);
                envoy.assertNoRejections();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /**
     * Last, because it ends the API server: a watch lost and not re-established makes the replica
     * not ready (the configuration it serves no longer follows the cluster), naming the watches.
     */
    @Test
    @Order(3)
    void aLostWatchMakesTheReplicaNotReady() {
        RestAssured.given().port(managementPort()).get("/q/health/ready").then().statusCode(200);
        server.after();
        await().atMost(WAIT).untilAsserted(() -> RestAssured.given().port(managementPort()).get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Kubernetes watches' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kubernetes watches' }.data.unhealthy", org.hamcrest.Matchers.containsString("ingressroutes")));
        RestAssured.given().port(managementPort()).get("/q/health/live").then().statusCode(200);
    }
}
