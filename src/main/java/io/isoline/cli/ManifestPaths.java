package io.isoline.cli;

import io.isoline.source.ManifestException;
import io.isoline.source.ManifestLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f PATH...} of the offline commands, and reading them with one error line for bad input. */
public class ManifestPaths {

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A manifest file, a directory of them (*.yaml, *.yml, *.json; read recursively), or - for standard input. Repeatable.")
    List<Path> paths;

    /** The manifests, or null with the file, document and problem on {@code err} (exit {@link TranslateCommand#EXIT_BAD_INPUT}). */
    ManifestLoader.Loaded load(PrintWriter err) {
        try {
            return ManifestLoader.load(paths);
        } catch (ManifestException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return null;
        }
    }
}
