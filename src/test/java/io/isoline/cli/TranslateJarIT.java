package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.testing.IsolineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's translate: only the JSON on stdout, logs on stderr, no listening socket. */
class TranslateJarIT {

    @TempDir
    Path dir;

    @Test
    void packagedTranslatePrintsTheGoldenExamplesOutputAndOpensNoPort() throws Exception {
        Path out = dir.resolve("out.json");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "translate", "-f", "examples")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(Path.of("src/test/resources/golden/examples/expected.json")));
        // Quarkus names every address it listens on in its start-up line; translate must name none.
        assertThat(Files.readString(err)).contains("started in").doesNotContain("http://").doesNotContain("listening on");
    }

    @Test
    void packagedConvertPrintsHttpProxiesAndOpensNoPort() throws Exception {
        Path out = dir.resolve("out.yaml");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "convert", "-f", "examples/ingressroute")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).startsWith("apiVersion: projectcontour.io/v1\nkind: HTTPProxy\n");
        assertThat(Files.readString(err)).contains("converted 6 objects, 0 notes").doesNotContain("http://").doesNotContain("listening on");
    }

    /** {@code -f -}: the same manifests piped in (as {@code kubectl get -o yaml | isoline translate -f -}) give the same output. */
    @Test
    void translateReadsStandardInput() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path file : io.isoline.source.ManifestLoader.files(java.util.List.of(Path.of("examples")))) {
            all.append(Files.readString(file)).append("\n---\n");
        }
        Path out = dir.resolve("stdin-out.json");
        Path err = dir.resolve("stdin-err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "translate", "-f", "-")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(Path.of("src/test/resources/golden/examples/expected.json")));

        Process bad = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "translate", "-f", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var stdin = bad.getOutputStream()) {
            stdin.write("kind: [\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String badErr = new String(bad.getErrorStream().readAllBytes());
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(badErr).contains("error: <stdin> (document 0): not valid YAML or JSON");
    }

    /** ISOLINE_LOG_JSON=true: every log line is one JSON object (for log pipelines); stdout stays the translation. */
    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        IsolineProcess.Exit exit = IsolineProcess.exit(java.util.Map.of("ISOLINE_LOG_JSON", "true"), "translate", "-f", "examples");
        assertThat(exit.code()).as(exit.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<String> lines = exit.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(json.readTree(l).get("level").asText()).isNotBlank());
        assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).get("message").asText()).contains("started in"));
        assertThat(exit.out()).isEqualTo(Files.readString(Path.of("src/test/resources/golden/examples/expected.json")));
        assertThat(IsolineProcess.exit("translate", "-f", "examples").err()).as("text by default").contains(" INFO  [");
    }

    @Test
    void packagedTranslateExitsTwoOnBadInput() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: [\n");
        Path out = dir.resolve("out.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "translate", "-f", bad.toString())
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out)).isEmpty();
        assertThat(Files.readString(dir.resolve("err.txt"))).contains("bad.yaml (document 0): not valid YAML or JSON");
    }
}
