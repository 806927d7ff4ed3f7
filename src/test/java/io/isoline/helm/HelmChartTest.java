package io.isoline.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.isoline.testing.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, rendered by a real Helm 3 binary ({@code .ci/install-helm} installs one into
 * {@code .tools/helm}; CI requires it, elsewhere the test is skipped with that hint).
 */
class HelmChartTest {

    private static final Path CHART = Helm.CHART;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @BeforeAll
    static void findHelm() {
        Helm.require();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void lintPasses() throws Exception {
        Helm.Result r = Helm.run("lint", CHART.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
    }

    @Test
    void defaultsInstallTheControllerAndEnvoyAsADaemonSetBootstrappedByIsoline() throws Exception {
        Map<String, JsonNode> objects = Helm.render();
        JsonNode controller = objects.get("Deployment/edge-isoline").at("/spec/template/spec");
        assertThat(controller.at("/serviceAccountName").asText()).isEqualTo("edge-isoline");
        assertThat(texts(controller.at("/containers/0/args"))).containsExactly("serve", "--envoy-http-port=8080", "--envoy-https-port=8443",
                "--merge-slashes", "--escaped-slashes=keep", "--headers-with-underscores=drop", "--request-headers-timeout=10s",
                "--stream-idle-timeout=5m", "--connection-idle-timeout=1h", "--http2-max-concurrent-streams=100", "--access-log=text");
        Map<String, String> env = new HashMap<>();
        controller.at("/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
        assertThat(env).containsEntry("ISOLINE_LEADER_ELECTION_ENABLED", "true").containsEntry("ISOLINE_LOG_JSON", "false")
                .containsEntry("ISOLINE_STATUS_ENVOY_SERVICE", "ingress/edge-envoy").containsEntry("ISOLINE_XDS_ADDRESS", "0.0.0.0");
        assertThat(objects.get("Deployment/edge-isoline").at("/spec/replicas").asInt()).isEqualTo(2);

        JsonNode envoy = objects.get("DaemonSet/edge-envoy").at("/spec/template/spec");
        assertThat(texts(envoy.at("/initContainers/0/args"))).containsExactly("bootstrap", "/config/envoy.json",
                "--xds-address=edge-isoline.ingress.svc", "--xds-port=8001", "--max-downstream-connections=50000",
                "--admin-port=9001", "--stats-port=8002",
                "--xds-ca-file=/certs/ca.crt", "--xds-cert-file=/certs/tls.crt", "--xds-key-file=/certs/tls.key");
        assertThat(texts(envoy.at("/containers/0/args"))).containsExactly("-c", "/config/envoy.json", "--log-level", "info");
        JsonNode envoyService = objects.get("Service/edge-envoy").at("/spec");
        assertThat(envoyService.at("/type").asText()).isEqualTo("LoadBalancer");
        assertThat(envoyService.at("/ports/0/port").asInt()).isEqualTo(80);
        assertThat(envoyService.at("/ports/1/port").asInt()).isEqualTo(443);
        assertThat(objects.get("Service/edge-isoline").at("/spec/ports/0/port").asInt()).isEqualTo(8001);
        assertThat(objects).containsKeys("Role/edge-isoline-leader-election", "RoleBinding/edge-isoline-leader-election");
    }

    @Test
    void valuesSwitchEnvoyToADeploymentAndScopeTheController() throws Exception {
        Map<String, JsonNode> objects = Helm.render("envoy.kind=Deployment", "envoy.replicas=3", "controller.watchNamespaces={a,b}",
                "controller.rootNamespaces={ingress}", "controller.ingressClassName=internal", "controller.leaderElection=false",
                "envoy.service.type=NodePort", "image.tag=1.2.3");
        assertThat(objects).doesNotContainKey("DaemonSet/edge-envoy");
        assertThat(objects.get("Deployment/edge-envoy").at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode container = objects.get("Deployment/edge-isoline").at("/spec/template/spec/containers/0");
        assertThat(texts(container.at("/args"))).contains("--watch-namespaces=a,b", "--root-namespaces=ingress",
                "--ingress-class-name=internal");
        assertThat(container.at("/image").asText()).isEqualTo("isoline/isoline:1.2.3");
        assertThat(texts(Helm.render("controller.serveContourClass=true").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/args"))).contains("--serve-contour-class");
        assertThat(texts(container.at("/args"))).doesNotContain("--enable-external-name-service");
        assertThat(texts(Helm.render("controller.enableExternalNameService=true").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/args"))).contains("--enable-external-name-service");
        assertThat(texts(container.at("/args"))).doesNotContain("--disable-permit-insecure");
        assertThat(texts(Helm.render("controller.disablePermitInsecure=true").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/args"))).contains("--disable-permit-insecure");
        assertThat(texts(container.at("/args"))).noneMatch(a -> a.startsWith("--fallback-certificate") || a.startsWith("--conflicting-roots"));
        assertThat(texts(Helm.render("controller.conflictingRoots=none").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/args"))).contains("--conflicting-roots=none");
        assertThat(texts(Helm.render("controller.fallbackCertificate=certs/fallback").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/args"))).contains("--fallback-certificate=certs/fallback");
        assertThat(objects.get("Service/edge-envoy").at("/spec/type").asText()).isEqualTo("NodePort");
        // JVM options: the image's unless given (they size the heap from the memory limit).
        assertThat(Helm.render().get("Deployment/edge-isoline").at("/spec/template/spec/containers/0/env").findValuesAsText("name"))
                .doesNotContain("JAVA_OPTS");
        JsonNode env = Helm.render("controller.javaOpts=-XX:MaxRAMPercentage=60 -XX:+UseSerialGC").get("Deployment/edge-isoline")
                .at("/spec/template/spec/containers/0/env");
        assertThat(env.findValues("value").stream().map(JsonNode::asText)).contains("-XX:MaxRAMPercentage=60 -XX:+UseSerialGC");
    }

    /** The chart's edge values become options the controller takes, and reach every HTTP connection manager. */
    @Test
    void edgeValuesReachEnvoysConnectionManagers() throws Exception {
        Map<String, JsonNode> objects = Helm.render("envoy.edge.mergeSlashes=false", "envoy.edge.escapedSlashes=reject",
                "envoy.edge.headersWithUnderscores=allow", "envoy.edge.requestHeadersTimeout=3s", "envoy.edge.http2MaxConcurrentStreams=1000",
                "envoy.edge.maxDownstreamConnections=1000000");
        List<String> args = texts(objects.get("Deployment/edge-isoline").at("/spec/template/spec/containers/0/args"));
        List<String> translate = new ArrayList<>(List.of("-f", "examples"));
        args.stream().filter(a -> !a.startsWith("--envoy-") && !a.equals("serve")).forEach(translate::add);
        io.isoline.cli.TranslateRunner.Run run = io.isoline.cli.TranslateRunner.run(translate.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode hcm = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.stdout())
                .at("/listeners/0/filterChains/0/filters/0/typedConfig");
        assertThat(hcm.has("mergeSlashes")).as("merge_slashes off").isFalse();
        assertThat(hcm.at("/pathWithEscapedSlashesAction").asText()).isEqualTo("REJECT_REQUEST");
        assertThat(hcm.at("/commonHttpProtocolOptions/headersWithUnderscoresAction").isMissingNode()).as("ALLOW is the default").isTrue();
        assertThat(hcm.at("/requestHeadersTimeout").asText()).isEqualTo("3s");
        assertThat(hcm.at("/http2ProtocolOptions/maxConcurrentStreams").asInt()).isEqualTo(1000);
        assertThat(texts(objects.get("DaemonSet/edge-envoy").at("/spec/template/spec/initContainers/0/args")))
                .contains("--max-downstream-connections=1000000");
    }

    /** By default xDS is mutual TLS, with the certificates a certgen Job issues before anything starts. */
    @Test
    void mutualTlsByDefaultWithCertgensSecrets() throws Exception {
        Map<String, JsonNode> objects = Helm.render();
        assertMutualTls(objects, "edge-isoline-xds", "edge-envoy-xds");
        JsonNode job = objects.get("Job/edge-certgen");
        assertThat(job.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("pre-install,pre-upgrade");
        assertThat(texts(job.at("/spec/template/spec/containers/0/args"))).containsExactly("certgen", "--kubernetes",
                "--namespace=ingress", "--service=edge-isoline", "--controller-secret=edge-isoline-xds", "--envoy-secret=edge-envoy-xds",
                "--ca-secret=edge-isoline-xds-ca");
        assertThat(job.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("edge-certgen");
        JsonNode rules = objects.get("Role/edge-certgen").get("rules");
        assertThat(rules.get(0).get("resourceNames")).extracting(JsonNode::asText).containsExactly("edge-isoline-xds", "edge-envoy-xds",
                "edge-isoline-xds-ca");
        assertThat(rules.get(0).get("verbs")).extracting(JsonNode::asText).containsExactly("get", "patch");
        assertThat(rules.get(1).get("verbs")).extracting(JsonNode::asText).containsExactly("create");
        assertThat(Integer.parseInt(objects.get("Role/edge-certgen").at("/metadata/annotations/helm.sh~1hook-weight").asText()))
                .as("its RBAC exists before the Job runs")
                .isLessThan(Integer.parseInt(job.at("/metadata/annotations/helm.sh~1hook-weight").asText()));
    }

    @Test
    void bringYourOwnSecretsOrAnExplicitUnsafePlainText() throws Exception {
        Map<String, JsonNode> own = Helm.render("xdsTls.mode=secrets", "xdsTls.controllerSecretName=isoline-xds", "xdsTls.envoySecretName=envoy-xds");
        assertMutualTls(own, "isoline-xds", "envoy-xds");
        assertThat(own).doesNotContainKey("Job/edge-certgen");

        JsonNode plain = Helm.render("xdsTls.mode=insecure-plaintext").get("Deployment/edge-isoline").at("/spec/template/spec/containers/0");
        assertThat(plain.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(plain.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
        assertThat(plain.get("env")).extracting(e -> e.get("name").asText()).doesNotContain("ISOLINE_XDS_REQUIRE_CLIENT_CERTIFICATE");

        Helm.Result half = Helm.run("template", "edge", CHART.toString(), "--set", "xdsTls.mode=secrets", "--set",
                "xdsTls.controllerSecretName=isoline-xds");
        assertThat(half.code()).isNotZero();
        assertThat(half.err()).contains("xdsTls.mode=secrets needs xdsTls.controllerSecretName and xdsTls.envoySecretName");
        // A typo in the mode is refused by values.schema.json (badValuesFailTheInstallNamingTheValue).
    }

    private static void assertMutualTls(Map<String, JsonNode> objects, String controllerSecret, String envoySecret) {
        JsonNode controller = objects.get("Deployment/edge-isoline").at("/spec/template/spec");
        JsonNode container = controller.at("/containers/0");
        Map<String, String> env = new HashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
        assertThat(env).containsEntry("ISOLINE_XDS_REQUIRE_CLIENT_CERTIFICATE", "true")
                .containsEntry("QUARKUS_HTTP_SSL_PORT", "8001").containsEntry("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled")
                .containsEntry("QUARKUS_TLS_KEY_STORE_PEM__0__CERT", "/certs/tls.crt")
                .containsEntry("QUARKUS_TLS_TRUST_STORE_PEM_CERTS", "/certs/ca.crt");
        assertThat(controller.at("/volumes")).extracting(v -> v.at("/secret/secretName").asText()).contains(controllerSecret);
        assertThat(container.at("/volumeMounts")).extracting(m -> m.get("mountPath").asText()).contains("/certs");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).as("plain HTTP probes on the management port")
                .isEqualTo("management");

        JsonNode envoy = objects.get("DaemonSet/edge-envoy").at("/spec/template/spec");
        assertThat(envoy.at("/initContainers/0/args")).extracting(JsonNode::asText).contains(
                "--xds-address=edge-isoline.ingress.svc", "--xds-ca-file=/certs/ca.crt",
                "--xds-cert-file=/certs/tls.crt", "--xds-key-file=/certs/tls.key");
        assertThat(envoy.at("/containers/0/volumeMounts")).extracting(m -> m.get("mountPath").asText()).contains("/certs");
        assertThat(envoy.at("/volumes")).extracting(v -> v.at("/secret/secretName").asText()).contains(envoySecret);
    }

    /** Only this release's Envoy pods may reach xDS; the management port is open to the chosen peers. */
    @Test
    void aNetworkPolicyLetsOnlyEnvoyReachXds() throws Exception {
        JsonNode policy = Helm.render().get("NetworkPolicy/edge-isoline").get("spec");
        assertThat(policy.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("controller");
        assertThat(policy.at("/policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress");
        JsonNode xds = policy.at("/ingress/0");
        assertThat(xds.at("/ports/0/port").asInt()).isEqualTo(8001);
        assertThat(xds.at("/from")).hasSize(1);
        assertThat(xds.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("envoy");
        assertThat(xds.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1instance").asText()).isEqualTo("edge");
        assertThat(policy.at("/ingress/1/ports/0/port").asInt()).isEqualTo(9000);
        assertThat(policy.at("/ingress/1/from").isMissingNode()).as("metrics from anywhere by default").isTrue();
        // No other rule opens the xDS port.
        assertThat(policy.get("ingress")).hasSize(2);

        JsonNode scoped = Helm.render("controller.networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring")
                .get("NetworkPolicy/edge-isoline").get("spec");
        assertThat(scoped.at("/ingress/1/from/0/namespaceSelector/matchLabels/name").asText()).isEqualTo("monitoring");
        assertThat(Helm.render("controller.networkPolicy.enabled=false")).doesNotContainKey("NetworkPolicy/edge-isoline");
    }

    /** An IngressClass for the served class; Prometheus Operator objects only when asked, aimed at the controller's management port. */
    @Test
    void anIngressClassByDefaultAndMonitorsOnlyWhenAsked() throws Exception {
        Map<String, JsonNode> defaults = Helm.render();
        assertThat(defaults.get("IngressClass/isoline").at("/spec/controller").asText()).isEqualTo("isoline.io/ingress-controller");
        assertThat(defaults.get("IngressClass/isoline").at("/metadata/annotations").isMissingNode()).isTrue();
        assertThat(defaults.keySet()).noneMatch(k -> k.startsWith("ServiceMonitor/") || k.startsWith("PodMonitor/"));
        Map<String, JsonNode> asked = Helm.render("controller.ingressClassName=internal", "ingressClass.default=true",
                "metrics.serviceMonitor.enabled=true", "metrics.podMonitor.enabled=true");
        assertThat(asked.get("IngressClass/internal").at("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class").asText())
                .isEqualTo("true");
        JsonNode selector = asked.get("ServiceMonitor/edge-isoline").at("/spec/selector/matchLabels");
        JsonNode service = asked.get("Service/edge-isoline");
        selector.fields().forEachRemaining(l -> assertThat(service.at("/metadata/labels/" + l.getKey().replace("/", "~1")).asText())
                .as("the ServiceMonitor selects the controller's Service: " + l.getKey()).isEqualTo(l.getValue().asText()));
        assertThat(asked.get("Service/edge-envoy").at("/metadata/labels/app.kubernetes.io~1component").asText()).isNotEqualTo("controller");
        assertThat(service.at("/spec/ports")).extracting(p -> p.get("name").asText()).contains("management");
        assertThat(asked.get("ServiceMonitor/edge-isoline").at("/spec/endpoints/0/port").asText()).isEqualTo("management");
        assertThat(asked.get("PodMonitor/edge-isoline").at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("management");
    }

    /** Envoy's readiness on the stats listener, and a drain before it stops that a caller without the pod's token cannot start. */
    @Test
    void envoyIsProbedOnItsStatsListenerAndDrainedByItsShutdownManagerBeforeItStops() throws Exception {
        Map<String, JsonNode> objects = Helm.render("envoy.shutdown.drainTimeoutSeconds=45");
        JsonNode pod = objects.get("DaemonSet/edge-envoy").at("/spec/template/spec");
        JsonNode envoy = pod.at("/containers/0");
        assertThat(envoy.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(envoy.at("/readinessProbe/httpGet/port").asText()).isEqualTo("stats");
        assertThat(envoy.at("/ports")).extracting(p -> p.get("name").asText() + "=" + p.get("containerPort").asInt()).contains("stats=8002");
        JsonNode hook = envoy.at("/lifecycle/preStop/httpGet");
        assertThat(hook.at("/path").asText()).isEqualTo("/shutdown");
        JsonNode manager = pod.at("/containers/1");
        assertThat(manager.get("name").asText()).isEqualTo("shutdown-manager");
        assertThat(texts(manager.get("args"))).containsExactly("envoy-shutdown-manager", "--port=8090", "--admin-port=9001",
                "--drain-timeout=45s", "--min-open-connections=0");
        assertThat(hook.at("/port").asInt()).isEqualTo(8090);
        String token = hook.at("/httpHeaders/0/value").asText();
        assertThat(hook.at("/httpHeaders/0/name").asText()).isEqualTo("X-Isoline-Shutdown-Token");
        assertThat(token).hasSize(32);
        JsonNode tokenRef = manager.at("/env/0/valueFrom/secretKeyRef");
        JsonNode secret = objects.get("Secret/" + tokenRef.get("name").asText());
        assertThat(new String(java.util.Base64.getDecoder().decode(secret.at("/data/" + tokenRef.get("key").asText()).asText())))
                .as("the hook shows the token the sidecar checks").isEqualTo(token);
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt()).as("longer than the drain").isGreaterThan(45);
        assertThat(Helm.render().get("DaemonSet/edge-envoy").at("/spec/template/spec/containers/0/lifecycle/preStop/httpGet/httpHeaders/0/value")
                .asText()).as("a new install, a new token").isNotEqualTo(token);
        String pinned = "gitops-pinned-token-0123456789abcdef";
        Map<String, JsonNode> gitops = Helm.render("envoy.shutdown.token=" + pinned);
        assertThat(gitops.get("DaemonSet/edge-envoy").at("/spec/template/spec/containers/0/lifecycle/preStop/httpGet/httpHeaders/0/value")
                .asText()).as("rendered without a cluster, the same every time").isEqualTo(pinned);
        assertThat(new String(java.util.Base64.getDecoder().decode(gitops.get("Secret/edge-envoy-shutdown").at("/data/token").asText())))
                .isEqualTo(pinned);
        assertThat(Helm.run("template", "edge", CHART.toString(), "--set", "envoy.shutdown.token=short").code()).as("too short").isNotZero();
    }

    /** namePrefix: every object the chart names starts with it (two installs in one namespace do not collide). */
    @Test
    void aNamePrefixNamesEveryObject() throws Exception {
        Map<String, JsonNode> objects = Helm.render("namePrefix=blue");
        assertThat(objects.keySet()).filteredOn(k -> !k.startsWith("IngressClass/") && !k.startsWith("CustomResourceDefinition/"))
                .isNotEmpty().allSatisfy(k -> assertThat(k.substring(k.indexOf('/') + 1)).startsWith("blue-"));
        assertThat(texts(objects.get("DaemonSet/blue-envoy").at("/spec/template/spec/initContainers/0/args")))
                .contains("--xds-address=blue-isoline.ingress.svc");
    }

    @Test
    void badValuesFailTheInstallNamingTheValue() throws Exception {
        Map<String, String> refusals = Map.of(
                "envoy.kind=Pod", "envoy.kind must be one of the following",
                "controller.xdsPort=70000", "controller.xdsPort: Must be less than or equal to 65535",
                "controller.replica=3", "Additional property replica is not allowed",
                "xdsTls.mode=plaintext", "xdsTls.mode must be one of the following",
                "envoy.edge.streamIdleTimeout=5 minutes", "envoy.edge.streamIdleTimeout: Does not match pattern",
                "controller.watchNamespaces={Team_A}", "controller.watchNamespaces.0: Does not match pattern",
                "image.digest=latest", "image.digest: Does not match pattern");
        for (var refusal : refusals.entrySet()) {
            Helm.Result r = Helm.run("template", "edge", CHART.toString(), "--set", refusal.getKey());
            assertThat(r.code()).as(refusal.getKey()).isNotZero();
            assertThat(r.err()).as(refusal.getKey()).contains(refusal.getValue());
        }
    }

    @Test
    void everyPodRunsLockedDownAndEnvoyHasNoKubernetesToken() throws Exception {
        Map<String, JsonNode> objects = Helm.render("envoy.kind=Deployment");
        for (String workload : List.of("Deployment/edge-isoline", "Deployment/edge-envoy", "Job/edge-certgen")) {
            JsonNode pod = objects.get(workload).at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(workload).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(workload).isEqualTo("RuntimeDefault");
            List<JsonNode> containers = new ArrayList<>();
            pod.path("initContainers").forEach(containers::add);
            pod.get("containers").forEach(containers::add);
            for (JsonNode c : containers) {
                String what = workload + " " + c.get("name").asText();
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                assertThat(texts(c.at("/securityContext/capabilities/drop"))).as(what).containsExactly("ALL");
            }
        }
        JsonNode envoy = objects.get("Deployment/edge-envoy").at("/spec/template/spec");
        assertThat(envoy.at("/serviceAccountName").asText()).isEqualTo("edge-envoy");
        assertThat(envoy.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(objects.get("ServiceAccount/edge-envoy").at("/automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(objects.get("PodDisruptionBudget/edge-isoline").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(objects).containsKey("PodDisruptionBudget/edge-envoy");
        assertThat(Helm.render()).as("a DaemonSet's pods go with their node: no budget").doesNotContainKey("PodDisruptionBudget/edge-envoy");
        String digest = "sha256:" + "a".repeat(64);
        Map<String, JsonNode> pinned = Helm.render("image.digest=" + digest);
        assertThat(pinned.get("Deployment/edge-isoline").at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("isoline/isoline@" + digest);
        assertThat(pinned.get("Job/edge-certgen").at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("isoline/isoline@" + digest);
    }

    @Test
    void rbacIsTheSameAsTheGeneratedManifestsAndCrdsAreTheGeneratedOnes() throws Exception {
        JsonNode chartRules = Helm.render().get("ClusterRole/edge-isoline").get("rules");
        JsonNode sourceRules = Helm.byKindAndName(Files.readString(Path.of("src/main/kubernetes/kubernetes.yml")))
                .get("ClusterRole/isoline").get("rules");
        assertThat(chartRules).isEqualTo(sourceRules);
        for (String crd : io.isoline.packaging.BundleGenerator.CRDS) {
            JsonNode inChart = YAML.readTree(CHART.resolve("crds/" + crd + ".yaml").toFile());
            JsonNode generated = io.isoline.packaging.BundleGenerator.generatedCrd(crd);
            assertThat(inChart).as("helm/isoline/crds/%s.yaml is stale: copy target/bundle/manifests/%s.crd.yaml there", crd, crd)
                    .isEqualTo(generated);
        }
    }
}
