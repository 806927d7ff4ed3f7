package io.isoline.bench;

import io.isoline.testing.IsolineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Issue 16's {@code serve --manifests} memory row: the packaged jar serving N root IngressRoutes,
 * each with its own Service and EndpointSlice ({@link ApiServerScaleBenchmark}'s objects, in 10
 * namespaces), read from manifest files. Reports the time to the first published snapshot, the RSS
 * then, and after a full GC the RSS and the live heap (the class histogram's total; {@code BENCH_HISTO=file}
 * keeps the histogram).
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.ManifestMemoryBenchmark -Dexec.classpathScope=test -Dexec.args="N [JVM,OPTIONS]"}
 */
public final class ManifestMemoryBenchmark {

    private ManifestMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<String> jvm = args.length > 1 ? List.of(args[1].split(",")) : List.of();
        int namespaces = 10;
        Path dir = Files.createTempDirectory("isoline-manifests");
        Path log = Files.createTempFile("isoline-manifests", ".log");
        try {
            for (int ns = 0; ns < namespaces; ns++) {
                StringBuilder yaml = new StringBuilder();
                for (int r = ns; r < n; r += namespaces) {
                    yaml.append(ApiServerScaleBenchmark.objects("scale-" + ns, r, 0));
                }
                Files.writeString(dir.resolve("scale-" + ns + ".yaml"), yaml);
            }
            long t0 = System.nanoTime();
            try (IsolineProcess p = IsolineProcess.start(log, jvm, "serve", "--manifests", dir.toString())) {
                long published = StartupBenchmark.untilPublished(log, t0, p::alive);
                long rss = ApiServerScaleBenchmark.rssKib(p.pid());
                String histogram = ChangeLatencyBenchmark.jcmd(p.pid(), "GC.class_histogram");
                String live = histogram.lines().filter(l -> l.startsWith("Total")).findFirst().orElse("?");
                if (System.getenv("BENCH_HISTO") != null) {
                    Files.writeString(Path.of(System.getenv("BENCH_HISTO")), histogram);
                }
                long rssAfterGc = ApiServerScaleBenchmark.rssKib(p.pid());
                System.out.printf("| %,d | %s | %.1f s | %d | %d | %.0f |%n", n, jvm.isEmpty() ? "defaults" : String.join(" ", jvm),
                        published / 1000.0, rss / 1024, rssAfterGc / 1024, ChangeLatencyBenchmark.liveMib(live));
            }
        } finally {
            Files.deleteIfExists(log);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
