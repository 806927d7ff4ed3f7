package io.isoline.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleGeneratorTest {

    private static final String XDS = "{name: http, containerPort: 8001}";
    private static final String MANAGEMENT = "{name: management, containerPort: 9000}";

    @Test
    void containerPortsComeOutInOneOrderWhateverOrderQuarkusWroteThem() throws Exception {
        List<String> written = new java.util.ArrayList<>();
        for (String ports : List.of("[" + MANAGEMENT + ", " + XDS + "]", "[" + XDS + ", " + MANAGEMENT + "]")) {
            JsonNode deployment = BundleGenerator.YAML.readTree(
                    "{kind: Deployment, spec: {template: {spec: {containers: [{name: isoline, ports: " + ports + "}]}}}}");
            BundleGenerator.sortContainerPorts(deployment);
            assertThat(deployment.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8001);
            written.add(BundleGenerator.YAML.writeValueAsString(deployment));
        }
        assertThat(written.get(0)).isEqualTo(written.get(1));
    }
}
