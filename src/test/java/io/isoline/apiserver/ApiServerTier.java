package io.isoline.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.isoline.testing.AdsClient;
import io.isoline.testing.IsolineProcess;
import io.isoline.testing.KubeApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * What the API-server tests share: one real API server per class with deploy/isoline.yaml
 * installed, and controllers run as processes ({@code isoline serve}) authenticated as the
 * install's ServiceAccount with a bound token, so they have exactly the RBAC the install grants.
 */
abstract class ApiServerTier {

    static KubeApiServer api;
    static Path kubeconfig;
    static final List<IsolineProcess> controllers = new ArrayList<>();
    /** A controller's start and sync on a loaded 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(60);

    /** Starts the API server in {@code dir}, installs deploy/ and creates {@code namespaces}. */
    static void install(Path dir, String... namespaces) throws Exception {
        api = KubeApiServer.start(dir.resolve("api"));
        api.installDeploy();
        for (String ns : namespaces) {
            api.kubectl("create", "namespace", ns);
        }
        kubeconfig = api.kubeconfig("isoline", api.token("isoline-system", "isoline"));
    }

    /** Starts {@code isoline serve <args>} as replica {@code identity} and waits until it is ready. */
    static IsolineProcess controller(Path dir, String identity, String... args) throws Exception {
        List<String> serve = new ArrayList<>(List.of("serve"));
        serve.addAll(List.of(args));
        IsolineProcess p = IsolineProcess.start(dir.resolve(identity + ".log"), KubeApiServer.controllerEnv(kubeconfig, identity),
                List.of("-Disoline.rebuild.holdoff=20ms", "-Disoline.rebuild.max-delay=200ms", "-Disoline.readiness.watch-grace=5s",
                        // fabric8's informers say at DEBUG when a watch expired (410 Gone) and they relisted
                        "-Dquarkus.log.category.\"io.fabric8.kubernetes.client.informers.impl.cache.Reflector\".level=DEBUG"),
                serve.toArray(String[]::new));
        controllers.add(p);
        p.awaitListening(WAIT.toMillis());
        try {
            org.awaitility.Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> ready(p) == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String log = p.log();
            throw new AssertionError("controller " + identity + " not ready in " + WAIT + "; its log ends:\n"
                    + log.substring(Math.max(0, log.length() - 6000)), e);
        }
        return p;
    }

    /** The controller's readiness status code. */
    static int ready(IsolineProcess p) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            for (IsolineProcess p : controllers) {
                p.close();
            }
        } finally {
            controllers.clear();
            if (api != null) {
                api.close();
            }
            api = null;
        }
    }

    /** {@code kubectl apply} as the admin (a tenant or an operator writing objects). */
    static void apply(String yaml) throws Exception {
        KubeApiServer.Result r = api.kubectlResultWithInput(yaml, "apply", "-f", "-");
        assertThat(r.exit()).as(r.out()).isZero();
    }

    /** An IngressRoute's status as {@code currentStatus: description}, or ": " when it has none. */
    static String status(String namespace, String name) throws Exception {
        return api.kubectl("get", "ingressroute", name, "-n", namespace, "-o", "jsonpath={.status.currentStatus}: {.status.description}");
    }

    /** The plain-HTTP route table a controller serves right now, over ADS. */
    static RouteConfiguration httpRoutes(IsolineProcess p) throws InterruptedException {
        return AdsClient.unpack(AdsClient.current(p.port, AdsClient.RDS, List.of("ingress_http")), RouteConfiguration.class).get(0);
    }

    /** The domains of the virtual hosts a controller serves on plain HTTP. */
    static List<String> domains(IsolineProcess p) throws InterruptedException {
        return httpRoutes(p).getVirtualHostsList().stream().flatMap(v -> v.getDomainsList().stream()).toList();
    }
}
