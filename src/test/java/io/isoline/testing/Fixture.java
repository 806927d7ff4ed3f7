package io.isoline.testing;

import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.isoline.source.ManifestException;
import io.isoline.source.ManifestParser;
import io.isoline.state.ClusterState;
import io.isoline.xds.server.SnapshotPublisher;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import java.io.StringReader;
import java.nio.file.Path;

/** Builds cluster states from inline YAML and runs the real pipeline on them. */
public final class Fixture {

    private Fixture() {
    }

    public static ClusterState state(String yaml) {
        try {
            ClusterState.Builder b = ClusterState.builder();
            ManifestParser.parse(Path.of("inline.yaml"), new StringReader(yaml)).objects().forEach(b::add);
            return b.build();
        } catch (ManifestException e) {
            throw new AssertionError(e);
        }
    }

    /** Translates and checks the result is a consistent xDS snapshot, as publishing would. */
    public static TranslationResult translate(String yaml, TranslateOptions options) {
        TranslationResult result = ConfigTranslator.translate(state(yaml), options);
        try {
            SnapshotPublisher.toSnapshot(result.resources()).ensureConsistent();
        } catch (SnapshotConsistencyException e) {
            throw new AssertionError("inconsistent snapshot: " + e.getMessage(), e);
        }
        return result;
    }

    public static TranslationResult translate(String yaml) {
        return translate(yaml, TranslateOptions.DEFAULT);
    }

    public static EnvoySimulator envoy(String yaml) {
        return new EnvoySimulator(translate(yaml).resources());
    }

    public static EnvoySimulator envoy(String yaml, TranslateOptions options) {
        return new EnvoySimulator(translate(yaml, options).resources());
    }
}
