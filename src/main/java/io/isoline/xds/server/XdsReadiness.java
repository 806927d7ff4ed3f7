package io.isoline.xds.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the first configuration is published: in Kubernetes mode that happens only after every
 * informer has synced, in standalone mode after the directory was loaded. Until then Envoys may
 * connect, but get nothing rather than a partial configuration. Not ready again when a change has
 * waited, or a rebuild run, for more than two minutes: publishing is stuck.
 */
@Readiness
@ApplicationScoped
public class XdsReadiness implements HealthCheck {

    /** A change not published after this long means publishing is stuck. */
    static final long STALL_LIMIT_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

    @Inject
    SnapshotPublisher publisher;

    @Inject
    RebuildScheduler scheduler;

    @Override
    public HealthCheckResponse call() {
        var current = publisher.current();
        var response = HealthCheckResponse.named("xDS configuration published");
        if (current == null) {
            return response.down().build();
        }
        long stalled = scheduler.stalledNanos();
        if (stalled > STALL_LIMIT_NANOS) {
            // Not ready rather than UP with a configuration that stopped following the cluster.
            return response.down().withData("stalled seconds", stalled / 1_000_000_000L).withData("version", current.version()).build();
        }
        return response.up().withData("version", current.version()).withData("publishes", publisher.publishCount()).build();
    }
}
