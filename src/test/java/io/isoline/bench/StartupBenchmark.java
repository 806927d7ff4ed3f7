package io.isoline.bench;

import io.isoline.testing.IsolineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Start-up as the image runs it: the packaged jar ({@code serve --manifests examples}), from the
 * process start until its log says the first snapshot is published, RUNS times (median, min, max).
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.StartupBenchmark -Dexec.classpathScope=test -Dexec.args="[RUNS] [JVM,OPTIONS]"}
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<String> jvm = args.length > 1 ? List.of(args[1].split(",")) : List.of();
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            Path log = Files.createTempFile("isoline-start", ".log");
            long t0 = System.nanoTime();
            try (IsolineProcess p = IsolineProcess.start(log, jvm, "serve", "--manifests", "examples")) {
                while (!Files.readString(log).contains("published version")) {
                    if (!p.alive()) {
                        throw new AssertionError("exited: " + Files.readString(log));
                    }
                    Thread.sleep(5);
                }
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            } finally {
                Files.deleteIfExists(log);
            }
        }
        Arrays.sort(ms);
        System.out.printf("| %s | %d | %d | %d | %d |%n", jvm.isEmpty() ? "defaults" : String.join(" ", jvm), runs,
                ms[runs / 2], ms[0], ms[runs - 1]);
    }
}
