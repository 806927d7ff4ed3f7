package io.isoline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code isoline serve --manifests DIR} and a real Envoy bootstrapped by {@code isoline bootstrap},
 * both as processes on loopback with random ports, as a user runs them side by side. Envoy's
 * listeners bind 127.0.0.1 on {@link #httpPort} and {@link #httpsPort}. {@link #close()} stops both
 * and fails the test if Envoy rejected any update (naming the resource and Envoy's message).
 */
public final class EnvoyStack implements AutoCloseable {

    public final Path manifests;
    public final IsolineProcess isoline;
    public final EnvoyProcess envoy;
    public final int httpPort;
    public final int httpsPort;

    private EnvoyStack(Path manifests, IsolineProcess isoline, EnvoyProcess envoy, int httpPort, int httpsPort) {
        this.manifests = manifests;
        this.isoline = isoline;
        this.envoy = envoy;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    /**
     * Starts Isoline over {@code manifests} (which should already hold the objects: Envoy becomes
     * ready once it has listeners) with extra {@code serveArgs}, then Envoy, and waits until Envoy
     * is ready.
     */
    public static EnvoyStack start(Path dir, Path manifests, String... serveArgs) throws Exception {
        return start(dir, manifests, List.of(), serveArgs);
    }

    /** The same, with extra {@code bootstrapArgs} for {@code isoline bootstrap}. */
    public static EnvoyStack start(Path dir, Path manifests, List<String> bootstrapArgs, String... serveArgs) throws Exception {
        EnvoyProcess.require();
        Files.createDirectories(dir);
        int http = IsolineProcess.freePort();
        int https = IsolineProcess.freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--manifests", manifests.toString(), "--envoy-address", "127.0.0.1",
                "--envoy-http-port", String.valueOf(http), "--envoy-https-port", String.valueOf(https)));
        args.addAll(List.of(serveArgs));
        IsolineProcess isoline = IsolineProcess.start(dir.resolve("isoline.log"),
                List.of("-Disoline.manifests.holdoff=50ms", "-Disoline.manifests.poll-interval=50ms"), args.toArray(String[]::new))
                .awaitListening(EnvoyProcess.WAIT.toMillis() * 2);
        EnvoyProcess envoy = null;
        try {
            List<String> bootstrapCommand = new ArrayList<>(List.of("bootstrap", "-", "--xds-port", String.valueOf(isoline.port),
                    "--node-id", "envoy-" + dir.getFileName()));
            if (!bootstrapArgs.contains("--admin-port")) {
                bootstrapCommand.addAll(List.of("--admin-port", "0")); // any free port; Envoy writes it to a file
            }
            bootstrapCommand.addAll(bootstrapArgs);
            String bootstrap = IsolineProcess.run(bootstrapCommand.toArray(String[]::new));
            envoy = EnvoyProcess.start(dir.resolve("envoy"), bootstrap).awaitReady();
            return new EnvoyStack(manifests, isoline, envoy, http, https);
        } catch (Throwable e) {
            if (envoy != null) {
                envoy.close();
            }
            isoline.close();
            throw e;
        }
    }

    /** Writes (or replaces) one manifest file; Isoline picks it up within its poll interval. */
    public void write(String file, String yaml) throws Exception {
        Path tmp = manifests.resolve("." + file + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, manifests.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public void delete(String file) throws Exception {
        Files.deleteIfExists(manifests.resolve(file));
    }

    @Override
    public void close() throws Exception {
        try {
            System.out.println(envoy.xdsSummary());
            envoy.assertNoRejections();
        } finally {
            envoy.close();
            isoline.close();
        }
    }
}
