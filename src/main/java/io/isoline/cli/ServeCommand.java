package io.isoline.cli;

import io.isoline.config.IsolineConfig;
import io.isoline.source.ManifestDirectorySource;
import io.isoline.xds.server.SnapshotPublisher;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serve}: runs the xDS server. With {@code --manifests DIR} the configuration comes from a
 * directory of manifests, re-read when files change; Kubernetes mode (no {@code --manifests}) comes
 * with the operator.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve Envoy configuration over xDS (ADS and per-type services, SotW and delta). "
                + "The xDS address and port are isoline.xds.address / isoline.xds.port (default 127.0.0.1:8001).")
public class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--manifests", paramLabel = "DIR",
            description = "Standalone mode: serve the objects in this directory (read recursively), reloading on change.")
    Path manifests;

    @Mixin
    TranslationOptionsMixin options;

    @Inject
    SnapshotPublisher publisher;

    @Inject
    IsolineConfig config;

    private volatile List<String> lastWarnings = List.of();

    @Override
    public Integer call() {
        if (manifests == null) {
            spec.commandLine().getErr().println("error: Kubernetes mode is not available in this build yet; "
                    + "run serve --manifests DIR for standalone mode");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        if (!Files.isDirectory(manifests)) {
            spec.commandLine().getErr().println("error: --manifests " + manifests + " is not a directory");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        TranslateOptions translateOptions = options.toOptions();
        try (ManifestDirectorySource source = new ManifestDirectorySource(manifests,
                config.manifests().pollInterval(), config.manifests().holdoff(),
                loaded -> rebuild(loaded.state(), translateOptions))) {
            source.start();
            LOG.infof("serving xDS for the manifests in %s", manifests);
            Quarkus.waitForExit();
        }
        return 0;
    }

    private void rebuild(io.isoline.state.ClusterState state, TranslateOptions translateOptions) {
        long start = System.nanoTime();
        TranslationResult result = ConfigTranslator.translate(state, translateOptions);
        if (!result.warnings().equals(lastWarnings)) {
            result.warnings().forEach(w -> LOG.warn(w));
            lastWarnings = result.warnings();
        }
        publisher.publish(result.resources(), System.nanoTime() - start);
    }
}
