package io.isoline.xds.translate;

import io.isoline.dag.DagOptions;

/** Every setting that changes translation; {@code serve} and {@code translate} take the same ones. */
public record TranslateOptions(DagOptions dag, ListenerOptions listeners) {

    public static final TranslateOptions DEFAULT = new TranslateOptions(DagOptions.DEFAULT, ListenerOptions.DEFAULT);
}
