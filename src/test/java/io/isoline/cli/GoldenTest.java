package io.isoline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoline.source.ManifestLoader;
import io.isoline.xds.server.SnapshotPublisher;
import io.isoline.xds.translate.ConfigTranslator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases: each folder under {@code src/test/resources/golden/} holds {@code input.yaml} (or an
 * {@code input/} directory; without either, {@code args} names the input), optional {@code args} (extra translate flags, one per line), and the
 * expected {@code expected.json} (stdout) and {@code expected-stderr.txt} (warnings). The real
 * {@code translate} command runs on the input and must print exactly the expected bytes.
 *
 * <p>To regenerate after a reviewed change: {@code ./mvnw test -Dtest=GoldenTest -Dgolden.update=true},
 * then read the diff with {@code git diff src/test/resources/golden} before committing.
 */
class GoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translateOutputMatchesGolden(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        Path input = Files.exists(dir.resolve("input")) ? dir.resolve("input") : dir.resolve("input.yaml");
        List<String> args = new ArrayList<>();
        if (Files.exists(input)) {
            args.addAll(List.of("-f", input.toString()));
        } else {
            input = Path.of("examples"); // the case's args name the input: the repository's examples
        }
        if (Files.exists(dir.resolve("args"))) {
            Files.readAllLines(dir.resolve("args")).stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(args::add);
        }
        TranslateRunner.Run run = TranslateRunner.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String stderr = run.stderr().replace(ROOT.toString() + "/", "");
        if (UPDATE) {
            Files.writeString(dir.resolve("expected.json"), run.stdout(), StandardCharsets.UTF_8);
            Files.deleteIfExists(dir.resolve("expected-stderr.txt"));
            if (!stderr.isEmpty()) {
                Files.writeString(dir.resolve("expected-stderr.txt"), stderr, StandardCharsets.UTF_8);
            }
        }
        assertThat(run.stdout()).isEqualTo(Files.readString(dir.resolve("expected.json")));
        Path expectedErr = dir.resolve("expected-stderr.txt");
        assertThat(stderr).isEqualTo(Files.exists(expectedErr) ? Files.readString(expectedErr) : "");
        // What translate prints is a snapshot serve could publish.
        var state = ManifestLoader.load(List.of(input)).state();
        SnapshotPublisher.toSnapshot(ConfigTranslator.translate(state, io.isoline.xds.translate.TranslateOptions.DEFAULT)
                .resources()).ensureConsistent();
    }
}
