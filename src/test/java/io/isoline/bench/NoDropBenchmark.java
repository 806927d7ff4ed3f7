package io.isoline.bench;

import io.isoline.testing.NoDropScenario;
import io.isoline.testing.SteadyLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;

/**
 * The no-dropped-connections promise as a benchmark: the packaged jar and a real Envoy
 * ({@code .ci/install-envoy}), steady keep-alive load (4 HTTP/1.1, 2 h2c, 2 HTTP/2-over-TLS
 * connections), and the 14 kinds of change of {@link NoDropScenario} applied over and over.
 *
 * <p>Run: {@code ./mvnw -q package -DskipTests && ./mvnw -q test-compile exec:java
 * -Dexec.mainClass=io.isoline.bench.NoDropBenchmark -Dexec.classpathScope=test -Dexec.args="SECONDS DWELL_MS OTHER_HOSTS"}
 * (default 120 s, 1000 ms, 0: OTHER_HOSTS more IngressRoutes make the configuration bigger).
 */
public final class NoDropBenchmark {

    private NoDropBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        long dwell = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        int otherHosts = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path dir = Files.createTempDirectory("isoline-nodrop");
        NoDropScenario.Report report;
        try (NoDropScenario scenario = NoDropScenario.start(dir, otherHosts)) {
            report = scenario.run(seconds, dwell, true, System.out);
        }
        SteadyLoad.Result r = report.load();
        Map<String, LongSummaryStatistics> byChange = new TreeMap<>();
        report.applied().forEach(a -> byChange.computeIfAbsent(a.name(), k -> new LongSummaryStatistics()).accept(a.millisToEnvoy()));
        System.out.println();
        System.out.printf("| %d other hosts | %d changes (%d kinds) in %.0f s | requests %d (%.0f/s) | failed %d | connections closed by Envoy %d | "
                + "p50 %.2f ms | p99 %.2f ms | max %.1f ms |%n", otherHosts, report.applied().size(), byChange.size(), report.seconds(), r.requests(),
                r.requests() / report.seconds(), r.failed(), report.connectionsDuringChanges(), r.p50Micros() / 1e3, r.p99Micros() / 1e3,
                r.maxMicros() / 1e3);
        System.out.println("| change | times | write -> in Envoy, min / avg / max ms | failed |");
        System.out.println("|---|---|---|---|");
        byChange.forEach((name, st) -> System.out.printf("| %s | %d | %d / %.0f / %d | %d |%n", name, st.getCount(), st.getMin(),
                st.getAverage(), st.getMax(), report.applied().stream().filter(a -> a.name().equals(name)).mapToLong(a -> a.failed()).sum()));
        System.exit(r.failed() == 0 ? 0 : 1);
    }
}
