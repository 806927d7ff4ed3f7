package io.isoline.cli;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Set;

/**
 * The entry point. Offline commands ({@code translate}, {@code bootstrap}, {@code cli}, help and version) must not open a port,
 * so for them the HTTP/gRPC server's listener and the management interface's are disabled before Quarkus starts.
 */
@QuarkusMain
public final class IsolineMain {

    static final Set<String> OFFLINE = Set.of("translate", "convert", "bootstrap", "cli", "certgen", "--help", "-h", "--version", "-V", "help");

    private IsolineMain() {
    }

    /** Whether these arguments run the controller ({@code serve}), whose start is prepared for. */
    static boolean serving(String... args) {
        return args.length > 0 && args[0].equals("serve");
    }

    public static void main(String... args) {
        if (args.length == 0 || OFFLINE.contains(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.management.host-enabled", "false"); // health and metrics too
        }
        if (serving(args)) {
            // JDK work the first build needs, beside Quarkus' start rather than after it. Touches only
            // the JDK's cryptography (no logging, no protobuf, nothing Quarkus initialises), so it
            // cannot meet Quarkus' start in a class initialisation.
            Thread prepare = new Thread(io.isoline.dag.DagBuilder::prepare, "isoline-prepare");
            prepare.setDaemon(true);
            prepare.start();
        }
        Quarkus.run(PicocliRunner.class, args);
    }
}
