package io.isoline.cli;

import io.isoline.xds.translate.EnvoyBootstrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bootstrap FILE}: writes the Envoy bootstrap that points Envoy at Isoline's xDS server, as
 * JSON ({@code -} for stdout). Meant for an init container beside Envoy; opens no port.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Write Envoy's bootstrap (JSON) pointing at Isoline's xDS server; FILE '-' is stdout.")
public class BootstrapCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    @Option(names = "--xds-address", defaultValue = "127.0.0.1", description = "Isoline's xDS address (a DNS name in a cluster). Default: ${DEFAULT-VALUE}.")
    String xdsAddress;

    @Option(names = "--xds-port", defaultValue = "8001", description = "Default: ${DEFAULT-VALUE}.")
    int xdsPort;

    @Option(names = "--admin-address", defaultValue = "127.0.0.1", description = "Envoy admin listener. Default: ${DEFAULT-VALUE}.")
    String adminAddress;

    @Option(names = "--admin-port", defaultValue = "9001", description = "Default: ${DEFAULT-VALUE}.")
    int adminPort;

    @Option(names = "--node-id", description = "Default: $ENVOY_POD_NAME, else $POD_NAME, else $HOSTNAME, else 'envoy'.")
    String nodeId;

    @Option(names = "--node-cluster", description = "Default: $ENVOY_NODE_CLUSTER, else 'isoline'.")
    String nodeCluster;

    @Option(names = "--xds-ca-file", paramLabel = "FILE", description = "Connect to xDS over TLS, verifying it with this CA bundle (a path inside Envoy's container).")
    String caFile;

    @Option(names = "--xds-cert-file", paramLabel = "FILE", description = "Client certificate for mutual TLS (with --xds-key-file).")
    String certFile;

    @Option(names = "--xds-key-file", paramLabel = "FILE", description = "Client key for mutual TLS; only its path is written.")
    String keyFile;

    @Option(names = "--max-downstream-connections", defaultValue = "" + EnvoyBootstrap.MAX_CONNECTIONS, paramLabel = "N",
            description = "Most downstream connections Envoy accepts (overload manager); more are refused. Default: ${DEFAULT-VALUE}.")
    long maxConnections;

    @Option(names = "--stats-port", defaultValue = "0", paramLabel = "PORT",
            description = "A listener on 0.0.0.0:PORT forwarding GET /ready, /stats and /stats/prometheus to the admin interface "
                    + "(for readiness probes and Prometheus; admin stays on its own address). 0: none. Default: ${DEFAULT-VALUE}.")
    int statsPort;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if ((certFile == null) != (keyFile == null) || (certFile != null && caFile == null)) {
            err.println("error: --xds-cert-file and --xds-key-file go together, and need --xds-ca-file");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        if (statsPort < 0 || statsPort > 65535 || statsPort != 0 && statsPort == adminPort) {
            err.println("error: --stats-port must be 0 (none) or a port other than --admin-port, not " + statsPort);
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        if (maxConnections < 1) {
            err.println("error: --max-downstream-connections must be at least 1, not " + maxConnections);
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        String id = Optional.ofNullable(nodeId).or(() -> env("ENVOY_POD_NAME")).or(() -> env("POD_NAME"))
                .or(() -> env("HOSTNAME")).orElse("envoy");
        String cluster = Optional.ofNullable(nodeCluster).or(() -> env("ENVOY_NODE_CLUSTER")).orElse("isoline");
        var bootstrap = EnvoyBootstrap.build(new EnvoyBootstrap.Options(id, cluster, xdsAddress, xdsPort, adminAddress,
                adminPort, caFile, certFile, keyFile, maxConnections, statsPort));
        String json = TranslationJson.pretty(TranslationJson.toJson(bootstrap));
        if (file.equals("-")) {
            spec.commandLine().getOut().print(json);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(Path.of(file), json, StandardCharsets.UTF_8);
        }
        return 0;
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
