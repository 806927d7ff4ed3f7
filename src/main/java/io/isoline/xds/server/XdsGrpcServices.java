package io.isoline.xds.server;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.BindableService;
import io.isoline.metrics.IsolineMetrics;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;

/**
 * Exposes java-control-plane's xDS services on the Quarkus gRPC server: ADS and the per-type
 * LDS/RDS/CDS/EDS/SDS services, each with its state-of-the-world and delta methods. Each bean binds
 * the implementation java-control-plane provides (extending its {@code ImplBase} is not discovered,
 * as the Envoy API jar is not indexed).
 */
public final class XdsGrpcServices {

    private XdsGrpcServices() {
    }

    /**
     * The one discovery server all services share, watching the publisher's cache; resources are
     * serialised once for every stream ({@link ResourceSerializer}).
     */
    @ApplicationScoped
    public static class DiscoveryServerProducer {
        @Produces
        @Singleton
        V3DiscoveryServer discoveryServer(SnapshotPublisher publisher, IsolineMetrics metrics) {
            return new V3DiscoveryServer(List.of(new XdsCallbacks(metrics), publisher.watcher(), publisher.progress()), publisher.watcher(),
                    new io.envoyproxy.controlplane.server.DefaultExecutorGroup(), new ResourceSerializer());
        }
    }

    /** Binds the service that {@code impl} picks from the shared discovery server. */
    abstract static class XdsService implements BindableService {
        private final V3DiscoveryServer server;
        private final Function<V3DiscoveryServer, BindableService> impl;

        XdsService(V3DiscoveryServer server, Function<V3DiscoveryServer, BindableService> impl) {
            this.server = server;
            this.impl = impl;
        }

        @Override
        public ServerServiceDefinition bindService() {
            return impl.apply(server).bindService();
        }
    }

    @GrpcService
    public static class Ads extends XdsService {
        @Inject
        public Ads(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getAggregatedDiscoveryServiceImpl);
        }
    }

    @GrpcService
    public static class Lds extends XdsService {
        @Inject
        public Lds(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getListenerDiscoveryServiceImpl);
        }
    }

    @GrpcService
    public static class Rds extends XdsService {
        @Inject
        public Rds(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getRouteDiscoveryServiceImpl);
        }
    }

    @GrpcService
    public static class Cds extends XdsService {
        @Inject
        public Cds(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getClusterDiscoveryServiceImpl);
        }
    }

    @GrpcService
    public static class Eds extends XdsService {
        @Inject
        public Eds(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getEndpointDiscoveryServiceImpl);
        }
    }

    @GrpcService
    public static class Sds extends XdsService {
        @Inject
        public Sds(V3DiscoveryServer server) {
            super(server, V3DiscoveryServer::getSecretDiscoveryServiceImpl);
        }
    }
}
