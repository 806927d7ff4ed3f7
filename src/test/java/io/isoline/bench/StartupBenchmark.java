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
                ms[i] = untilPublished(log, t0, p::alive);
            } finally {
                Files.deleteIfExists(log);
            }
        }
        row(jvm.isEmpty() ? "defaults" : String.join(" ", jvm), ms);
    }

    /** Milliseconds from {@code t0} until {@code log} says the first snapshot is published. */
    static long untilPublished(Path log, long t0, java.util.function.BooleanSupplier alive) throws Exception {
        while (!Files.readString(log).contains("published version")) {
            if (!alive.getAsBoolean()) {
                throw new AssertionError("exited: " + Files.readString(log));
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** A docs/benchmarks.md row: label, runs, median, min, max. */
    static void row(String label, long[] ms) {
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %d | %d | %d | %d |%n", label, sorted.length, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }
}
