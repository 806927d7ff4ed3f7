package io.isoline.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (built from {@code k8s.io/kubernetes}
 * by {@code .ci/install-kube}) on loopback, random ports, a temporary data directory, and
 * certificates and keys made at test time. RBAC is on; the admin authenticates with a static token
 * in {@code system:masters}; other identities are ServiceAccounts with tokens from the TokenRequest
 * API ({@link #token}), as in a cluster. There is no controller manager and no kubelet: nothing
 * runs pods, garbage-collects or finalizes namespaces.
 */
public final class KubeApiServer implements AutoCloseable {

    /** Generous: a 2-core machine starting etcd and an API server while other tests run. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    private final Path dir;
    private final Path tools;
    private final Path ca;
    private final String adminToken = UUID.randomUUID().toString();
    private final int etcdPort;
    private final int port;
    private Process etcd;
    private Process apiServer;

    private KubeApiServer(Path dir, Path tools, Path ca, int etcdPort, int port) {
        this.dir = dir;
        this.tools = tools;
        this.ca = ca;
        this.etcdPort = etcdPort;
        this.port = port;
    }

    /** Where the binaries are: {@code $ISOLINE_KUBE}, else {@code .tools/kube}. */
    public static Path tools() {
        String env = System.getenv("ISOLINE_KUBE");
        return (env != null && !env.isBlank() ? Path.of(env) : Path.of(".tools/kube")).toAbsolutePath();
    }

    /** The binaries' directory; skips the test (fails it in CI) when they are missing. */
    public static Path require() {
        Path t = tools();
        RealTier.assume(List.of("etcd", "kube-apiserver", "kubectl").stream().allMatch(b -> Files.isExecutable(t.resolve(b))),
                "etcd, kube-apiserver and kubectl (run .ci/install-kube, or set ISOLINE_KUBE=DIR)");
        return t;
    }

    /** Starts etcd and the API server in {@code dir} and waits until {@code /readyz} answers ok. */
    public static KubeApiServer start(Path dir) throws Exception {
        Path tools = require();
        Files.createDirectories(dir);
        Certificates.Pair ca = Certificates.authority(dir, "ca", "isoline-test-ca");
        KubeApiServer server = new KubeApiServer(dir, tools, ca.cert(), IsolineProcess.freePort(), IsolineProcess.freePort());
        // Even if the test JVM dies without closing it, no etcd or API server is left behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kube-apiserver-stop"));
        try {
            server.startEtcd();
            Certificates.Pair serving = Certificates.signed(dir, "apiserver", ca, "/CN=kube-apiserver", "serverAuth",
                    "DNS:localhost,IP:127.0.0.1");
            Certificates.Pair sa = Certificates.signingKey(dir, "service-accounts");
            Files.writeString(dir.resolve("tokens.csv"), server.adminToken + ",admin,admin,\"system:masters\"\n");
            Files.writeString(dir.resolve("apiserver.args"), String.join("\n", List.of(
                    "--etcd-servers=http://127.0.0.1:" + server.etcdPort,
                    "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + server.port,
                    "--tls-cert-file=" + serving.cert(), "--tls-private-key-file=" + serving.key(),
                    "--client-ca-file=" + ca.cert(), "--token-auth-file=" + dir.resolve("tokens.csv"),
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file=" + sa.cert(), "--service-account-signing-key-file=" + sa.key(),
                    "--authorization-mode=RBAC", "--service-cluster-ip-range=10.96.0.0/16", "--profiling=false")));
            server.startApiServer();
            return server;
        } catch (Throwable e) {
            server.close();
            throw e;
        }
    }

    private void startEtcd() throws Exception {
        int peer = IsolineProcess.freePort();
        etcd = new ProcessBuilder(tools.resolve("etcd").toString(), "--name", "test", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "test=http://127.0.0.1:" + peer, "--log-level", "warn", "--quota-backend-bytes", "4294967296")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
    }

    /** Starts (or restarts) the API server over the same etcd and waits for {@code /readyz}. */
    public void startApiServer() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tools.resolve("kube-apiserver").toString()));
        cmd.addAll(Files.readAllLines(dir.resolve("apiserver.args")));
        apiServer = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("apiserver.log").toFile())).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (!apiServer.isAlive()) {
                throw new AssertionError("kube-apiserver exited with " + apiServer.exitValue() + ":\n" + tail("apiserver.log"));
            }
            if (!etcd.isAlive()) {
                throw new AssertionError("etcd exited with " + etcd.exitValue() + ":\n" + tail("etcd.log"));
            }
            Result ready = kubectlResult("get", "--raw", "/readyz");
            if (ready.exit() == 0 && ready.out().trim().equals("ok")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kube-apiserver not ready in " + WAIT + ": " + ready + "\n" + tail("apiserver.log"));
            }
            Thread.sleep(250);
        }
    }

    /** Stops the API server (etcd keeps the data), as an upgrade or a crash would. */
    public void stopApiServer() throws InterruptedException {
        stop(apiServer);
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** A fabric8 client configuration for {@code token} (the admin's when null). */
    public Config config(String token) {
        return new ConfigBuilder().withMasterUrl(url()).withCaCertFile(ca.toString())
                .withOauthToken(token == null ? adminToken : token).withRequestTimeout(60_000).build();
    }

    public KubernetesClient adminClient() {
        return new KubernetesClientBuilder().withConfig(config(null)).build();
    }

    /** A kubeconfig file for the admin (for helm). */
    public Path adminKubeconfig() throws IOException {
        return kubeconfig("admin", adminToken);
    }

    /** A kubeconfig file for {@code token}, for a process (the controller) to use as {@code KUBECONFIG}. */
    public Path kubeconfig(String name, String token) throws IOException {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: test, cluster: {server: "%s", certificate-authority: "%s"}}]
                users: [{name: %s, user: {token: "%s"}}]
                contexts: [{name: test, context: {cluster: test, user: %s}}]
                current-context: test
                """.formatted(url(), ca, name, token, name));
        return file;
    }

    /**
     * The environment of a controller replica {@code identity} run as a process against this server:
     * its kubeconfig, and the Lease namespace and Ingress status address deploy/ would give it.
     */
    public static java.util.Map<String, String> controllerEnv(Path kubeconfig, String identity) {
        return java.util.Map.of("KUBECONFIG", kubeconfig.toString(), "ISOLINE_LEADER_ELECTION_NAMESPACE", "isoline-system",
                "ISOLINE_LEADER_ELECTION_IDENTITY", identity, "ISOLINE_STATUS_ADDRESS", "192.0.2.10");
    }

    /** The field manager {@link #installDeploy} applies as (a later apply or diff as it sees no change). */
    public static final String INSTALL_MANAGER = "isoline-install";

    /** Installs deploy/isoline.yaml server-side and waits until its CRDs are established; kubectl's output. */
    public String installDeploy() throws Exception {
        String applied = kubectl("apply", "--server-side", "--field-manager=" + INSTALL_MANAGER, "-f", "deploy/isoline.yaml");
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/ingressroutes.contour.heptio.com",
                "crd/tlscertificatedelegations.contour.heptio.com", "crd/httpproxies.projectcontour.io",
                "crd/tlscertificatedelegations.projectcontour.io");
        return applied;
    }

    /** A bound token for ServiceAccount {@code namespace/name} (TokenRequest API), valid for an hour. */
    public String token(String namespace, String name) throws Exception {
        return kubectl("create", "token", name, "-n", namespace, "--duration=1h").trim();
    }

    public record Result(int exit, String out) {
    }

    /** kubectl as the admin; stdout and stderr together. */
    public Result kubectlResult(String... args) throws Exception {
        return kubectlResultWithInput(null, args);
    }

    /** kubectl as the admin with {@code stdin} as its input (for {@code -f -}). */
    public Result kubectlResultWithInput(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tools.resolve("kubectl").toString(), "--server", url(),
                "--certificate-authority", ca.toString(), "--token", adminToken));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }

    /** kubectl as the admin; fails the test when it fails. */
    public String kubectl(String... args) throws Exception {
        Result r = kubectlResult(args);
        if (r.exit() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.out());
        }
        return r.out();
    }

    private String tail(String log) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(log));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(apiServer);
        stop(etcd);
    }
}
