package io.isoline.config;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.k8s.IngressRouteStatus;
import io.isoline.k8s.TLSCertificateDelegation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image needs registered beyond what the Quarkus extensions register themselves: the
 * nested types of our CRD classes (bound by Jackson), and the Envoy messages that protobuf's
 * {@code JsonFormat} walks by reflection in {@code translate}, {@code bootstrap} and {@code cli}.
 * Unverified: no native toolchain is available where this was written (see docs/native.md).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
    IngressRouteSpec.class, IngressRouteSpec.VirtualHost.class, IngressRouteSpec.Tls.class, IngressRouteSpec.Route.class,
    IngressRouteSpec.Service.class, IngressRouteSpec.HealthCheck.class, IngressRouteSpec.Delegate.class,
    IngressRouteSpec.TcpProxy.class, IngressRouteSpec.TimeoutPolicy.class, IngressRouteSpec.RetryPolicy.class,
    IngressRouteStatus.class, TLSCertificateDelegation.Spec.class, TLSCertificateDelegation.CertificateDelegation.class,
    io.isoline.k8s.HTTPProxySpec.class, io.isoline.k8s.HTTPProxySpec.VirtualHost.class, io.isoline.k8s.HTTPProxySpec.Tls.class,
    io.isoline.k8s.HTTPProxySpec.MatchCondition.class, io.isoline.k8s.HTTPProxySpec.HeaderMatch.class,
    io.isoline.k8s.HTTPProxySpec.Include.class, io.isoline.k8s.HTTPProxySpec.Route.class, io.isoline.k8s.HTTPProxySpec.Service.class,
    io.isoline.k8s.HTTPProxySpec.TimeoutPolicy.class, io.isoline.k8s.HTTPProxySpec.LoadBalancerPolicy.class,
    io.isoline.k8s.HTTPProxySpec.HeadersPolicy.class, io.isoline.k8s.HTTPProxySpec.HeaderValue.class,
    io.isoline.k8s.HTTPProxySpec.PathRewritePolicy.class, io.isoline.k8s.HTTPProxySpec.DirectResponsePolicy.class,
    io.isoline.k8s.HTTPProxySpec.RequestRedirectPolicy.class, io.isoline.k8s.HTTPProxySpec.ReplacePrefix.class, io.isoline.k8s.HTTPProxySpec.RetryPolicy.class,
    io.isoline.k8s.HTTPProxySpec.TcpProxy.class, io.isoline.k8s.HTTPProxySpec.TcpProxyInclude.class,
    io.isoline.k8s.HTTPProxySpec.TcpHealthCheckPolicy.class, io.isoline.k8s.HTTPProxySpec.QueryParameterMatch.class,
    io.isoline.k8s.HTTPProxySpec.RequestHashPolicy.class, io.isoline.k8s.HTTPProxySpec.HeaderHashOptions.class,
    io.isoline.k8s.HTTPProxySpec.QueryParameterHashOptions.class, io.isoline.k8s.HTTPProxySpec.SlowStartPolicy.class,
    io.isoline.k8s.HTTPProxySpec.ClientValidation.class, io.isoline.k8s.HTTPProxySpec.ForwardClientCertificate.class,
    io.isoline.k8s.HTTPProxySpec.CookieRewritePolicy.class, io.isoline.k8s.HTTPProxySpec.CookieValue.class,
    io.isoline.k8s.IngressRouteSpec.UpstreamValidation.class,
    io.isoline.k8s.HTTPProxyStatus.class, io.isoline.k8s.HTTPProxyStatus.DetailedCondition.class,
    io.isoline.k8s.HTTPProxyStatus.SubCondition.class,
    Listener.class, RouteConfiguration.class, Cluster.class, ClusterLoadAssignment.class, Secret.class, Bootstrap.class,
    HttpConnectionManager.class, Router.class, TlsInspector.class, DownstreamTlsContext.class, UpstreamTlsContext.class,
    HttpProtocolOptions.class, TcpProxy.class, io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.class,
    io.envoyproxy.envoy.extensions.filters.http.lua.v3.LuaPerRoute.class, io.envoyproxy.envoy.config.route.v3.FilterConfig.class,
    io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig.class})
public final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
