package io.isoline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged Isoline jar run as a real process, as a user runs it, with its log in a file. */
public final class IsolineProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final Path log;
    /** The xDS port. */
    public final int port;
    /** Health and metrics ({@code /q/health}, {@code /q/metrics}): the management interface. */
    public final int managementPort;

    private IsolineProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts {@code isoline <args>} with the xDS server on a free loopback port. */
    public static IsolineProcess start(Path logFile, List<String> jvmProps, String... args) throws IOException {
        return start(logFile, java.util.Map.of(), jvmProps, args);
    }

    /** The same with extra environment variables (a {@code KUBECONFIG}, {@code ISOLINE_*} settings). */
    public static IsolineProcess start(Path logFile, java.util.Map<String, String> env, List<String> jvmProps, String... args)
            throws IOException {
        int port = freePort();
        int management = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Disoline.xds.port=" + port, "-Disoline.management.port=" + management));
        cmd.addAll(jvmProps);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().putAll(env);
        return new IsolineProcess(builder.start(), logFile, port, management);
    }

    /** Runs {@code isoline <args>} (an offline command such as bootstrap) to completion; its stdout. */
    public static String run(String... args) throws Exception {
        return run(java.util.Map.of(), args);
    }

    /** The same with extra environment variables (a {@code KUBECONFIG}). */
    public static String run(java.util.Map<String, String> env, String... args) throws Exception {
        Exit exit = exit(env, args);
        if (exit.code() != 0) {
            throw new AssertionError("isoline " + String.join(" ", args) + " failed: " + exit.out() + exit.err());
        }
        return exit.out();
    }

    /** How a command of the jar ended: its exit code and what it printed. */
    public record Exit(int code, String out, String err) {
    }

    /** Runs a command of the jar to its end (ports 0: a command that should refuse must not take a port). */
    public static Exit exit(String... args) throws Exception {
        return exit(java.util.Map.of(), args);
    }

    public static Exit exit(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().put("ISOLINE_XDS_PORT", "0");
        builder.environment().put("ISOLINE_MANAGEMENT_PORT", "0");
        builder.environment().putAll(env);
        Process p = builder.start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("isoline " + String.join(" ", args) + " did not finish");
        }
        return new Exit(p.exitValue(), out, err.get());
    }

    /** Waits until the xDS port accepts connections. */
    public IsolineProcess awaitListening(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("isoline exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("isoline did not listen on " + port + " in time:\n" + log());
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a node failure or an OOM kill: no shutdown hook runs, no Lease is released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
