package io.isoline.cli;

import io.isoline.config.IsolineConfig;
import io.isoline.source.ManifestDirectorySource;
import io.isoline.state.ClusterState;
import io.isoline.xds.server.RebuildScheduler;
import io.isoline.xds.translate.TranslateOptions;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serve}: runs the xDS server. In Kubernetes mode (the default) the configuration comes from
 * the cluster (in-cluster config, {@code --kubeconfig}, or the usual KUBECONFIG resolution); with
 * {@code --manifests DIR} from a directory of manifests, re-read when files change. Both feed the
 * same {@link RebuildScheduler}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve Envoy configuration over xDS (ADS and per-type services, SotW and delta). "
                + "The xDS address and port are isoline.xds.address / isoline.xds.port (default 127.0.0.1:8001).")
public class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--manifests", paramLabel = "DIR",
            description = "Standalone mode: serve the objects in this directory (read recursively), reloading on change.")
    Path manifests;

    @Option(names = "--watch-namespaces", split = ",", paramLabel = "NS[,NS...]",
            description = "Kubernetes mode: watch only these namespaces. Default: all.")
    Set<String> watchNamespaces = new TreeSet<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubernetes mode: the kubeconfig to use. Default: in-cluster config, else KUBECONFIG, else ~/.kube/config.")
    Path kubeconfig;

    @Mixin
    TranslationOptionsMixin options;

    @Mixin
    ContourServeFlags contourFlags;

    @Inject
    RebuildScheduler scheduler;

    @Inject
    IsolineConfig config;

    @Inject
    io.isoline.metrics.IsolineMetrics metrics;

    @Inject
    Instance<KubernetesServe> kubernetes;

    @Inject
    Instance<io.fabric8.kubernetes.client.KubernetesClient> client;

    /** Null when the API server answers; else what is wrong, in one line (three tries, 2 s apart). */
    private String apiServerProblem() {
        io.fabric8.kubernetes.client.KubernetesClient api = client.get();
        // The same configuration without fabric8's own retries (ten, with back-off), so that three
        // tries take seconds, not a minute.
        var once = new io.fabric8.kubernetes.client.ConfigBuilder(api.getConfiguration()).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(5_000).withRequestTimeout(5_000).build();
        String problem = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (var probe = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(once).build()) {
                probe.getKubernetesVersion();
                return null;
            } catch (RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                problem = "cannot reach the Kubernetes API server at " + api.getMasterUrl() + ": "
                        + io.isoline.text.LogText.escape(String.valueOf(root.getMessage()), 300) + " (kubeconfig: --kubeconfig, else KUBECONFIG, "
                        + "else ~/.kube/config; in a pod, its service account)";
            }
            try {
                if (attempt < 2) {
                    Thread.sleep(2000);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return problem;
    }

    @Override
    public Integer call() {
        TranslateOptions translateOptions = options.toOptions();
        if (manifests == null) {
            if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
                // fabric8 would fall back to in-cluster or ~/.kube/config and serve another cluster.
                spec.commandLine().getErr().println("error: --kubeconfig " + kubeconfig + ": no such file");
                return TranslateCommand.EXIT_BAD_INPUT;
            }
            if (kubeconfig != null) {
                // Read by fabric8 when the client is created, which happens on the next line.
                System.setProperty("kubeconfig", kubeconfig.toAbsolutePath().toString());
            }
            String unreachable = apiServerProblem();
            if (unreachable != null) {
                // One line instead of every informer's stack trace; the pod restarts and tries again.
                spec.commandLine().getErr().println("error: " + unreachable);
                return 1;
            }
            KubernetesServe k8s = kubernetes.get();
            k8s.start(translateOptions, watchNamespaces);
            LOG.info("serving xDS for the cluster");
            Quarkus.waitForExit();
            k8s.stop();
            return 0;
        }
        if (!Files.isDirectory(manifests)) {
            spec.commandLine().getErr().println("error: --manifests " + manifests + " is not a directory");
            return TranslateCommand.EXIT_BAD_INPUT;
        }
        AtomicReference<ClusterState> latest = new AtomicReference<>(ClusterState.EMPTY);
        try (ManifestDirectorySource source = new ManifestDirectorySource(manifests,
                config.manifests().pollInterval(), config.manifests().holdoff(), loaded -> {
                    latest.set(loaded.state());
                    scheduler.markDirty();
                }, metrics::manifestsReloadFailed)) {
            source.start();
            scheduler.start(latest::get, translateOptions, new io.isoline.status.StatusLog());
            LOG.infof("serving xDS for the manifests in %s", manifests);
            Quarkus.waitForExit();
        }
        return 0;
    }
}
