package io.isoline.bench;

import io.isoline.testing.IsolineProcess;
import io.isoline.testing.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Start-up of the image as a runtime starts it ({@link OciImage#run}: its user, environment,
 * read-only root, tmpfs /tmp), {@code serve --manifests examples} from the process start until its
 * log says the first snapshot is published, RUNS times with the image's AOT cache and RUNS times
 * without it (ISOLINE_AOT_CACHE empty), alternating; median, min and max of each. Builds the image
 * first (root, debootstrap; the base and the cache's layer are kept in .tools/image).
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.ImageStartupBenchmark -Dexec.classpathScope=test -Dexec.args="[RUNS]"}
 */
public final class ImageStartupBenchmark {

    private ImageStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Path.of("target/image-bench");
        OciImage.shell("rm -rf " + dir);
        Files.createDirectories(dir);
        OciImage image = OciImage.build(Path.of("src/main/docker/Dockerfile.jvm"), "isoline/isoline:bench", dir.resolve("oci"),
                dir.resolve("build.log"));
        Path root = dir.resolve("root");
        image.unpack(root);
        long[][] ms = new long[2][runs];
        for (int i = 0; i < 2 * runs; i++) {
            boolean cache = i % 2 == 0;
            Path log = dir.resolve("run.log");
            Map<String, String> env = Map.of("ISOLINE_XDS_PORT", "" + IsolineProcess.freePort(),
                    "ISOLINE_MANAGEMENT_PORT", "" + IsolineProcess.freePort(), "ISOLINE_AOT_CACHE", cache ? image.env("ISOLINE_AOT_CACHE") : "");
            long t0 = System.nanoTime();
            Process p = image.run(root, env, log, "serve", "--manifests", "examples");
            try {
                ms[cache ? 0 : 1][i / 2] = StartupBenchmark.untilPublished(log, t0, p::isAlive);
            } finally {
                OciImage.stop(p);
            }
        }
        StartupBenchmark.row("with the AOT cache", ms[0]);
        StartupBenchmark.row("without it", ms[1]);
    }
}
