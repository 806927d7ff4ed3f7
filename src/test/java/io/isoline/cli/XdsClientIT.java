package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoline.testing.IsolineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isoline cli} against a running {@code serve --manifests examples}: both the packaged jar. */
class XdsClientIT {

    @TempDir
    Path dir;

    private String[] cli(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", IsolineProcess.JAR.toString(), "cli", "--xds-port", String.valueOf(port)));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out"), err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {String.valueOf(p.exitValue()), Files.readString(out), Files.readString(err)};
    }

    @Test
    void printsWhatTheServerServesWithKeysRedacted() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/golden/examples/expected.json").toFile());
        try (IsolineProcess serve = IsolineProcess.start(dir.resolve("serve.log"), List.of(), "serve", "--manifests", "examples")
                .awaitListening(60_000)) {
            String[] cds = cli(serve.port, "cds");
            assertThat(cds[0]).as(cds[2]).isEqualTo("0");
            JsonNode clusters = new ObjectMapper().readTree(cds[1]).get("resources");
            assertThat(clusters).isEqualTo(golden.get("clusters"));

            String secretName = golden.at("/secrets/0/name").asText();
            String[] sds = cli(serve.port, "sds", secretName);
            assertThat(sds[0]).as(sds[2]).isEqualTo("0");
            JsonNode secret = new ObjectMapper().readTree(sds[1]).at("/resources/0");
            assertThat(secret.at("/name").asText()).isEqualTo(secretName);
            assertThat(secret.at("/tlsCertificate/privateKey").asText()).isEqualTo("[redacted]");
            assertThat(sds[1]).doesNotContain("PRIVATE KEY");

            String[] bad = cli(serve.port, "xds");
            assertThat(bad[0]).isEqualTo("2");
            assertThat(bad[2]).contains("TYPE must be one of lds, rds, cds, eds, sds");
        }
    }
}
