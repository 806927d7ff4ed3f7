package io.isoline.apiserver;

import static io.isoline.testing.IngressRoutes.child;
import static io.isoline.testing.IngressRoutes.delegate;
import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.toService;
import static io.isoline.testing.Manifests.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.isoline.k8s.IngressRoute;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.KubeApiServer;
import io.isoline.testing.Manifests;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode as a cluster runs it, against a real API server: the controller authenticated as
 * the install's ServiceAccount, statuses through the real status subresource, RBAC that is enough
 * and no more, and an API server restart in the middle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerIT extends ApiServerTier {

    @TempDir
    static Path dir;
    static IsolineProcess controller;

    @BeforeAll
    static void start() throws Exception {
        install(dir, "root", "team", "other");
        // Objects that exist before the controller starts.
        apply(backend("root", "home", "10.0.0.1") + backend("team", "app", "10.0.1.1") + backend("team", "web", "10.0.1.2")
                + root("root", "www", "www.example.com", toService("/", "home") + delegate("/blog", "team", "blog"))
                + child("team", "blog", toService("/blog", "app"))
                + root("other", "broken", "broken.example.com", "  - {match: /, services: [{name: missing, port: 80}]}\n")
                + Manifests.ingress("web", "web.example.com", "/", "Prefix", "web").replace("namespace: default", "namespace: team")
                + io.isoline.testing.Proxies.proxy("root", "shop", """
                        virtualhost: {fqdn: shop.example.com}
                        includes: [{name: cart, namespace: team, conditions: [{prefix: /cart}]}, {name: gone, namespace: team, conditions: [{prefix: /gone}]}]
                        routes: [{services: [{name: home, port: 80}]}]
                        """) + io.isoline.testing.Proxies.proxy("team", "cart", "routes: [{services: [{name: app, port: 80}]}]")
                + io.isoline.testing.Proxies.proxy("root", "store", """
                        virtualhost: {fqdn: store.example.com}
                        routes: [{services: [{name: home, port: 80}]}]
                        """));
        controller = controller(dir, "replica-a");
    }

    @Test
    @Order(1)
    void objectsAreServedAndStatusesGoThroughTheStatusSubresource() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(domains(controller)).contains("www.example.com", "web.example.com"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(status("root", "www")).isEqualTo("valid: valid IngressRoute");
            assertThat(status("team", "blog")).isEqualTo("valid: valid IngressRoute");
            assertThat(status("other", "broken")).startsWith("invalid: ").contains("missing");
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(api.kubectl("get", "httpproxy", "cart", "-n", "team", "-o",
                    "jsonpath={.status.currentStatus}/{.status.conditions[0].type}={.status.conditions[0].status}")).isEqualTo("valid/Valid=True");
            assertThat(api.kubectl("get", "httpproxy", "shop", "-n", "root", "-o", "jsonpath={.status.currentStatus}/"
                    + "{.status.conditions[0].status}/{.status.conditions[0].errors[0].type}/{.status.conditions[0].errors[0].reason}"))
                    .isEqualTo("invalid/False/IncludeError/IncludeNotFound");
        });
        assertThat(domains(controller)).contains("shop.example.com", "store.example.com");
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.kubectl("get", "httpproxy", "store", "-n", "root", "-o",
                "jsonpath={.status.loadBalancer.ingress[0].ip}")).as("a valid root gets Envoy's address").isEqualTo("192.0.2.10"));
        assertThat(api.kubectl("get", "httpproxy", "cart", "-n", "team", "-o", "jsonpath={.status.loadBalancer.ingress}"))
                .as("not an included one").isEmpty();
        // kubectl wait, as Contour users script it, works on the Valid condition.
        assertThat(api.kubectlResult("wait", "--for=condition=Valid", "--timeout=30s", "httpproxy/cart", "-n", "team").exit()).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(api.kubectl("get", "ingress", "web", "-n", "team", "-o",
                "jsonpath={.status.loadBalancer.ingress[0].ip}")).isEqualTo("192.0.2.10"));
        // Written on the status subresource (the spec is the tenant's: the controller never touches it).
        String managed = api.kubectl("get", "ingressroute", "www", "-n", "root", "--show-managed-fields", "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}/{.subresource}/{.fieldsV1}{\"\\n\"}{end}");
        assertThat(managed.lines().filter(l -> l.contains("f:status"))).singleElement()
                .satisfies(l -> assertThat(l).contains("/status/").doesNotContain("f:spec"));
    }

    @Test
    @Order(2)
    void theInstallsRbacIsEnoughAndNoMore() throws Exception {
        assertThat(controller.log()).doesNotContainIgnoringCase("forbidden");
        try (KubernetesClient asController = new KubernetesClientBuilder().withConfig(api.config(api.token("isoline-system", "isoline")))
                .build()) {
            assertThat(asController.secrets().inNamespace("team").list().getItems()).isNotNull();
            KubernetesClientException secret = catchThrowableOfType(KubernetesClientException.class, () -> asController.secrets()
                    .inNamespace("team").resource(new SecretBuilder().withNewMetadata().withName("stolen").endMetadata().build()).create());
            assertThat(secret.getCode()).isEqualTo(403);
            KubernetesClientException spec = catchThrowableOfType(KubernetesClientException.class, () -> asController
                    .resources(IngressRoute.class).inNamespace("root").withName("www").edit(ir -> {
                        ir.getSpec().routes.get(0).match = "/taken";
                        return ir;
                    }));
            assertThat(spec.getCode()).isEqualTo(403);
            KubernetesClientException delete = catchThrowableOfType(KubernetesClientException.class,
                    () -> asController.network().v1().ingresses().inNamespace("team").withName("web").delete());
            assertThat(delete.getCode()).isEqualTo(403);
            KubernetesClientException lease = catchThrowableOfType(KubernetesClientException.class,
                    () -> asController.leases().inNamespace("team").withName("isoline-leader").get());
            assertThat(lease.getCode()).as("Leases only in the controller's own namespace").isEqualTo(403);
        }
    }

    @Test
    @Order(3)
    void anApiServerRestartAndExpiredWatchesAreRiddenOutAndChangesOnBothSidesArrive() throws Exception {
        apply(root("root", "before", "before.example.com", toService("/", "home")));
        // Other writes move the store's revision on, so the informers' resourceVersions are old when it returns.
        for (int i = 0; i < 20; i++) {
            api.kubectl("create", "configmap", "churn-" + i, "-n", "other");
        }
        api.stopApiServer();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(controller)).as("watches lost: not ready").isEqualTo(503));
        assertThat(controller.alive()).isTrue();
        api.startApiServer();
        apply(root("root", "after", "after.example.com", toService("/", "home")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(domains(controller)).contains("before.example.com", "after.example.com"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(controller)).isEqualTo(200));
        await().atMost(WAIT).untilAsserted(() -> assertThat(status("root", "after")).isEqualTo("valid: valid IngressRoute"));
        // The churn made the informers' resourceVersions older than the new API server's watch cache:
        // their watches expired (410 Gone, which fabric8 logs at DEBUG) and they relisted, as above.
        long expired = controller.log().lines().filter(l -> l.contains("Watch restarting due to http gone")).count();
        System.out.println("after the restart: " + expired + " watches expired (410 Gone) and were relisted");
        assertThat(expired).isPositive();
    }

    @Test
    @Order(4)
    void watchNamespacesAndRootNamespacesAgainstTheRealApi() throws Exception {
        IsolineProcess scoped = controller(dir, "scoped", "--watch-namespaces=root,team", "--root-namespaces=root");
        apply(root("team", "rogue", "rogue.example.com", toService("/", "app"))
                + backend("other", "elsewhere", "10.0.2.1") + root("other", "elsewhere", "elsewhere.example.com", toService("/", "elsewhere")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(domains(controller)).contains("rogue.example.com", "elsewhere.example.com"));
        assertThat(domains(scoped)).contains("www.example.com", "web.example.com")
                .doesNotContain("rogue.example.com", "elsewhere.example.com", "broken.example.com");
        scoped.close();
    }

    /** 3,000 roots created at once: every one gets its status through the real API, and how long it takes. */
    @Test
    @Order(5)
    void threeThousandStatusesAreWritten() throws Exception {
        int n = 3_000;
        api.kubectl("create", "namespace", "bulk");
        StringBuilder yaml = new StringBuilder(backend("bulk", "app", "10.0.9.1"));
        for (int i = 0; i < n; i++) {
            yaml.append(root("bulk", "r" + i, "r" + i + ".bulk.example.com", toService("/", "app")));
        }
        long t0 = System.nanoTime();
        KubeApiServer.Result created = api.kubectlResultWithInput(yaml.toString(), "apply", "--server-side", "-f", "-");
        assertThat(created.exit()).as(created.out()).isZero();
        long t1 = System.nanoTime();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> api.kubectl("get", "ingressroute", "-n",
                "bulk", "-o", "jsonpath={range .items[*]}{.status.currentStatus}{\"\\n\"}{end}").lines().filter("valid"::equals).count() == n);
        long t2 = System.nanoTime();
        System.out.printf("API server: %d IngressRoutes created in %.1f s; all %d statuses valid %.1f s after the last create%n",
                n, (t1 - t0) / 1e9, n, (t2 - t1) / 1e9);
        assertThat(domains(controller)).contains("r0.bulk.example.com", "r" + (n - 1) + ".bulk.example.com");
    }
}
