package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoline.testing.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The translate contract (shared/design/translate-contract.md) as a user of the command sees it. */
class TranslateCommandTest {

    @TempDir
    Path dir;

    private static final String INGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              tls: [{hosts: [x.example.com], secretName: cert}]
              rules: [{host: x.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
            """;

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void badYamlExitsTwoNamingFileAndDocumentWithNothingOnStdout() throws Exception {
        Path f = write("bad.yaml", Manifests.backend("default", "web", "10.0.0.1") + "kind: [unclosed\n");
        TranslateRunner.Run run = TranslateRunner.run("-f", f.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("error: " + f + " (document 2): not valid YAML or JSON").contains("line 17, column 7");
    }

    @Test
    void objectWithoutKindExitsTwo() throws Exception {
        Path f = write("nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n");
        TranslateRunner.Run run = TranslateRunner.run("-f", f.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains(f + " (document 0): object has no kind");
    }

    @Test
    void fieldOfTheWrongTypeExitsTwoNamingTheField() throws Exception {
        Path f = write("d/wrongtype.yaml", "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"
                + "spec: {rules: [{host: {not: a string}}]}\n");
        TranslateRunner.Run run = TranslateRunner.run("-f", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("wrongtype.yaml (document 0): Ingress x:").contains("spec.rules[0].host");
    }

    @Test
    void missingPathExitsTwo() {
        TranslateRunner.Run run = TranslateRunner.run("-f", dir.resolve("nope").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("nope: no such file or directory");
    }

    @Test
    void outputIsByteIdenticalWhateverTheOrderOfFilesAndDocuments() throws Exception {
        List<String> docs = new ArrayList<>(List.of(Manifests.backend("default", "web", "10.0.0.2", "10.0.0.1"),
                Manifests.tlsSecret("default", "cert"), INGRESS + "---\n",
                Manifests.backend("default", "other", "10.0.0.3"),
                Manifests.ingress("other", "y.example.com", "/", "Prefix", "other")));
        write("a/all.yaml", String.join("", docs));
        String expected = TranslateRunner.run("-f", dir.resolve("a").toString()).stdout();
        assertThat(expected).contains("\"x.example.com\"").contains("\"y.example.com\"");
        Random random = new Random(42);
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(docs, random);
            Path d = dir.resolve("shuffled" + i);
            for (int j = 0; j < docs.size(); j++) {
                write("shuffled" + i + "/" + (char) ('a' + random.nextInt(26)) + j + ".yml", docs.get(j));
            }
            assertThat(TranslateRunner.run("-f", d.toString()).stdout()).isEqualTo(expected);
        }
    }

    @Test
    void privateKeysNeverAppearAndTheShapeIsTheContracts() throws Exception {
        Path f = write("tls.yaml", Manifests.backend("default", "web", "10.0.0.1") + Manifests.tlsSecret("default", "cert") + INGRESS);
        TranslateRunner.Run run = TranslateRunner.run("-f", f.toString());
        assertThat(run.exitCode()).isZero();
        String keyBody = Manifests.resource("tls/test.key").lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(run.stdout()).doesNotContain(keyBody).doesNotContain("PRIVATE KEY");
        assertThat(run.stderr()).doesNotContain(keyBody);
        JsonNode json = new ObjectMapper().readTree(run.stdout());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("listeners", "routes", "clusters", "endpoints", "secrets", "statuses");
        assertThat(json.at("/secrets/0/tlsCertificate/privateKey").asText()).isEqualTo("[redacted]");
        assertThat(json.at("/statuses/0/namespace").asText()).isEqualTo("default");
        assertThat(json.at("/statuses/0/currentStatus").asText()).isEqualTo("valid");
    }

    @Test
    void listsJsonFilesAndUnknownKindsAndFields() throws Exception {
        write("m/list.yaml", """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: apps/v1, kind: Deployment, metadata: {name: ignored}}
                - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}, someNewField: 1}
                """);
        write("m/ingress.json", "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"defaultBackend\":{\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}}}");
        write("m/old.yaml", "apiVersion: contour.heptio.com/v1\nkind: IngressRoute\nmetadata: {name: old}\n");
        TranslateRunner.Run run = TranslateRunner.run("-f", dir.resolve("m").toString());
        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.stdout());
        assertThat(json.at("/clusters/0/name").asText()).isEqualTo("default/web/80/da39a3ee5e");
        assertThat(run.stderr()).contains("IngressRoute contour.heptio.com/v1 is not read; use contour.heptio.com/v1beta1");
    }

    @Test
    void badOptionValuesAreUsageErrors() throws Exception {
        Path f = write("x.yaml", INGRESS);
        TranslateRunner.Run run = TranslateRunner.run("-f", f.toString(), "--tls-minimum-protocol-version", "1.1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("--tls-minimum-protocol-version must be 1.2 or 1.3, not '1.1'");
        TranslateRunner.Run both = TranslateRunner.run("-f", f.toString(), "--serve-contour-class", "--ingress-class-name", "internal");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).contains("--serve-contour-class applies only without --ingress-class-name");
    }

    @Test
    void badEdgeOptionValuesAreUsageErrorsNamingTheOption() throws Exception {
        Path f = write("x.yaml", INGRESS);
        String[][] cases = {
            {"--escaped-slashes", "drop", "--escaped-slashes must be one of [keep, reject, unescape-and-redirect, unescape-and-forward], not 'drop'"},
            {"--headers-with-underscores", "keep\nforged", "--headers-with-underscores must be one of [allow, drop, reject], not 'keep\\x0aforged'"},
            {"--request-headers-timeout", "-1s", "--request-headers-timeout must be a duration such as 10s, 5m or 1h (0s for none), not '-1s'"},
            {"--stream-idle-timeout", "300", "--stream-idle-timeout must be a duration"},
            {"--connection-idle-timeout", "3000000h", "--connection-idle-timeout must be a duration"},
            {"--http2-max-concurrent-streams", "0", "--http2-max-concurrent-streams must be at least 1, not 0"},
            {"--fallback-certificate", "fallback", "--fallback-certificate must be namespace/name, not 'fallback'"},
            {"--conflicting-roots", "newest", "--conflicting-roots must be oldest or none, not 'newest'"},
        };
        for (String[] c : cases) {
            TranslateRunner.Run run = TranslateRunner.run("-f", f.toString(), c[0], c[1].replace("\\n", "\n"));
            assertThat(run.exitCode()).as(c[0] + " " + c[1]).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr()).as(c[0]).contains(c[2]);
        }
    }
}
