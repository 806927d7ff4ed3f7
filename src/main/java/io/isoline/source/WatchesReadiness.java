package io.isoline.source;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Kubernetes mode: not ready while any informer is not watching (its watch lost and not yet
 * re-established), because the configuration served then no longer follows the cluster; Envoys
 * should go to a replica that sees it. Standalone mode has no informers and is always UP here.
 *
 * <p>Thread-safe: asks the operator's runtime info, which reads the informers' own state.
 */
@Readiness
@ApplicationScoped
public class WatchesReadiness implements HealthCheck {

    @Inject
    Operator operator;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Kubernetes watches");
        var info = operator.getRuntimeInfo();
        if (!info.isStarted()) {
            return response.up().withData("mode", "no informers (standalone, or not started yet)").build();
        }
        // (one entry per controller, empty when all of its event sources are healthy)
        var unhealthy = new java.util.TreeSet<String>();
        info.unhealthyEventSources().forEach((controller, sources) -> sources.keySet().forEach(s -> unhealthy.add(controller + "/" + s)));
        if (unhealthy.isEmpty()) {
            return response.up().build();
        }
        return response.down().withData("unhealthy", String.join(", ", unhealthy)).build();
    }
}
