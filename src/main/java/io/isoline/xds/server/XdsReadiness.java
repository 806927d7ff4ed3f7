package io.isoline.xds.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the first configuration is published: in Kubernetes mode that happens only after every
 * informer has synced, in standalone mode after the directory was loaded. Until then Envoys may
 * connect, but get nothing rather than a partial configuration.
 */
@Readiness
@ApplicationScoped
public class XdsReadiness implements HealthCheck {

    @Inject
    SnapshotPublisher publisher;

    @Override
    public HealthCheckResponse call() {
        var current = publisher.current();
        var response = HealthCheckResponse.named("xDS configuration published");
        return current == null ? response.down().build()
                : response.up().withData("version", current.version()).withData("publishes", publisher.publishCount()).build();
    }
}
