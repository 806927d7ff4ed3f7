package io.isoline.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.isoline.state.ClusterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads files and directories (recursively: {@code *.yaml}, {@code *.yml}, {@code *.json}) into one
 * {@link ClusterState}, in sorted path order so a later file wins for the same object every time.
 */
public final class ManifestLoader {

    /** The state read, and warnings about objects that were skipped. */
    public record Loaded(ClusterState state, List<String> warnings, List<Path> files) {
    }

    private ManifestLoader() {
    }

    public static Loaded load(List<Path> roots) throws ManifestException {
        return load(roots, false);
    }

    /** @param lenient skip wrongly typed objects with a warning (see {@link ManifestParser#parse(Path, boolean)}) */
    public static Loaded load(List<Path> roots, boolean lenient) throws ManifestException {
        return load(roots, lenient, new Kept());
    }

    /**
     * Loads as {@link #load(List, boolean)} does, parsing again only the files whose bytes changed
     * since {@code kept}'s last load: an unchanged file gives the very objects it gave then, so the
     * rebuild that follows reuses what they made (its {@code DagCache} tells changed objects by
     * instance). {@code kept} is updated only when the load succeeds.
     */
    public static Loaded load(List<Path> roots, boolean lenient, Kept kept) throws ManifestException {
        List<Path> files = files(roots);
        ClusterState.Builder builder = ClusterState.builder();
        List<String> warnings = new ArrayList<>();
        Map<Path, Kept.File> next = new HashMap<>();
        for (Path file : files) {
            ManifestParser.Parsed parsed = file.equals(STDIN)
                    ? ManifestParser.parse(file, new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8), lenient)
                    : kept.parse(file, lenient, next);
            warnings.addAll(parsed.warnings());
            for (HasMetadata object : parsed.objects()) {
                builder.add(object);
            }
        }
        kept.files = next;
        return new Loaded(builder.build(), warnings, files);
    }

    /**
     * What the last successful load parsed, by file, with a digest of the bytes it was parsed from.
     * Not thread-safe: one loading thread.
     */
    public static final class Kept {
        private record File(byte[] digest, boolean lenient, ManifestParser.Parsed parsed) {
        }

        private Map<Path, File> files = Map.of();

        private ManifestParser.Parsed parse(Path path, boolean lenient, Map<Path, File> next) throws ManifestException {
            byte[] bytes = ManifestParser.read(path);
            byte[] digest = sha256(bytes);
            File before = files.get(path);
            ManifestParser.Parsed parsed = before != null && before.lenient() == lenient && MessageDigest.isEqual(before.digest(), digest)
                    ? before.parsed()
                    : ManifestParser.parse(path, bytes, lenient);
            next.put(path, new File(digest, lenient, parsed));
            return parsed;
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    /** {@code -f -}: the manifests on standard input, named so in messages. */
    public static final Path STDIN = Path.of("<stdin>");

    /** The manifest files under {@code roots}, sorted; a root that is a file is taken as it is; "-" is {@link #STDIN}. */
    public static List<Path> files(List<Path> roots) throws ManifestException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (root.toString().equals("-")) {
                out.add(STDIN);
                continue;
            }
            if (!Files.exists(root)) {
                throw new ManifestException(root, -1, "no such file or directory");
            }
            if (Files.isRegularFile(root)) {
                out.add(root);
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).filter(ManifestLoader::isManifest).sorted().forEach(out::add);
            } catch (IOException | UncheckedIOException e) {
                throw new ManifestException(root, -1, "cannot be listed: " + e.getMessage());
            }
        }
        return out;
    }

    static boolean isManifest(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }
}
