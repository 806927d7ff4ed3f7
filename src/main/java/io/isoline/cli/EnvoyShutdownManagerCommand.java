package io.isoline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code envoy-shutdown-manager}: a sidecar beside Envoy that drains it before it stops, so a
 * rolling update or a node drain loses no request. Envoy's container has a preStop hook
 * {@code GET /shutdown} on this port; the first call fails Envoy's health check (its {@code /ready}
 * turns 503, so the Service stops sending new connections, and Envoy closes kept-alive connections
 * after their next response), then answers once the ingress listeners hold no more than
 * {@code --min-open-connections} or {@code --drain-timeout} has passed; only then does the kubelet
 * send Envoy SIGTERM. SIGTERM to this sidecar waits for a drain in progress, so the hook is never cut
 * short. The kubelet calls the hook on the pod's IP, so this listens on 0.0.0.0 where any pod
 * could reach it: with {@code ISOLINE_SHUTDOWN_TOKEN} set (the chart sets a random one in the pod
 * spec, and the hook sends it as {@value #TOKEN_HEADER}), a call without it gets 403 and drains
 * nothing. Opens none of Quarkus' ports.
 */
@Command(name = "envoy-shutdown-manager", mixinStandardHelpOptions = true,
        description = "Sidecar: GET /shutdown drains the Envoy beside it (health check failed, open connections closed) and answers when done.")
public class EnvoyShutdownManagerCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(EnvoyShutdownManagerCommand.class);
    /** Client connections on Isoline's listeners (HTTP and TCP proxying), not the stats listener's or admin's. */
    static final String TOKEN_HEADER = "X-Isoline-Shutdown-Token";
    static final Pattern INGRESS_CONNECTIONS = Pattern.compile("^(http|tcp)\\.ingress_https?\\.downstream_cx_active$");

    @Spec
    CommandSpec spec;

    @Option(names = "--address", defaultValue = "0.0.0.0", description = "Default: ${DEFAULT-VALUE}.")
    String address;

    @Option(names = "--port", defaultValue = "8090", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--admin-address", defaultValue = "127.0.0.1", description = "Envoy's admin interface. Default: ${DEFAULT-VALUE}.")
    String adminAddress;

    @Option(names = "--admin-port", defaultValue = "9001", description = "Default: ${DEFAULT-VALUE}.")
    int adminPort;

    @Option(names = "--drain-timeout", defaultValue = "60s", paramLabel = "DURATION",
            description = "Longest wait for connections to close; keep terminationGracePeriodSeconds above it. Default: ${DEFAULT-VALUE}.")
    String drainTimeout;

    @Option(names = "--min-open-connections", defaultValue = "0", paramLabel = "N",
            description = "Done when at most this many client connections remain. Default: ${DEFAULT-VALUE}.")
    int minOpen;

    // Made when the command runs, not with the object: picocli builds every subcommand for every
    // start, and an HttpClient loads the JDK's trust store and starts a selector thread.
    private HttpClient http;
    private ObjectMapper json;
    private CompletableFuture<String> drain;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Optional<Duration> timeout = io.isoline.dag.GoDuration.parse(drainTimeout).filter(d -> !d.isNegative());
        if (timeout.isEmpty() || minOpen < 0) {
            err.println("error: --drain-timeout must be a duration such as 60s, and --min-open-connections at least 0");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
        byte[] token = Optional.ofNullable(System.getenv("ISOLINE_SHUTDOWN_TOKEN")).filter(t -> !t.isBlank())
                .map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        server.createContext("/shutdown", exchange -> {
            String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (token != null && (given == null || !java.security.MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8)))) {
                LOG.warnf("refused /shutdown from %s: no or wrong %s", exchange.getRemoteAddress().getAddress().getHostAddress(),
                        TOKEN_HEADER);
                exchange.sendResponseHeaders(403, -1);
                exchange.close();
                return;
            }
            String outcome;
            try {
                outcome = startDrain(timeout.get()).get();
            } catch (Exception e) {
                outcome = "drain failed: " + e.getMessage();
            }
            byte[] body = (outcome + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        // SIGTERM reaches this container while Envoy's preStop hook waits on /shutdown: finish the
        // drain first, or the hook ends early and Envoy is stopped with connections open.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (this) {
                if (drain == null) {
                    return;
                }
            }
            drain.completeOnTimeout("timed out", timeout.get().toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }, "drain-before-exit"));
        LOG.infof("envoy shutdown manager on %s:%d for Envoy's admin at %s:%d", address, server.getAddress().getPort(),
                adminAddress, adminPort);
        io.quarkus.runtime.Quarkus.waitForExit();
        return 0;
    }

    /** The one drain of this Envoy (every /shutdown call waits for the same one). */
    private synchronized CompletableFuture<String> startDrain(Duration timeout) {
        if (drain == null) {
            drain = CompletableFuture.supplyAsync(() -> drainNow(timeout));
        }
        return drain;
    }

    private String drainNow(Duration timeout) {
        long started = System.nanoTime();
        try {
            admin("POST", "/healthcheck/fail");
            LOG.info("draining Envoy: health check failed, waiting for client connections to close");
            long deadline = started + timeout.toNanos();
            long open = openConnections();
            while (open > minOpen && System.nanoTime() < deadline) {
                Thread.sleep(250);
                open = openConnections();
            }
            String outcome = open <= minOpen ? "drained" : "timed out with " + open + " connections open";
            LOG.infof("Envoy %s after %d ms", outcome, Duration.ofNanos(System.nanoTime() - started).toMillis());
            return outcome;
        } catch (IOException e) {
            LOG.warnf("cannot reach Envoy's admin at %s:%d (%s): nothing to drain", adminAddress, adminPort, e.getMessage());
            return "Envoy's admin unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private long openConnections() throws IOException, InterruptedException {
        JsonNode stats = json.readTree(admin("GET", "/stats?format=json&filter=downstream_cx_active"));
        long open = 0;
        for (JsonNode stat : stats.path("stats")) {
            if (stat.has("name") && INGRESS_CONNECTIONS.matcher(stat.get("name").asText()).matches()) {
                open += stat.path("value").asLong();
            }
        }
        return open;
    }

    private String admin(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + adminAddress + ":" + adminPort + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + path + " answered " + response.statusCode());
        }
        return response.body();
    }
}
