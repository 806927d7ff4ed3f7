package io.isoline.xds.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * Envoy's bootstrap: an admin listener, a static cluster for the xDS server (HTTP/2, optionally
 * TLS with certificate files that Envoy reads itself, so no key is ever in the bootstrap), and
 * listeners and clusters over ADS (routes, endpoints and secrets follow from them).
 */
public final class EnvoyBootstrap {

    public static final String XDS_CLUSTER = "isoline";

    /**
     * @param caFile   null = plain text to the xDS server; otherwise verify it with this CA bundle
     * @param certFile client certificate for mutual TLS (with keyFile), or null
     * @param maxDownstreamConnections most downstream connections this Envoy accepts (its overload
     *                                 manager refuses more)
     */
    public record Options(String nodeId, String nodeCluster, String xdsAddress, int xdsPort, String adminAddress,
            int adminPort, String caFile, String certFile, String keyFile, long maxDownstreamConnections, int statsPort) {
    }

    /** The static listener for probes and scraping ({@link Options#statsPort}; 0 = none) and its cluster. */
    public static final String STATS_LISTENER = "stats";
    public static final String ADMIN_CLUSTER = "envoy_admin";
    /** The only admin paths the stats listener forwards: read-only, and nothing that changes Envoy. */
    public static final java.util.List<String> STATS_PATHS = java.util.List.of("/ready", "/stats", "/stats/prometheus");

    /** The default for {@link Options#maxDownstreamConnections}. */
    public static final long MAX_CONNECTIONS = 50_000;

    private EnvoyBootstrap() {
    }

    public static Bootstrap build(Options o) {
        Cluster.Builder xds = Cluster.newBuilder()
                .setName(XDS_CLUSTER)
                .setType(Cluster.DiscoveryType.STRICT_DNS)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5))
                .putTypedExtensionProtocolOptions(ClusterTranslator.HTTP_PROTOCOL_OPTIONS, Any.pack(
                        HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(address(o.xdsAddress(), o.xdsPort()))))));
        if (o.caFile() != null) {
            // Envoy offers at most TLS 1.2 upstream unless told otherwise, and Isoline's xDS port
            // (Quarkus) speaks only TLS 1.3 by default: without this no handshake succeeds.
            CommonTlsContext.Builder tls = CommonTlsContext.newBuilder()
                    .setTlsParams(TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                            .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))
                    .setValidationContext(CertificateValidationContext.newBuilder()
                            .setTrustedCa(DataSource.newBuilder().setFilename(o.caFile())));
            if (o.certFile() != null && o.keyFile() != null) {
                tls.addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setFilename(o.certFile()))
                        .setPrivateKey(DataSource.newBuilder().setFilename(o.keyFile())));
            }
            xds.setTransportSocket(EnvoyConfig.tlsTransportSocket(UpstreamTlsContext.newBuilder()
                    .setCommonTlsContext(tls).setSni(o.xdsAddress()).build()));
        }
        ApiConfigSource ads = ApiConfigSource.newBuilder()
                .setApiType(ApiConfigSource.ApiType.GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER)))
                .build();
        return Bootstrap.newBuilder()
                .setNode(Node.newBuilder().setId(o.nodeId()).setCluster(o.nodeCluster()))
                .setAdmin(Admin.newBuilder().setAddress(address(o.adminAddress(), o.adminPort())))
                // Envoy's edge best practice: a bound on downstream connections, so a connection flood
                // is refused at the door instead of exhausting memory.
                .setOverloadManager(io.envoyproxy.envoy.config.overload.v3.OverloadManager.newBuilder()
                        .addResourceMonitors(io.envoyproxy.envoy.config.overload.v3.ResourceMonitor.newBuilder()
                                .setName("envoy.resource_monitors.global_downstream_max_connections")
                                .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3
                                        .DownstreamConnectionsConfig.newBuilder().setMaxActiveDownstreamConnections(o.maxDownstreamConnections()).build()))))
                .setStaticResources(statics(o, xds))
                .setDynamicResources(Bootstrap.DynamicResources.newBuilder()
                        .setAdsConfig(ads)
                        .setLdsConfig(EnvoyConfig.ads())
                        .setCdsConfig(EnvoyConfig.ads()))
                .build();
    }

    private static Bootstrap.StaticResources statics(Options o, Cluster.Builder xds) {
        Bootstrap.StaticResources.Builder statics = Bootstrap.StaticResources.newBuilder().addClusters(xds);
        if (o.statsPort() == 0) {
            return statics.build();
        }
        // Admin stays on loopback; kubelet's readiness probe and Prometheus reach /ready and the
        // stats through this listener, which forwards exactly those GET paths and nothing else.
        io.envoyproxy.envoy.config.route.v3.VirtualHost.Builder admin = io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder()
                .setName(STATS_LISTENER).addDomains("*");
        for (String path : STATS_PATHS) {
            admin.addRoutes(io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                    .setMatch(io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder().setPath(path)
                            .addHeaders(io.envoyproxy.envoy.config.route.v3.HeaderMatcher.newBuilder().setName(":method")
                                    .setStringMatch(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact("GET"))))
                    .setRoute(io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder().setCluster(ADMIN_CLUSTER)));
        }
        var hcm = io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.newBuilder()
                .setStatPrefix(STATS_LISTENER)
                .setNormalizePath(com.google.protobuf.BoolValue.of(true))
                .setMergeSlashes(true)
                .setRouteConfig(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder().setName(STATS_LISTENER)
                        .addVirtualHosts(admin))
                .addHttpFilters(io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter.newBuilder()
                        .setName(ListenerTranslator.ROUTER_FILTER)
                        .setTypedConfig(Any.pack(io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.getDefaultInstance())));
        statics.addListeners(io.envoyproxy.envoy.config.listener.v3.Listener.newBuilder().setName(STATS_LISTENER)
                .setAddress(address("0.0.0.0", o.statsPort()))
                .addFilterChains(io.envoyproxy.envoy.config.listener.v3.FilterChain.newBuilder()
                        .addFilters(io.envoyproxy.envoy.config.listener.v3.Filter.newBuilder().setName(ListenerTranslator.HCM_FILTER)
                                .setTypedConfig(Any.pack(hcm.build())))));
        statics.addClusters(Cluster.newBuilder().setName(ADMIN_CLUSTER).setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(ADMIN_CLUSTER)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(address(o.adminAddress(), o.adminPort())))))));
        return statics.build();
    }

    private static Address address(String host, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
    }
}
