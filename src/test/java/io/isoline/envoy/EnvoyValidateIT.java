package io.isoline.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.isoline.testing.EnvoyProcess;
import io.isoline.testing.Manifests;
import io.isoline.testing.StaticBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden translate output (the examples among them) is configuration real Envoy accepts:
 * {@code envoy --mode validate} on a static bootstrap holding exactly those resources
 * ({@link StaticBootstrap}); the examples also over xDS, and the documented bootstrap. Where
 * Envoy rejects what the guard let through, the guard is wrong.
 */
class EnvoyValidateIT {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            return dirs.filter(d -> Files.exists(d.resolve("expected.json"))).map(d -> d.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void envoyAcceptsTheGoldenOutput(String name) throws Exception {
        Path envoy = EnvoyProcess.require();
        var translated = new ObjectMapper().readTree(GOLDEN.resolve(name).resolve("expected.json").toFile());
        Path config = dir.resolve(name + ".json");
        Files.writeString(config, StaticBootstrap.from(translated, Manifests.resource("tls/test.key")));
        String result = EnvoyProcess.run(envoy, "--mode", "validate", "-c", config.toString(), "--disable-hot-restart",
                "--log-level", "warn");
        assertThat(result).as("envoy --mode validate on golden case " + name).startsWith("0\n");
    }

    /** The Envoy the chart ships is the Envoy these tests run. */
    @org.junit.jupiter.api.Test
    void theChartShipsTheTestedEnvoyVersion() throws Exception {
        String version = EnvoyProcess.run(EnvoyProcess.require(), "--version").replaceAll("(?s).*/(\\d+\\.\\d+\\.\\d+)/.*", "$1");
        String values = Files.readString(Path.of("helm/isoline/values.yaml"));
        assertThat(values).contains("repository: envoyproxy/envoy\n    tag: v" + version + "\n");
    }

    /** The shipped examples, served over xDS to a real Envoy: every update accepted. */
    @org.junit.jupiter.api.Test
    void theExamplesAreAcceptedOverXds() throws Exception {
        try (io.isoline.testing.EnvoyStack stack = io.isoline.testing.EnvoyStack.start(dir.resolve("examples"), Path.of("examples"))) {
            org.awaitility.Awaitility.await().atMost(EnvoyProcess.WAIT).until(() -> stack.envoy.xdsView().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("sds.") || e.getKey().contains(".rds."))
                    .filter(e -> e.getKey().endsWith(".update_success")).count() >= 4);
            assertThat(stack.envoy.stat("cluster_manager.active_clusters")).isGreaterThan(5);
            assertThat(stack.envoy.log()).as("the bootstrap's overload manager bounds downstream connections")
                    .doesNotContain("no configured limit to the number of allowed active downstream connections");
        }
    }

    /** The bootstrap in docs/ (README's "Point Envoy at it") is one Envoy accepts. */
    @org.junit.jupiter.api.Test
    void theDocumentedBootstrapIsValid() throws Exception {
        assertThat(EnvoyProcess.run(EnvoyProcess.require(), "--mode", "validate", "-c", "docs/envoy-bootstrap.yaml",
                "--disable-hot-restart", "--log-level", "warn")).startsWith("0\n");
    }
}
