package io.isoline.source;

import java.nio.file.Path;

/**
 * A manifest file could not be read as Kubernetes objects. The message names the file, the
 * document's index in it (0-based) and what is wrong.
 */
public final class ManifestException extends Exception {

    public ManifestException(Path file, int document, String problem) {
        super(file + (document >= 0 ? " (document " + document + ")" : "") + ": " + problem);
    }
}
