package io.isoline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import io.isoline.testing.IngressRoutes;
import io.isoline.testing.Manifests;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload of a manifest directory parses only the files whose bytes changed: the others keep the
 * very objects they gave before (so the rebuild after editing one file out of many is incremental),
 * and what is loaded is always what a fresh load of the directory gives.
 */
class ManifestReloadTest {

    @TempDir
    Path dir;

    private static final ObjectKey A = new ObjectKey("team-a", "a");
    private static final ObjectKey B = new ObjectKey("team-b", "b");

    private void write(String file, String ns, String name, String path) throws Exception {
        Files.writeString(dir.resolve(file), Manifests.backend(ns, "web", "10.0.0.1")
                + IngressRoutes.root(ns, name, name + ".example.com", IngressRoutes.toService(path, "web")));
    }

    private ClusterState load(ManifestLoader.Kept kept) throws Exception {
        ClusterState state = ManifestLoader.load(List.of(dir), true, kept).state();
        ClusterState fresh = ManifestLoader.load(List.of(dir), true).state();
        assertThat(ConfigTranslator.translate(state, TranslateOptions.DEFAULT))
                .isEqualTo(ConfigTranslator.translate(fresh, TranslateOptions.DEFAULT));
        return state;
    }

    /** a.yaml and b.yaml, one root each, loaded once with {@code kept}. */
    private ClusterState twoFiles(ManifestLoader.Kept kept) throws Exception {
        write("a.yaml", "team-a", "a", "/");
        write("b.yaml", "team-b", "b", "/");
        return load(kept);
    }

    @Test
    void anUnchangedFileKeepsItsObjectsAndAChangedOneIsReadAgain() throws Exception {
        ManifestLoader.Kept kept = new ManifestLoader.Kept();
        ClusterState first = twoFiles(kept);

        write("b.yaml", "team-b", "b", "/v2");
        ClusterState second = load(kept);
        assertThat(second.ingressRoutes().get(A)).isSameAs(first.ingressRoutes().get(A));
        assertThat(second.services().get(new ObjectKey("team-a", "web"))).isSameAs(first.services().get(new ObjectKey("team-a", "web")));
        assertThat(second.ingressRoutes().get(B)).isNotSameAs(first.ingressRoutes().get(B));
        assertThat(second.ingressRoutes().get(B).getSpec().routes.get(0).match).isEqualTo("/v2");

        // Written again with the same bytes (a new modification time): nothing to parse.
        write("a.yaml", "team-a", "a", "/");
        assertThat(load(kept).ingressRoutes().get(A)).isSameAs(first.ingressRoutes().get(A));
    }

    @Test
    void aRemovedFileTakesItsObjectsAlongAndABadOneLeavesTheLastGoodLoad() throws Exception {
        ManifestLoader.Kept kept = new ManifestLoader.Kept();
        ClusterState first = twoFiles(kept);

        Files.delete(dir.resolve("b.yaml"));
        ClusterState second = load(kept);
        assertThat(second.ingressRoutes()).containsOnlyKeys(A);

        Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: [oops\n");
        assertThatThrownBy(() -> ManifestLoader.load(List.of(dir), true, kept)).isInstanceOf(ManifestException.class);
        write("a.yaml", "team-a", "a", "/");
        // The failed load forgot nothing: a.yaml's bytes are those of the last good load again.
        assertThat(load(kept).ingressRoutes().get(A)).isSameAs(first.ingressRoutes().get(A));
        write("b.yaml", "team-b", "b", "/");
        assertThat(load(kept).ingressRoutes().get(B)).isNotSameAs(first.ingressRoutes().get(B)); // not kept once removed
    }
}
