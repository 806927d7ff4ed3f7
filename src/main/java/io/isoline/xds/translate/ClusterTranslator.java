package io.isoline.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.isoline.dag.Dag;
import io.isoline.dag.ServiceCluster;
import java.util.List;

/**
 * Dag -> Clusters: one EDS cluster per Service port and option set, fetching its endpoints over ADS
 * by the endpoint group's name (a STRICT_DNS cluster for an ExternalName Service), with circuit breakers and the upstream protocol from the Service's
 * annotations, the load-balancing strategy (with slow start), HTTP health check and upstream idle
 * timeout of IngressRoute and HTTPProxy services.
 */
public final class ClusterTranslator {

    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    static final com.google.protobuf.Duration CONNECT_TIMEOUT =
            com.google.protobuf.Duration.newBuilder().setSeconds(2).build();

    private ClusterTranslator() {
    }

    public static List<Cluster> translate(Dag dag) {
        return translate(dag, TranslationMemo.none());
    }

    static List<Cluster> translate(Dag dag, TranslationMemo memo) {
        return memo.clusters.all(dag.clusters(), ClusterTranslator::cluster);
    }

    private static Cluster cluster(ServiceCluster c) {
        Cluster.Builder b = Cluster.newBuilder()
                .setName(c.name())
                .setConnectTimeout(CONNECT_TIMEOUT)
                .setLbPolicy(lbPolicy(c.loadBalancing()));
        if (c.dnsName() == null) {
            b.setType(Cluster.DiscoveryType.EDS).setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                    .setEdsConfig(EnvoyConfig.ads()).setServiceName(c.endpointGroup()));
        } else {
            // An ExternalName Service: Envoy resolves the name itself, as Contour configures it.
            b.setType(Cluster.DiscoveryType.STRICT_DNS).setLoadAssignment(ClusterLoadAssignment.newBuilder()
                    .setClusterName(c.name())
                    .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                            .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                                    SocketAddress.newBuilder().setAddress(c.dnsName().host()).setPortValue(c.dnsName().port())))))));
        }
        if (c.healthCheck() != null) {
            b.addHealthChecks(healthCheck(c.healthCheck()));
        }
        if (!c.circuitBreakers().isDefault()) {
            b.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds(c.circuitBreakers())));
        }
        java.time.Duration idle = c.options().idleConnectionTimeout();
        if (c.protocol().http2() || idle != null) {
            HttpProtocolOptions.ExplicitHttpConfig.Builder explicit = HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
            if (c.protocol().http2()) {
                explicit.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
            } else {
                explicit.setHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance());
            }
            HttpProtocolOptions.Builder options = HttpProtocolOptions.newBuilder().setExplicitHttpConfig(explicit);
            if (idle != null) {
                // Zero ("infinity") keeps idle connections open for good, as Envoy reads it.
                options.setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setIdleTimeout(EnvoyConfig.duration(idle)));
            }
            b.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Any.pack(options.build()));
        }
        ServiceCluster.SlowStart slow = c.options().slowStart();
        if (slow != null) {
            Cluster.SlowStartConfig config = Cluster.SlowStartConfig.newBuilder()
                    .setSlowStartWindow(EnvoyConfig.duration(slow.window()))
                    // Contour's runtime key, so that an operator's runtime override keeps working.
                    .setAggression(io.envoyproxy.envoy.config.core.v3.RuntimeDouble.newBuilder()
                            .setDefaultValue(slow.aggression()).setRuntimeKey("contour.slowstart.aggression"))
                    .setMinWeightPercent(io.envoyproxy.envoy.type.v3.Percent.newBuilder().setValue(slow.minWeightPercent()))
                    .build();
            if (c.loadBalancing() == ServiceCluster.LoadBalancing.WEIGHTED_LEAST_REQUEST) {
                b.setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder().setSlowStartConfig(config));
            } else {
                b.setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder().setSlowStartConfig(config));
            }
        }
        if (c.protocol().tls()) {
            CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
            if (c.protocol().http2()) {
                common.addAlpnProtocols("h2");
            }
            UpstreamTlsContext.Builder upstream = UpstreamTlsContext.newBuilder();
            if (c.validation() != null) {
                // Contour's upstream validation: the certificate must chain to the CA and name the subject.
                common.setValidationContext(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext.newBuilder()
                        .setTrustedCa(io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder().setInlineString(c.validation().caCertificate()))
                        .addMatchTypedSubjectAltNames(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.newBuilder()
                                .setSanType(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher.SanType.DNS)
                                .setMatcher(io.envoyproxy.envoy.type.matcher.v3.StringMatcher.newBuilder().setExact(c.validation().subjectName()))));
                upstream.setSni(c.validation().subjectName());
            } else if (c.dnsName() != null) {
                upstream.setSni(c.dnsName().host());
            }
            b.setTransportSocket(EnvoyConfig.tlsTransportSocket(upstream.setCommonTlsContext(common).build()));
        }
        return b.build();
    }

    private static Cluster.LbPolicy lbPolicy(ServiceCluster.LoadBalancing lb) {
        return switch (lb) {
            case WEIGHTED_LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
            case RANDOM -> Cluster.LbPolicy.RANDOM;
            case RING_HASH, COOKIE -> Cluster.LbPolicy.RING_HASH;
            case MAGLEV -> Cluster.LbPolicy.MAGLEV;
            case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
        };
    }

    private static HealthCheck healthCheck(ServiceCluster.HealthCheck hc) {
        com.google.protobuf.Duration interval = com.google.protobuf.Duration.newBuilder().setSeconds(hc.intervalSeconds()).build();
        HealthCheck.Builder b = HealthCheck.newBuilder();
        if (hc.path() == null) {
            b.setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance()); // connect only
        } else {
            b.setHttpHealthCheck(HealthCheck.HttpHealthCheck.newBuilder().setPath(hc.path()).setHost(hc.host()));
        }
        return b
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(hc.timeoutSeconds()))
                .setInterval(interval)
                // Envoy checks a cluster that has had no traffic yet only every 60 s (and keeps that
                // timer when traffic starts), so a backend failing soon after start-up would get
                // requests for up to a minute; the interval asked for applies from the first check.
                .setNoTrafficInterval(interval)
                .setUnhealthyThreshold(UInt32Value.of(hc.unhealthyThreshold()))
                .setHealthyThreshold(UInt32Value.of(hc.healthyThreshold()))
                .build();
    }

    private static CircuitBreakers.Thresholds thresholds(ServiceCluster.CircuitBreakers cb) {
        CircuitBreakers.Thresholds.Builder t = CircuitBreakers.Thresholds.newBuilder();
        if (cb.maxConnections() != null) {
            t.setMaxConnections(UInt32Value.of(cb.maxConnections()));
        }
        if (cb.maxPendingRequests() != null) {
            t.setMaxPendingRequests(UInt32Value.of(cb.maxPendingRequests()));
        }
        if (cb.maxRequests() != null) {
            t.setMaxRequests(UInt32Value.of(cb.maxRequests()));
        }
        if (cb.maxRetries() != null) {
            t.setMaxRetries(UInt32Value.of(cb.maxRetries()));
        }
        return t.build();
    }
}
