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
