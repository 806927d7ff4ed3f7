package io.isoline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An OCI image layout built by {@code src/main/docker/ocibuild.py} (no Docker daemon here: it
 * debootstraps Debian and chroots, so it needs root), read back, and run the way a container
 * runtime would run it: its layers unpacked in order, its user, environment, working directory and
 * entrypoint, in private mount and PID namespaces with a read-only root and a tmpfs on /tmp (as the
 * chart runs it), sharing the host's network so a test reaches its ports on loopback.
 */
public final class OciImage {

    public static final Path BUILDER = Path.of("src/main/docker/ocibuild.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path layout;
    public final JsonNode manifest;
    public final JsonNode config;

    private OciImage(Path layout) throws IOException {
        this.layout = layout;
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        this.manifest = JSON.readTree(blob(index.at("/manifests/0/digest").asText()).toFile());
        this.config = JSON.readTree(blob(manifest.at("/config/digest").asText()).toFile());
    }

    /** Skips the test (fails it in CI) unless this machine can build images: root, debootstrap, unshare, python3. */
    public static void require() {
        boolean root = "root".equals(System.getProperty("user.name"));
        RealTier.assume(root && onPath("debootstrap") && onPath("unshare") && onPath("python3"),
                "root with debootstrap, unshare and python3 (apt-get install debootstrap) to build the image");
    }

    /** Builds {@code dockerfile} into {@code output}; the base layer is cached in .tools/image. */
    public static OciImage build(Path dockerfile, String tag, Path output, Path log) throws Exception {
        require();
        Process p = new ProcessBuilder("python3", BUILDER.toString(), dockerfile.toString(), "--context", ".", "--tag", tag,
                "--output", output.toString(), "--cache", ".tools/image")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("image build did not finish in 15 minutes; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("image build failed (exit " + p.exitValue() + "):\n" + tail(log));
        }
        return new OciImage(output);
    }

    public Path blob(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** The image's value of an environment variable (its config's Env). */
    public String env(String name) {
        for (JsonNode e : config.at("/config/Env")) {
            if (e.asText().startsWith(name + "=")) {
                return e.asText().substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in the image's Env");
    }

    /** The layers' digests, base first. */
    public List<String> layers() {
        List<String> out = new ArrayList<>();
        manifest.get("layers").forEach(l -> out.add(l.get("digest").asText()));
        return out;
    }

    /** The paths in one layer ({@code tar -tzf}) with their owners and modes ({@code tar -tvzf} lines). */
    public List<String> listing(String digest) throws Exception {
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-tvzf", blob(digest).toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(2, TimeUnit.MINUTES);
        return List.of(out.split("\n"));
    }

    /** Unpacks every layer, in order, into {@code root}. */
    public void unpack(Path root) throws Exception {
        Files.createDirectories(root);
        for (String layer : layers()) {
            Process p = new ProcessBuilder("tar", "--numeric-owner", "-xzf", blob(layer).toString(), "-C", root.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("unpacking " + layer + " failed: " + out);
            }
        }
    }

    /**
     * Runs the unpacked image at {@code root} as the image says (user, Env plus {@code env},
     * WorkingDir, Entrypoint), with {@code args} in place of its Cmd; output to {@code log}.
     */
    public Process run(Path root, Map<String, String> env, Path log, String... args) throws IOException {
        JsonNode c = config.get("config");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "sh", "-c",
                "R=$1; U=$2; shift 2; mount --bind \"$R\" \"$R\" && mount -o remount,bind,ro \"$R\" "
                        + "&& mount -t proc proc \"$R/proc\" && mount --rbind /dev \"$R/dev\" "
                        + "&& mount -t tmpfs -o mode=1777 tmpfs \"$R/tmp\" "
                        + "&& exec chroot --userspec=\"$U\" \"$R\" /usr/bin/env -i \"$@\"",
                "sh", root.toAbsolutePath().toString(), c.get("User").asText()));
        c.get("Env").forEach(e -> command.add(e.asText()));
        env.forEach((k, v) -> command.add(k + "=" + v));
        // env(1) cannot change directory: a shell does, then execs the entrypoint.
        command.addAll(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", c.path("WorkingDir").asText("/")));
        c.get("Entrypoint").forEach(e -> command.add(e.asText()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Stops what {@link #run} started: SIGTERM to the image's process (unshare's --kill-child does
     * not reach it: a process that changes its user loses its parent-death signal), then to unshare.
     */
    public static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A shell command that must succeed (the image tests move trees owned by root and not writable). */
    public static void shell(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + out);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
