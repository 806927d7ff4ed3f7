package io.isoline.cli;

import io.isoline.xds.server.RebuildScheduler;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * For {@code serve}: starts the rebuild thread's preparation ({@link RebuildScheduler#prepare()})
 * and, with {@code --manifests}, the parser's ({@code ManifestParser.prepare}) once Quarkus has
 * started, so they overlap picocli's set-up and the loading of the first state rather than following
 * them. Not before: while Quarkus starts, its gRPC set-up initialises protobuf's
 * classes on the main thread, and two threads initialising classes that need each other deadlock.
 * Offline commands translate on their own thread and get nothing here.
 */
@ApplicationScoped
public class ServePreparation {

    @Inject
    RebuildScheduler scheduler;

    @Inject
    @CommandLineArguments
    String[] args;

    void onStart(@Observes StartupEvent started) {
        if (IsolineMain.serving(args)) {
            scheduler.prepare();
            if (java.util.Arrays.stream(args).anyMatch(a -> a.equals("--manifests") || a.startsWith("--manifests="))) {
                // Beside picocli's set-up, which comes first; the parse it warms runs on the main thread after it.
                Thread manifests = new Thread(io.isoline.source.ManifestParser::prepare, "isoline-prepare-manifests");
                manifests.setDaemon(true);
                manifests.start();
            }
        }
    }
}
