package io.isoline.cli;

import io.isoline.source.ManifestLoader;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslationResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code translate -f PATH...}: objects in, the Envoy configuration {@code serve} would send and
 * every object's status out, as JSON on stdout. Opens no port, contacts no cluster. Unparseable
 * input exits 2 with the file, document and problem on stderr and nothing on stdout.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Print the Envoy configuration and statuses for Kubernetes manifests, as JSON.")
public class TranslateCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 2;
    /** A configuration Envoy would reject that no object explains: a bug, reported on stderr. */
    static final int EXIT_INTERNAL = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestPaths manifests;

    @Mixin
    TranslationOptionsMixin options;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ManifestLoader.Loaded loaded = manifests.load(err);
        if (loaded == null) {
            return EXIT_BAD_INPUT;
        }
        TranslationResult result = ConfigTranslator.translate(loaded.state(), options.toOptions());
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        result.warnings().forEach(w -> err.println("warning: " + w));
        result.errors().forEach(e -> err.println("error: " + e));
        err.flush();
        if (!result.publishable()) {
            return EXIT_INTERNAL;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(TranslationJson.render(result));
        out.flush();
        return 0;
    }
}
