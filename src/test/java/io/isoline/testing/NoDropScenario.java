package io.isoline.testing;

import static io.isoline.testing.Manifests.serviceFor;
import static io.isoline.testing.Manifests.tlsSecret;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The no-dropped-connections promise as a script: steady keep-alive load through a real Envoy on
 * two hosts (HTTP/1.1, h2c and HTTP/2 over TLS) while a stream of changes of every kind is applied
 * to the manifests Isoline serves. Each change waits until Envoy reports the xDS update it implies
 * (or, for changes Envoy must not see, until Isoline has rebuilt), then lets the load run on. Used
 * by {@code EnvoyNoDropIT} and {@code NoDropBenchmark}.
 */
public final class NoDropScenario implements AutoCloseable {

    /**
     * One change: the files it writes ("" deletes), the xDS types Envoy must receive, and for a
     * change Envoy must not see, the line Isoline logs once it has rebuilt (else null).
     */
    public record Change(String name, Map<String, String> files, Set<String> types, String logLine) {
        Change(String name, Map<String, String> files, Set<String> types) {
            this(name, files, types, null);
        }
    }

    /** What one change did: updates Envoy received, listener activity, and requests that failed meanwhile. */
    public record Applied(String name, Map<String, Long> updates, long listenerModified, long inPlaceUpdates,
            long listenersDraining, long millisToEnvoy, long failed) {
    }

    public static final List<String> LISTENER_STATS = List.of("listener_manager.listener_modified",
            "listener_manager.listener_in_place_updated", "listener_manager.total_listeners_draining");

    private final Vertx vertx;
    private final Backend blue;
    private final Backend green;
    private final Backend blue2;
    private final Backend team;
    private final Certificates.Pair[] certs = new Certificates.Pair[3];
    public final EnvoyStack stack;

    private NoDropScenario(Path dir, int otherHosts) throws Exception {
        this.vertx = Vertx.vertx();
        blue = Backend.http(vertx, "blue", "127.0.2.2");
        green = Backend.http(vertx, "green", "127.0.2.3");
        blue2 = Backend.http(vertx, "blue2", "127.0.2.4");
        team = Backend.http(vertx, "team", "127.0.2.5");
        certs[0] = Certificates.selfSigned(dir, "secure-1", "secure.test");
        certs[1] = Certificates.selfSigned(dir, "secure-2", "secure.test");
        certs[2] = Certificates.selfSigned(dir, "tls2", "tls2.test", "tls3.test");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        for (Map.Entry<String, String> f : base().entrySet()) {
            Files.writeString(manifests.resolve(f.getKey()), f.getValue());
        }
        StringBuilder others = new StringBuilder();
        for (int i = 0; i < otherHosts; i++) {
            others.append(root("host-" + i, "{fqdn: host-" + i + ".test}", "- {match: /, services: [{name: green, port: 80}]}"));
        }
        Files.writeString(manifests.resolve("others.yaml"), others.toString());
        stack = EnvoyStack.start(dir.resolve("run"), manifests);
    }

    public static NoDropScenario start(Path dir) throws Exception {
        return new NoDropScenario(dir, 0);
    }

    /** The same with {@code otherHosts} more IngressRoutes (one route each) that nothing loads: a bigger configuration. */
    public static NoDropScenario start(Path dir, int otherHosts) throws Exception {
        return new NoDropScenario(dir, otherHosts);
    }

    private static String root(String name, String virtualhost, String routes) {
        return IngressRoutes.rootSpec("apps", name, virtualhost, "routes:\n" + routes);
    }

    private static String load(int blueWeight, String more) {
        return root("load", "{fqdn: load.test}", "- {match: /, services: [{name: blue, port: 80, weight: %d}, {name: green, port: 80, weight: %d}]}\n"
                .formatted(blueWeight, 100 - blueWeight) + more);
    }

    private String services(boolean scaledUp) {
        return (scaledUp ? serviceFor("apps", "blue", "", blue, blue2) : serviceFor("apps", "blue", "", blue))
                + serviceFor("apps", "green", "", green) + serviceFor("team", "app", "", team);
    }

    private Map<String, String> base() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("services.yaml", services(false));
        files.put("secrets.yaml", tlsSecret("apps", "secure", certs[0]));
        files.put("load.yaml", load(50, ""));
        files.put("secure.yaml", root("secure", "{fqdn: secure.test, tls: {secretName: secure}}", "- {match: /, services: [{name: blue, port: 80}]}"));
        return files;
    }

    /** The changes, in order: every kind the promise covers. */
    public List<Change> changes() {
        String delegate = "- {match: /team, delegate: {name: app, namespace: team}}\n";
        String child = """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: app, namespace: team}
                spec: {routes: [{match: /team, services: [{name: app, port: 80}]}]}
                ---
                """;
        String bad = root("bad", "{fqdn: bad.test}", "- {match: /, services: [{name: green, port: 80, healthCheck: {path: \"/h\\r\\nX: y\"}}]}");
        String fixed = root("bad", "{fqdn: bad.test}", "- {match: /, services: [{name: green, port: 80, healthCheck: {path: /healthz}}]}");
        String healthChecked = "- {match: /, services: [{name: blue, port: 80, weight: 90, healthCheck: {path: /healthz}}, "
                + "{name: green, port: 80, weight: 10, healthCheck: {path: /healthz}}]}\n";
        return List.of(
                new Change("weights 50/50 -> 90/10", Map.of("load.yaml", load(90, "")), Set.of("rds")),
                new Change("new route on the loaded host", Map.of("load.yaml", load(90, "- {match: /new, services: [{name: green, port: 80}]}")),
                        Set.of("rds")),
                new Change("new virtual host", Map.of("other.yaml", root("other", "{fqdn: other.test}",
                        "- {match: /, services: [{name: green, port: 80}]}")), Set.of("rds")),
                new Change("new TLS host (a new filter chain)", Map.of("tls2-secret.yaml", tlsSecret("apps", "tls2", certs[2]),
                        "tls2.yaml", root("tls2", "{fqdn: tls2.test, tls: {secretName: tls2}}", "- {match: /, services: [{name: green, port: 80}]}")),
                        Set.of("lds")),
                new Change("endpoints scale up", Map.of("services.yaml", services(true)), Set.of("eds")),
                new Change("endpoints scale down", Map.of("services.yaml", services(false)), Set.of("eds")),
                new Change("certificate rotation", Map.of("secrets.yaml", tlsSecret("apps", "secure", certs[1])), Set.of("sds")),
                new Change("delegate added", Map.of("team.yaml", child, "load.yaml", load(90, delegate)), Set.of("rds")),
                new Change("delegate removed", Map.of("load.yaml", load(90, ""), "team.yaml", ""), Set.of("rds")),
                new Change("invalid object added (Envoy would reject it)", Map.of("bad.yaml", bad), Set.of(),
                        "IngressRoute apps/bad is invalid"),
                new Change("invalid object fixed", Map.of("bad.yaml", fixed), Set.of("rds", "cds")),
                new Change("health checks on the loaded services (clusters replaced)", Map.of("load.yaml",
                        root("load", "{fqdn: load.test}", healthChecked)), Set.of("cds", "rds")),
                new Change("TLS host replaced by another (filter chains swapped)", Map.of("tls2.yaml", "",
                        "tls3.yaml", root("tls3", "{fqdn: tls3.test, tls: {secretName: tls2}}", "- {match: /, services: [{name: blue, port: 80}]}")),
                        Set.of("lds", "rds")),
                new Change("TLS host removed (its filter chain drains)", Map.of("tls3.yaml", "", "tls2-secret.yaml", ""), Set.of("lds")));
    }

    /** Back to the starting configuration in one change (many objects at once), so the changes can run again. */
    private Change reset() {
        Map<String, String> files = new LinkedHashMap<>(base());
        for (String added : List.of("other.yaml", "tls2.yaml", "tls2-secret.yaml", "tls3.yaml", "team.yaml", "bad.yaml")) {
            files.put(added, "");
        }
        return new Change("back to the start (many objects at once)", files, Set.of("rds"));
    }

    /** The load: 4 HTTP/1.1 and 2 h2c connections to load.test, 2 HTTP/2-over-TLS to secure.test. */
    private SteadyLoad startLoad() {
        List<SteadyLoad.Stream> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            streams.add(new SteadyLoad.Stream(SteadyLoad.Kind.HTTP1, stack.httpPort, "load.test", "/"));
        }
        for (int i = 0; i < 2; i++) {
            streams.add(new SteadyLoad.Stream(SteadyLoad.Kind.H2C, stack.httpPort, "load.test", "/"));
            streams.add(new SteadyLoad.Stream(SteadyLoad.Kind.TLS_H2, stack.httpsPort, "secure.test", "/"));
        }
        return SteadyLoad.start(vertx, streams);
    }

    /** What a run measured: the load's totals, each change as applied, and connections opened during the changes. */
    public record Report(SteadyLoad.Result load, List<Applied> applied, long connectionsDuringChanges, double seconds) {
    }

    /**
     * Steady load for at least {@code minSeconds}: a 2 s warm-up, then the changes in order,
     * {@code dwellMillis} apart, once or (with {@code repeat}) over and over until the time is up.
     */
    public Report run(long minSeconds, long dwellMillis, boolean repeat, PrintStream log) throws Exception {
        SteadyLoad load = startLoad();
        long start = System.nanoTime();
        long end = start + minSeconds * 1_000_000_000L;
        List<Applied> applied = new ArrayList<>();
        long connectionsBefore;
        try {
            // (warm-up: some clients reconnect once while their first connections settle)
            Thread.sleep(2000);
            connectionsBefore = load.snapshot().connectionsOpened();
            do {
                if (!applied.isEmpty()) {
                    applied.add(apply(reset(), load, dwellMillis, log));
                }
                for (Change change : changes()) {
                    applied.add(apply(change, load, dwellMillis, log));
                }
            } while (repeat && System.nanoTime() < end);
            while (System.nanoTime() < end) {
                Thread.sleep(100);
            }
        } finally {
            load.close();
        }
        SteadyLoad.Result r = load.snapshot();
        double seconds = (System.nanoTime() - start) / 1e9;
        log.printf("no-drop: %d requests in %.1f s, %d failed, %d connections opened during the changes, p50 %d us, p99 %d us, "
                + "max %d us, by backend %s%n", r.requests(), seconds, r.failed(), r.connectionsOpened() - connectionsBefore,
                r.p50Micros(), r.p99Micros(), r.maxMicros(), r.byBackend());
        return new Report(r, applied, r.connectionsOpened() - connectionsBefore, seconds);
    }

    /** Applies {@code change}, waits until Envoy has it (or Isoline has rebuilt), then for {@code dwellMillis}. */
    public Applied apply(Change change, SteadyLoad load, long dwellMillis, PrintStream log) throws Exception {
        Map<String, Long> before = stack.envoy.stats();
        long failedBefore = load.snapshot().failed();
        long logLinesBefore = change.logLine() == null ? 0 : occurrences(change.logLine());
        long start = System.nanoTime();
        for (Map.Entry<String, String> f : change.files().entrySet()) {
            if (f.getValue().isEmpty()) {
                stack.delete(f.getKey());
            } else {
                stack.write(f.getKey(), f.getValue());
            }
        }
        long deadline = start + EnvoyProcess.WAIT.toNanos();
        Map<String, Long> updates;
        while (true) {
            Map<String, Long> now = stack.envoy.stats();
            updates = updates(before, now);
            boolean arrived = change.logLine() != null ? occurrences(change.logLine()) > logLinesBefore
                    : updates.keySet().containsAll(change.types());
            if (arrived) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("change '" + change.name() + "' did not reach Envoy: updates " + updates + "\n"
                        + stack.isoline.log().lines().skip(Math.max(0, stack.isoline.log().lines().count() - 10)).toList());
            }
            Thread.sleep(20);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(dwellMillis);
        Map<String, Long> after = stack.envoy.stats();
        Applied applied = new Applied(change.name(), updates(before, after), delta(before, after, LISTENER_STATS.get(0)),
                delta(before, after, LISTENER_STATS.get(1)), after.getOrDefault(LISTENER_STATS.get(2), 0L), millis,
                load.snapshot().failed() - failedBefore);
        log.printf("  %-58s in Envoy after %5d ms; failed %d; updates %s; listeners modified %d (in place %d)%n", change.name(),
                millis, applied.failed(), applied.updates(), applied.listenerModified(), applied.inPlaceUpdates());
        return applied;
    }

    private long occurrences(String line) throws Exception {
        return stack.isoline.log().lines().filter(l -> l.contains(line)).count();
    }

    /** xDS types ("lds", "cds", "rds", "eds", "sds") with how many successful updates each got. */
    private static Map<String, Long> updates(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> types = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0 && k.endsWith(".update_success")) {
                String type = EnvoyProcess.xdsType(k);
                if (type != null) {
                    types.merge(type, d, Long::sum);
                }
            }
        });
        return types;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String stat) {
        return after.getOrDefault(stat, 0L) - before.getOrDefault(stat, 0L);
    }

    @Override
    public void close() throws Exception {
        try {
            stack.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
