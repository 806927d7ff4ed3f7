package io.isoline.source;

import io.isoline.config.IsolineConfig;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Kubernetes mode: not ready while an informer has been without its watch for longer than
 * {@code isoline.readiness.watch-grace} (its watch lost and not re-established), because the
 * configuration served then no longer follows the cluster; Envoys should go to a replica that
 * sees it. JOSDK's own health counts an informer healthy while it is running and synced, even when
 * its watch is gone and every reconnect fails, so each informer's {@code isWatching()} is read here.
 * Standalone mode has no informers and is always UP here, and never makes the operator (which
 * registers every reconciler: about half a second of a standalone start's CPU).
 *
 * <p>Thread-safe: reads the informers' own state; {@link LostWatches} keeps the times.
 */
@Readiness
@ApplicationScoped
public class WatchesReadiness implements HealthCheck {

    @Inject
    Instance<Operator> operator;

    private final LostWatches lost;
    private volatile boolean kubernetes;

    @Inject
    public WatchesReadiness(IsolineConfig config) {
        this.lost = new LostWatches(config.readiness().watchGrace().toNanos());
    }

    /** Kubernetes mode has begun: from now on the operator's informers are watched. */
    public void follow() {
        kubernetes = true;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Kubernetes watches");
        var info = kubernetes ? operator.get().getRuntimeInfo() : null;
        if (info == null || !info.isStarted()) {
            return response.up().withData("mode", "no informers (standalone, or not started yet)").build();
        }
        SortedSet<String> unhealthy = lost.look(watching(info.getRegisteredControllers()), System.nanoTime());
        if (unhealthy.isEmpty()) {
            return response.up().build();
        }
        return response.down().withData("unhealthy", String.join(", ", unhealthy)).build();
    }

    /** controller/event source (and namespace, when watching one) -> running and watching. */
    @SuppressWarnings("unchecked")
    private static Map<String, Boolean> watching(java.util.Set<RegisteredController> controllers) {
        Map<String, Boolean> out = new TreeMap<>();
        for (RegisteredController<?> c : controllers) {
            String controller = c.getConfiguration().getName();
            c.getControllerHealthInfo().informerEventSourceHealthIndicators().forEach((source, indicator) -> {
                Map<String, InformerHealthIndicator> informers = indicator.informerHealthIndicators();
                informers.forEach((namespace, informer) -> out.put(controller + "/" + source
                        + (namespace == null || namespace.isEmpty() || namespace.equals(Constants.WATCH_ALL_NAMESPACES) ? "" : " in " + namespace),
                        informer.isRunning() && informer.isWatching()));
            });
        }
        return out;
    }
}
