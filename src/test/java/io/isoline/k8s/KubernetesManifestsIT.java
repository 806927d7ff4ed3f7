package io.isoline.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests the build generates at package time (target/kubernetes/kubernetes.yml) run serve with least privilege. */
class KubernetesManifestsIT {

    private static Map<String, JsonNode> byKindAndName() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        var mapper = new ObjectMapper(new YAMLFactory());
        try (var docs = mapper.readerFor(JsonNode.class).readValues(Files.readString(Path.of("target/kubernetes/kubernetes.yml")))) {
            while (docs.hasNext()) {
                JsonNode d = (JsonNode) docs.next();
                out.put(d.at("/kind").asText() + "/" + d.at("/metadata/name").asText(), d);
            }
        }
        return out;
    }

    @Test
    void deploymentRunsServeWithProbesAndItsServiceAccount() throws Exception {
        JsonNode deployment = byKindAndName().get("Deployment/isoline");
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("isoline");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/args/0").asText()).isEqualTo("serve");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/port").asInt()).as("the management port, not xDS").isEqualTo(9000);
        List<String> env = new ArrayList<>();
        container.at("/env").forEach(e -> env.add(e.get("name").asText()));
        assertThat(env).contains("ISOLINE_XDS_ADDRESS", "ISOLINE_MANAGEMENT_ADDRESS", "ISOLINE_LEADER_ELECTION_NAMESPACE", "ISOLINE_LEADER_ELECTION_IDENTITY");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void rbacReadsWhatIsTranslatedAndWritesOnlyStatusAndTheLease() throws Exception {
        Map<String, JsonNode> all = byKindAndName();
        assertThat(all).containsKeys("ServiceAccount/isoline", "ClusterRoleBinding/isoline", "RoleBinding/isoline-leader-election");
        assertThat(all.keySet()).noneMatch(k -> k.startsWith("ClusterRole/") && !k.equals("ClusterRole/isoline"));
        List<String> grants = new ArrayList<>();
        for (JsonNode rule : all.get("ClusterRole/isoline").at("/rules")) {
            for (JsonNode resource : rule.get("resources")) {
                List<String> verbs = new ArrayList<>();
                rule.get("verbs").forEach(v -> verbs.add(v.asText()));
                grants.add(resource.asText() + "=" + String.join(",", verbs));
            }
        }
        assertThat(grants).containsExactlyInAnyOrder("services=get,list,watch", "endpoints=get,list,watch",
                "secrets=get,list,watch", "endpointslices=get,list,watch", "ingresses=get,list,watch",
                "ingressclasses=get,list,watch", "ingresses/status=patch,update", "ingressroutes=get,list,watch",
                "tlscertificatedelegations=get,list,watch", "ingressroutes/status=patch,update", "httpproxies=get,list,watch",
                "tlscertificatedelegations=get,list,watch", "httpproxies/status=patch,update");
        JsonNode lease = all.get("Role/isoline-leader-election").at("/rules/0");
        assertThat(lease.at("/resources/0").asText()).isEqualTo("leases");
    }
}
