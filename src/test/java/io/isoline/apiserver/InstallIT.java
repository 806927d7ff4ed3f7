package io.isoline.apiserver;

import static io.isoline.testing.IngressRoutes.root;
import static io.isoline.testing.IngressRoutes.toService;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.isoline.testing.KubeApiServer;
import io.isoline.testing.Helm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user installs, applied to a real API server with {@code kubectl apply --server-side}:
 * deploy/isoline.yaml, the Helm chart's rendered manifests and the OLM bundle's CRDs; and what the
 * API server then does with our CRDs (schema validation, pruning, printer columns).
 */
class InstallIT {

    @TempDir
    static Path dir;
    static KubeApiServer api;

    @BeforeAll
    static void start() throws Exception {
        api = KubeApiServer.start(dir.resolve("api"));
        assertThat(api.installDeploy())
                .contains("customresourcedefinition.apiextensions.k8s.io/ingressroutes.contour.heptio.com serverside-applied");
        api.kubectl("create", "namespace", "team");
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void deployManifestsApplyCleanlyAndAgainWithoutChanges() throws Exception {
        String objects = api.kubectl("get", "-n", "isoline-system", "serviceaccount/isoline", "role/isoline-leader-election",
                "rolebinding/isoline-leader-election", "service/isoline", "deployment/isoline", "deployment/isoline-certgen",
                "serviceaccount/isoline-certgen", "role/isoline-certgen", "-o", "name");
        assertThat(objects.lines()).hasSize(8);
        assertThat(api.kubectl("get", "clusterrole/isoline", "clusterrolebinding/isoline", "-o", "name").lines()).hasSize(2);
        // A second apply by the same manager changes nothing: what the files say is what the server keeps.
        KubeApiServer.Result diff = api.kubectlResult("diff", "--server-side", "--field-manager=" + KubeApiServer.INSTALL_MANAGER, "-f", "deploy/isoline.yaml");
        assertThat(diff.exit()).as(diff.out()).isZero();
    }

    @Test
    void theBundlesCrdsAreTheObjectsDeployInstalled() throws Exception {
        for (String crd : io.isoline.packaging.BundleGenerator.CRDS) {
            KubeApiServer.Result diff = api.kubectlResult("diff", "--server-side", "--field-manager=" + KubeApiServer.INSTALL_MANAGER, "--force-conflicts",
                    "-f", "bundle/manifests/" + crd + ".crd.yaml");
            assertThat(diff.out().lines().filter(l -> l.startsWith("+") || l.startsWith("-"))
                    .filter(l -> !l.startsWith("+++") && !l.startsWith("---")).filter(l -> !l.contains("generation"))
                    .filter(l -> !l.contains("app.kubernetes.io/") && !l.contains("quarkus"))).as(crd + ":\n" + diff.out()).isEmpty();
        }
    }

    @Test
    void theChartsRenderedManifestsApplyServerSide() throws Exception {
        api.kubectl("create", "namespace", "ingress");
        Helm.Result render = Helm.run("template", "edge", Helm.CHART.toString(), "--namespace", "ingress");
        assertThat(render.code()).as(render.err()).isZero();
        String manifests = render.out();
        // The chart's CRDs are the ones deploy/ installed; its other objects are its own.
        KubeApiServer.Result applied = api.kubectlResultWithInput(manifests, "apply", "--server-side", "--field-manager=helm-test",
                "-n", "ingress", "-f", "-");
        assertThat(applied.exit()).as(applied.out()).isZero();
        assertThat(api.kubectl("get", "-n", "ingress", "daemonset/edge-envoy", "deployment/edge-isoline", "service/edge-envoy",
                "serviceaccount/edge-isoline", "job/edge-certgen", "-o", "name").lines()).hasSize(5);
        var chart = Helm.byKindAndName(manifests);
        List<String> bootstrap = new java.util.ArrayList<>();
        chart.get("DaemonSet/edge-envoy").at("/spec/template/spec/initContainers/0/args").forEach(a -> bootstrap.add(a.asText()));
        secureByDefault(new SecureInstall("ingress", chart.get("Job/edge-certgen"), chart.get("Deployment/edge-isoline"),
                "edge-isoline-xds", "edge-envoy-xds", bootstrap));
    }

    /**
     * {@code helm install} and {@code helm upgrade} against the real API server (without hooks:
     * nothing runs the certgen Job's pod here): the notes say what was installed and how to upgrade
     * CRDs, and an upgrade that changes nothing keeps Envoy's shutdown token, so no Envoy restarts.
     */
    @Test
    void helmInstallPrintsItsNotesAndAnUnchangedUpgradeRestartsNoEnvoy() throws Exception {
        String kubeconfig = api.adminKubeconfig().toString();
        String[] release = {"notes", Helm.CHART.toString(), "-n", "helmns", "--no-hooks", "--kubeconfig", kubeconfig,
                "--set", "controller.ingressClassName=notes"};
        List<String> install = new java.util.ArrayList<>(List.of("install"));
        install.addAll(List.of(release));
        install.add("--create-namespace");
        Helm.Result installed = Helm.run(install.toArray(String[]::new));
        assertThat(installed.code()).as(installed.err()).isZero();
        assertThat(installed.out()).contains("NOTES:", "xDS:        mutual TLS (certgen", "ingress class \"notes\" only",
                "kubectl apply --server-side -f <chart>/crds/");
        String path = "jsonpath={.spec.template.spec.containers[0].lifecycle.preStop.httpGet.httpHeaders[0].value}";
        String token = api.kubectl("get", "daemonset", "notes-envoy", "-n", "helmns", "-o", path);
        assertThat(token).hasSize(32);
        List<String> upgrade = new java.util.ArrayList<>(List.of("upgrade"));
        upgrade.addAll(List.of(release));
        Helm.Result upgraded = Helm.run(upgrade.toArray(String[]::new));
        assertThat(upgraded.code()).as(upgraded.err()).isZero();
        assertThat(api.kubectl("get", "daemonset", "notes-envoy", "-n", "helmns", "-o", path)).isEqualTo(token);
        assertThat(api.kubectl("get", "daemonset", "notes-envoy", "-n", "helmns", "-o", "jsonpath={.metadata.generation}"))
                .as("the pod template did not change").isEqualTo("1");
    }

    /**
     * deploy/ is mutual TLS with no manual step too: its certgen Deployment writes the Secrets (and
     * stays, to re-issue them before they expire), the controller's Deployment mounts its own and
     * serves TLS only; Envoy, run as docs/kubernetes.md says, gets its configuration.
     */
    @Test
    void deployManifestsRunXdsOverMutualTlsWithCertificatesTheyIssue() throws Exception {
        var deploy = Helm.byKindAndName(java.nio.file.Files.readString(Path.of("deploy/isoline.yaml")));
        secureByDefault(new SecureInstall("isoline-system", deploy.get("Deployment/isoline-certgen"), deploy.get("Deployment/isoline"),
                "isoline-xds", "envoy-xds", List.of("bootstrap", "/config/envoy.json", "--xds-address=isoline.isoline-system.svc",
                        "--xds-port=80", "--xds-ca-file=/certs/ca.crt", "--xds-cert-file=/certs/tls.crt", "--xds-key-file=/certs/tls.key")));
    }

    /** One install path's mutual-TLS pieces as it renders them; Envoy's bootstrap arguments with /certs/ paths. */
    private record SecureInstall(String namespace, JsonNode certgen, JsonNode controller, String controllerSecret, String envoySecret,
            List<String> envoyBootstrap) {
    }

    /**
     * An install path's mutual TLS end to end, each piece as it is rendered: the certgen
     * workload's command as its ServiceAccount writes the Secrets; the controller, with its
     * Deployment's environment and the controller Secret's files, serves only clients its CA
     * vouches for; a real Envoy bootstrapped with those arguments and the Envoy Secret's files gets
     * its configuration. (Nothing runs pods here, so the test runs what the pods would.)
     */
    private static void secureByDefault(SecureInstall install) throws Exception {
        String ns = install.namespace();
        var certgenPod = install.certgen().at("/spec/template/spec");
        List<String> certgen = new java.util.ArrayList<>();
        certgenPod.at("/containers/0/args").forEach(a -> certgen.add(a.asText()));
        String token = api.token(ns, certgenPod.at("/serviceAccountName").asText());
        java.util.Map<String, String> certgenEnv = java.util.Map.of("KUBECONFIG", api.kubeconfig("certgen-" + ns, token).toString(),
                "POD_NAMESPACE", ns);
        try (var running = io.isoline.testing.IsolineProcess.start(dir.resolve("certgen-" + ns + ".log"), certgenEnv, List.of(),
                certgen.toArray(String[]::new))) {
            org.awaitility.Awaitility.await().atMost(KubeApiServer.WAIT).until(() -> running.log()
                    .contains("wrote Secrets " + ns + "/" + install.controllerSecret() + " and " + ns + "/" + install.envoySecret()));
        }
        Path controllerCerts = secretFiles(ns, install.controllerSecret());
        Path envoyCerts = secretFiles(ns, install.envoySecret());

        var container = install.controller().at("/spec/template/spec/containers/0");
        java.util.Map<String, String> env = Helm.environment(container, controllerCerts);
        int port = io.isoline.testing.IsolineProcess.freePort();
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(port));
        env.put("ISOLINE_XDS_ADDRESS", "127.0.0.1");
        env.put("ISOLINE_MANAGEMENT_PORT", String.valueOf(io.isoline.testing.IsolineProcess.freePort()));
        try (var controller = io.isoline.testing.IsolineProcess.start(dir.resolve("controller-" + ns + ".log"), env, List.of(), "serve",
                "--manifests", "examples", "--envoy-address", "127.0.0.1", "--envoy-http-port",
                String.valueOf(io.isoline.testing.IsolineProcess.freePort()), "--envoy-https-port",
                String.valueOf(io.isoline.testing.IsolineProcess.freePort()))) {
            org.awaitility.Awaitility.await().atMost(KubeApiServer.WAIT).until(() -> controller.log().contains("Listening on: https://"));
            assertThat(controller.log()).doesNotContain("Listening on: http://");
            List<String> bootstrap = new java.util.ArrayList<>(List.of("bootstrap", "-"));
            for (String a : install.envoyBootstrap()) {
                String arg = a.replace("/certs/", envoyCerts + "/");
                if (arg.startsWith("--xds-address=")) {
                    arg = "--xds-address=127.0.0.1"; // the Service's name does not resolve here
                } else if (arg.startsWith("--xds-port=")) {
                    arg = "--xds-port=" + port;
                }
                // Fixed admin and stats ports would collide on a shared test machine: any free admin port, no stats listener.
                if (arg.startsWith("--") && !arg.startsWith("--admin-port=") && !arg.startsWith("--stats-port=")) {
                    bootstrap.add(arg);
                }
            }
            bootstrap.addAll(List.of("--admin-port", "0"));
            io.isoline.testing.EnvoyProcess.require();
            try (var envoy = io.isoline.testing.EnvoyProcess.start(dir.resolve("envoy-" + ns),
                    io.isoline.testing.IsolineProcess.run(bootstrap.toArray(String[]::new))).awaitReady()) {
                assertThat(envoy.stat("control_plane.connected_state")).isEqualTo(1);
                envoy.assertNoRejections();
            }
        }
    }

    /** A Secret's tls.crt, tls.key and ca.crt as files, where a pod would mount them. */
    private static Path secretFiles(String ns, String name) throws Exception {
        Path out = java.nio.file.Files.createDirectories(dir.resolve("mounted").resolve(ns).resolve(name)).toAbsolutePath();
        for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
            String b64 = api.kubectl("get", "secret", name, "-n", ns, "-o", "jsonpath={.data." + key.replace(".", "\\.") + "}");
            java.nio.file.Files.write(out.resolve(key), java.util.Base64.getDecoder().decode(b64.trim()));
        }
        return out;
    }

    @Test
    void theApiServerRefusesIngressRoutesOfTheWrongShapeNamingTheField() throws Exception {
        String good = root("team", "www", "www.example.com", "  - {match: /, services: [{name: app, port: 80, weight: 10}]}\n");
        assertThat(apply(good).exit()).as(apply(good).out()).isZero();

        KubeApiServer.Result typo = apply(good.replace("weight: 10", "wieght: 10").replace("name: www,", "name: typo,"));
        assertThat(typo.exit()).isNotZero();
        assertThat(typo.out()).contains("unknown field \"spec.routes[0].services[0].wieght\"");

        KubeApiServer.Result type = apply(good.replace("port: 80", "port: eighty").replace("name: www,", "name: type,"));
        assertThat(type.exit()).isNotZero();
        assertThat(type.out()).contains("spec.routes[0].services[0].port").contains("must be of type integer");

        KubeApiServer.Result range = apply(good.replace("weight: 10", "weight: 2147483648").replace("name: www,", "name: range,"));
        assertThat(range.exit()).isNotZero();
        assertThat(range.out()).contains("spec.routes[0].services[0].weight").contains("should be less than or equal to 2147483647");

        // Contour's constraints: enums, patterns, required fields, each refusal naming the field.
        java.util.Map<String, String[]> refused = new java.util.LinkedHashMap<>();
        refused.put("strategy", new String[] {"weight: 10", "weight: 10, strategy: Fastest",
                "spec.routes[0].services[0].strategy: Unsupported value: \"Fastest\""});
        refused.put("tls", new String[] {"fqdn: www.example.com", "fqdn: www.example.com, tls: {secretName: s, minimumProtocolVersion: '1.0'}",
                "spec.virtualhost.tls.minimumProtocolVersion: Unsupported value: \"1.0\""});
        refused.put("fqdn", new String[] {"fqdn: www.example.com", "fqdn: '*.example.com'", "spec.virtualhost.fqdn in body should match"});
        refused.put("match", new String[] {"match: /,", "match: shop,", "spec.routes[0].match in body should match"});
        refused.put("nomatch", new String[] {"match: /,", "", "spec.routes[0].match: Required value"});
        refused.put("noport", new String[] {"port: 80, ", "", "spec.routes[0].services[0].port: Required value"});
        refused.put("service", new String[] {"name: app", "name: App_1", "spec.routes[0].services[0].name in body should match"});
        for (var r : refused.entrySet()) {
            KubeApiServer.Result result = apply(good.replace(r.getValue()[0], r.getValue()[1]).replace("name: www,", "name: " + r.getKey() + ","));
            assertThat(result.exit()).as(r.getKey() + ": " + result.out()).isNotZero();
            assertThat(result.out()).as(r.getKey()).contains(r.getValue()[2]);
        }
        assertThat(api.kubectl("get", "ir", "www", "-n", "team", "-o", "name")).as("the short name").contains("ingressroute");
        assertThat(api.kubectl("get", "contour", "-n", "team", "-o", "name")).as("the category").contains("ingressroute.contour.heptio.com/www");

        // Without strict validation an unknown field is pruned: the server never stores it.
        assertThat(api.kubectlResultWithInput(good.replace("weight: 10", "weight: 10, extra: 1").replace("name: www,", "name: pruned,"),
                "apply", "--validate=false", "-f", "-").exit()).isZero();
        assertThat(api.kubectl("get", "ingressroute", "pruned", "-n", "team", "-o", "jsonpath={.spec.routes[0].services[0]}"))
                .contains("\"weight\":10").doesNotContain("extra");
    }

    @Test
    void kubectlShowsThePrinterColumns() throws Exception {
        assertThat(apply(root("team", "columns", "columns.example.com", toService("/shop", "app"))).exit()).isZero();
        String table = api.kubectl("get", "ingressroute", "columns", "-n", "team");
        assertThat(table.lines().findFirst().orElseThrow().split("\\s{2,}"))
                .containsExactly("NAME", "FQDN", "TLS SECRET", "FIRST ROUTE", "STATUS", "STATUS DESCRIPTION");
        assertThat(table).contains("columns.example.com").contains("/shop");
    }

    private static KubeApiServer.Result apply(String yaml) throws Exception {
        return api.kubectlResultWithInput(yaml, "apply", "-f", "-");
    }

    /**
     * {@code certgen --kubernetes} as a ServiceAccount with only what it needs (create Secrets; get and
     * patch its two): writes the pair, keeps it while it is valid for longer than --renew-before,
     * and rotates it (a new CA) when not.
     */
    @Test
    void certgenWritesKeepsAndRotatesTheSecretsWithNarrowRbac() throws Exception {
        api.kubectl("create", "namespace", "certs");
        api.kubectl("create", "serviceaccount", "certgen", "-n", "certs");
        api.kubectl("create", "role", "certgen", "-n", "certs", "--verb=get,patch", "--resource=secrets",
                "--resource-name=isoline-xds", "--resource-name=envoy-xds", "--resource-name=isoline-xds-ca");
        api.kubectl("create", "role", "certgen-create", "-n", "certs", "--verb=create", "--resource=secrets");
        api.kubectl("create", "rolebinding", "certgen", "-n", "certs", "--role=certgen", "--serviceaccount=certs:certgen");
        api.kubectl("create", "rolebinding", "certgen-create", "-n", "certs", "--role=certgen-create", "--serviceaccount=certs:certgen");
        java.util.Map<String, String> env = java.util.Map.of("KUBECONFIG",
                api.kubeconfig("certgen", api.token("certs", "certgen")).toString());

        String first = io.isoline.testing.IsolineProcess.run(env, "certgen", "--kubernetes", "--namespace", "certs", "--validity", "2h",
                "--renew-before", "1h", "--ca-validity", "5h");
        assertThat(first).startsWith("wrote Secrets certs/isoline-xds and certs/envoy-xds").doesNotContain("PRIVATE KEY");
        assertThat(api.kubectl("get", "secret", "isoline-xds", "-n", "certs", "-o", "jsonpath={.type} {.data.tls\\.crt}"))
                .startsWith("kubernetes.io/tls LS0t");
        String ca = api.kubectl("get", "secret", "envoy-xds", "-n", "certs", "-o", "jsonpath={.data.ca\\.crt}");
        assertThat(api.kubectl("get", "secret", "isoline-xds", "-n", "certs", "-o", "jsonpath={.data.ca\\.crt}")).isEqualTo(ca);

        assertThat(io.isoline.testing.IsolineProcess.run(env, "certgen", "--kubernetes", "--namespace", "certs", "--validity", "2h",
                "--renew-before", "1h")).contains(": kept");
        // Renewal keeps the CA: the re-issued pair chains to what both sides already trust, so nothing restarts.
        String envoyCert = api.kubectl("get", "secret", "envoy-xds", "-n", "certs", "-o", "jsonpath={.data.tls\\.crt}");
        assertThat(io.isoline.testing.IsolineProcess.run(env, "certgen", "--kubernetes", "--namespace", "certs", "--validity", "3h",
                "--renew-before", "2h")).startsWith("wrote Secrets").contains("the CA in certs/isoline-xds-ca kept");
        assertThat(api.kubectl("get", "secret", "envoy-xds", "-n", "certs", "-o", "jsonpath={.data.tls\\.crt}")).isNotEqualTo(envoyCert);
        assertThat(api.kubectl("get", "secret", "envoy-xds", "-n", "certs", "-o", "jsonpath={.data.ca\\.crt}")).isEqualTo(ca);
        // A CA that would end before a new pair does is replaced (said so: Envoys need a restart to trust it).
        assertThat(io.isoline.testing.IsolineProcess.run(env, "certgen", "--kubernetes", "--namespace", "certs", "--validity", "10h",
                "--renew-before", "5h")).startsWith("wrote Secrets").contains("a new CA in certs/isoline-xds-ca");
        assertThat(api.kubectl("get", "secret", "envoy-xds", "-n", "certs", "-o", "jsonpath={.data.ca\\.crt}")).isNotEqualTo(ca);
        assertThat(api.kubectl("get", "secret", "isoline-xds-ca", "-n", "certs", "-o", "jsonpath={.type}")).isEqualTo("Opaque");
        assertThat(api.kubectlResult("auth", "can-i", "get", "secret/other", "-n", "certs", "--as=system:serviceaccount:certs:certgen")
                .out().trim()).isEqualTo("no");
    }
}
