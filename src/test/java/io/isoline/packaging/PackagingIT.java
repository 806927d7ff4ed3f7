package io.isoline.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OLM bundle and deploy/isoline.yaml: what the build generates ({@link BundleGenerator}) is
 * valid and equals the committed copies (after a change: {@code ./mvnw package -DskipTests}, then
 * {@code cp -r target/bundle/. bundle/ && cp target/deploy/isoline.yaml deploy/}).
 */
class PackagingIT {

    private static final String REFRESH = "stale: run ./mvnw package -DskipTests, then cp -r target/bundle/. bundle/ "
            + "&& cp target/deploy/isoline.yaml deploy/";

    @Test
    void clusterServiceVersionHasTheRequiredFieldsAndOwnsTheGeneratedCrds() throws Exception {
        JsonNode csv = BundleGenerator.YAML.readTree(Path.of("target/bundle/manifests/isoline.clusterserviceversion.yaml").toFile());
        assertThat(csv.at("/apiVersion").asText()).isEqualTo("operators.coreos.com/v1alpha1");
        assertThat(csv.at("/kind").asText()).isEqualTo("ClusterServiceVersion");
        assertThat(csv.at("/metadata/name").asText()).isEqualTo("isoline.v0.1.0");
        for (String field : new String[] {"/spec/displayName", "/spec/description", "/spec/version", "/spec/provider/name",
                "/spec/maturity", "/metadata/annotations/containerImage"}) {
            assertThat(csv.at(field).asText()).as(field).isNotBlank();
        }
        assertThat(csv.at("/spec/installModes")).hasSize(4);
        assertThat(csv.at("/spec/install/strategy").asText()).isEqualTo("deployment");
        JsonNode install = csv.at("/spec/install/spec");
        assertThat(install.at("/deployments/0/spec/template/spec/containers/0/args/0").asText()).isEqualTo("serve");
        Map<String, JsonNode> rbac = BundleGenerator.documents(Path.of("src/main/kubernetes/kubernetes.yml"));
        assertThat(install.at("/clusterPermissions/0/rules")).isEqualTo(rbac.get("ClusterRole/isoline").get("rules"));
        assertThat(install.at("/permissions/0/rules")).isEqualTo(rbac.get("Role/isoline-leader-election").get("rules"));

        JsonNode owned = csv.at("/spec/customresourcedefinitions/owned");
        assertThat(owned).hasSize(BundleGenerator.CRDS.size());
        for (JsonNode o : owned) {
            String name = o.get("name").asText();
            JsonNode generated = BundleGenerator.generatedCrd(name);
            assertThat(o.get("kind").asText()).isEqualTo(generated.at("/spec/names/kind").asText());
            assertThat(o.get("version").asText()).isEqualTo(generated.at("/spec/versions/0/name").asText());
            assertThat(o.get("description").asText()).isNotBlank();
            JsonNode inBundle = BundleGenerator.YAML.readTree(Path.of("target/bundle/manifests/" + name + ".crd.yaml").toFile());
            assertThat(inBundle).isEqualTo(generated);
        }
        JsonNode annotations = BundleGenerator.YAML.readTree(Path.of("target/bundle/metadata/annotations.yaml").toFile());
        assertThat(annotations.at("/annotations/operators.operatorframework.io.bundle.mediatype.v1").asText()).isEqualTo("registry+v1");
        assertThat(annotations.at("/annotations/operators.operatorframework.io.bundle.package.v1").asText()).isEqualTo("isoline");
    }

    /**
     * operator-sdk's own validators, with the OperatorHub suite, pass with no warning but one: the
     * deprecated-API check matches the resource name endpointslices whatever its group version
     * (the rule names discovery.k8s.io, whose v1 is current; RBAC rules carry no version).
     */
    @Test
    void operatorSdkValidatesTheBundleWithTheOperatorHubSuite() throws Exception {
        String env = System.getenv("ISOLINE_OPERATOR_SDK");
        Path sdk = env != null && !env.isBlank() ? Path.of(env) : Path.of(".tools/operator-sdk/operator-sdk");
        io.isoline.testing.RealTier.assume(Files.isExecutable(sdk), "operator-sdk: run .ci/install-operator-sdk first");
        Process p = new ProcessBuilder(sdk.toString(), "bundle", "validate", "bundle", "--select-optional", "suite=operatorframework",
                "--output", "json-alpha1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.getInputStream());
        p.waitFor();
        assertThat(result.get("passed").asBoolean()).as(result.toPrettyString()).isTrue();
        for (JsonNode output : result.get("outputs")) {
            assertThat(output.get("message").asText()).as(output.toPrettyString())
                    .contains("deprecated and removed in v1.25", "Migrate the API(s) for endpointslices");
        }
        JsonNode csv = BundleGenerator.YAML.readTree(Path.of("bundle/manifests/isoline.clusterserviceversion.yaml").toFile());
        JsonNode examples = BundleGenerator.YAML.readTree(csv.at("/metadata/annotations/alm-examples").asText());
        assertThat(examples).extracting(e -> e.get("apiVersion").asText() + "/" + e.get("kind").asText()).containsExactly(
                "contour.heptio.com/v1beta1/TLSCertificateDelegation", "contour.heptio.com/v1beta1/IngressRoute",
                "projectcontour.io/v1/TLSCertificateDelegation", "projectcontour.io/v1/HTTPProxy");
        assertThat(csv.at("/spec/relatedImages/0/image").asText()).isEqualTo(csv.at("/metadata/annotations/containerImage").asText());
    }

    @Test
    void committedBundleAndDeployManifestEqualWhatTheBuildGenerates() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("target/bundle"))) {
            for (Path generated : files.filter(Files::isRegularFile).toList()) {
                Path committed = Path.of("bundle").resolve(Path.of("target/bundle").relativize(generated));
                assertThat(committed).as(committed + " " + REFRESH).exists();
                assertThat(firstDifference(committed, generated)).as(committed + " " + REFRESH).isEmpty();
            }
        }
        assertThat(firstDifference(Path.of("deploy/isoline.yaml"), Path.of("target/deploy/isoline.yaml")))
                .as("deploy/isoline.yaml " + REFRESH).isEmpty();
        String deploy = Files.readString(Path.of("deploy/isoline.yaml"));
        assertThat(deploy).contains("kind: Namespace", "kind: CustomResourceDefinition", "kind: Deployment", "kind: ClusterRole");
    }

    /** The first line where two files differ, with a few lines of context, or "" (a whole-file diff hid it in CI logs). */
    private static String firstDifference(Path committed, Path generated) throws java.io.IOException {
        List<String> a = Files.readAllLines(committed);
        List<String> b = Files.readAllLines(generated);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String left = i < a.size() ? a.get(i) : "<end of file>";
            String right = i < b.size() ? b.get(i) : "<end of file>";
            if (!left.equals(right)) {
                return "line " + (i + 1) + ": committed [" + left + "], generated [" + right + "]; generated lines "
                        + Math.max(1, i - 2) + "-" + Math.min(b.size(), i + 3) + ":\n"
                        + String.join("\n", b.subList(Math.max(0, i - 3), Math.min(b.size(), i + 3)));
            }
        }
        return "";
    }
}
