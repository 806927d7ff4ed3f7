package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parse errors name the file, document and field, and never echo Secret material. */
class ManifestErrorsTest {

    private static final String KEY_MATERIAL = "c2VjcmV0LWtleS1tYXRlcmlhbA";

    private static String error(String yaml) {
        return catchThrowableOfType(ManifestException.class,
                () -> ManifestParser.parse(Path.of("secrets.yaml"), new StringReader(yaml))).getMessage();
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumnButNotTheSourceLine() {
        String message = error("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  tls.key: " + KEY_MATERIAL + "\n  tls.crt: [oops\n");
        assertThat(message).startsWith("secrets.yaml (document 0): not valid YAML or JSON")
                .contains("line 6").doesNotContain(KEY_MATERIAL).doesNotContain("\n");
    }

    @Test
    void wrongTypesInSecretsNameTheFieldButNotTheValue() {
        String message = error("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: " + KEY_MATERIAL + "\n");
        assertThat(message).contains("Secret s").contains("data").doesNotContain(KEY_MATERIAL);
    }

    @Test
    void wrongTypesElsewhereSayWhatWasExpected() {
        String message = error("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: eighty}]}\n");
        assertThat(message).endsWith("Service web: spec.ports[0].port must be an integer");
    }

    @Test
    void lenientParsingSkipsAWronglyTypedObjectWithAWarningAndKeepsTheRest() throws Exception {
        String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: good}\n---\n"
                + "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\nmetadata: {name: bad}\nspec: {routes: 7}\n";
        var parsed = ManifestParser.parse(Path.of("m.yaml"), new StringReader(yaml), true);
        assertThat(parsed.objects()).extracting(o -> o.getMetadata().getName()).containsExactly("good");
        assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w)
                .startsWith("m.yaml (document 1): IngressRoute bad:").contains("spec.routes").endsWith("the object is skipped"));
        assertThat(error(yaml)).contains("(document 1): IngressRoute bad");
    }

    /** The parser's start-up warm-up reads every kind it knows and changes nothing a parse reports. */
    @Test
    void theStartUpWarmUpLeavesParsingAsItWas() throws Exception {
        String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: good}\n---\n"
                + "apiVersion: contour.heptio.com/v1beta1\nkind: IngressRoute\nmetadata: {name: bad}\nspec: {routes: 7}\n";
        String before = error(yaml);
        ManifestParser.prepare();
        assertThat(error(yaml)).isEqualTo(before);
        assertThat(ManifestParser.parse(Path.of("m.yaml"), new StringReader(yaml), true).objects())
                .extracting(o -> o.getMetadata().getName()).containsExactly("good");
    }

    /** What {@code kubectl get ... -o yaml} of a real cluster gives runs past SnakeYAML's 3 MiB default. */
    @Test
    void aLargeExportIsRead() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; yaml.length() < 5 * 1024 * 1024; i++) {
            yaml.append("apiVersion: v1\nkind: Service\nmetadata: {name: s").append(i).append(", namespace: big, annotations: {note: \"")
                    .append("x".repeat(400)).append("\"}}\nspec: {ports: [{name: http, port: 80}]}\n---\n");
        }
        var parsed = ManifestParser.parse(Path.of("export.yaml"), new StringReader(yaml.substring(0, yaml.length() - 4)));
        assertThat(parsed.objects().size()).isGreaterThan(9_000);
    }

    @Test
    void anchorsAliasesAndMergeKeysResolveAsKubectlReadsThem() throws Exception {
        var parsed = ManifestParser.parse(Path.of("aliases.yaml"), new StringReader("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default, labels: &labels {app: web, tier: front}}
                spec:
                  selector: *labels
                  ports: [&http {name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: default}
                spec:
                  ports:
                  - <<: {name: http, port: 80, targetPort: 8080}
                    port: 81
                """));
        var web = (io.fabric8.kubernetes.api.model.Service) parsed.objects().get(0);
        assertThat(web.getSpec().getSelector()).containsEntry("app", "web").containsEntry("tier", "front");
        var api = (io.fabric8.kubernetes.api.model.Service) parsed.objects().get(1);
        assertThat(api.getSpec().getPorts().get(0).getPort()).as("own keys win over merged ones").isEqualTo(81);
        assertThat(api.getSpec().getPorts().get(0).getName()).isEqualTo("http");
        assertThat(api.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
    }

    @Test
    void aliasBombsAreRefusedNotExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + p + ", ").repeat(8)).append('*').append(p).append("]\n");
        }
        assertThat(error(bomb.toString())).startsWith("secrets.yaml (document 0): not valid YAML or JSON").doesNotContain("\n");
    }

    @Test
    void invalidUtf8SaysWhere() {
        byte[] bytes = "apiVersion: v1\nkind: Service\nmetadata: {name: caf\u00e9}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String message = catchThrowableOfType(ManifestException.class, () -> ManifestParser.utf8(Path.of("latin1.yaml"), bytes))
                .getMessage();
        assertThat(message).contains("latin1.yaml").contains("is not UTF-8").contains("line 3, column 21");
    }
}
