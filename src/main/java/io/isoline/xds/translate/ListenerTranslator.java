package io.isoline.xds.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.isoline.dag.Dag;
import io.isoline.dag.DownstreamTls;
import io.isoline.dag.RouteAction;
import io.isoline.dag.SecureVirtualHost;
import io.isoline.dag.TlsVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Dag -> Listeners: {@code ingress_http} always (an empty route table answers 404), and
 * {@code ingress_https} with one SNI filter chain per TLS virtual host (HTTP, TCP proxy, or TLS
 * passthrough) when there is at least one.
 * Listeners only reference route tables and secrets by name, so a route or certificate change
 * never changes a listener, and Envoy never drains connections for it.
 */
public final class ListenerTranslator {

    public static final String HTTP_LISTENER = "ingress_http";
    public static final String HTTPS_LISTENER = "ingress_https";
    static final String ROUTER_FILTER = "envoy.filters.http.router";
    /**
     * Envoy selects the filter by its typed_config's type URL, so the name is free; this is the one
     * java-control-plane's {@code Snapshot.ensureConsistent()} follows to the RDS names it checks.
     */
    static final String HCM_FILTER = "envoy.http_connection_manager";
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    static final String TCP_PROXY_FILTER = "envoy.filters.network.tcp_proxy";

    private ListenerTranslator() {
    }

    public static List<Listener> translate(Dag dag, ListenerOptions options) {
        return translate(dag, options, TranslationMemo.none());
    }

    static List<Listener> translate(Dag dag, ListenerOptions options, TranslationMemo memo) {
        List<Listener> out = new ArrayList<>();
        out.add(memo.fixedListeners.get(HTTP_LISTENER, n -> Listener.newBuilder()
                .setName(HTTP_LISTENER)
                .setAddress(address(options.address(), options.httpPort()))
                .addFilterChains(FilterChain.newBuilder().addFilters(hcm(HTTP_LISTENER, RouteTranslator.HTTP_ROUTES, options.edge())))
                .build()));
        if (!dag.httpsHosts().isEmpty()) {
            Listener.Builder https = Listener.newBuilder()
                    .setName(HTTPS_LISTENER)
                    .setAddress(address(options.address(), options.httpsPort()))
                    .addListenerFilters(ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
                            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
            for (SecureVirtualHost host : dag.httpsHosts()) {
                https.addFilterChains(memo.chains.get(host, h -> secureChain(h, options.edge())));
            }
            List<SecureVirtualHost> fallback = RouteTranslator.fallbackHosts(dag);
            if (!fallback.isEmpty()) {
                https.addFilterChains(fallbackChain(fallback, options.edge()));
            }
            out.add(https.build());
        }
        return out;
    }

    /**
     * For proxyless gRPC clients: a Listener named after each plain-HTTP virtual host, whose
     * {@code api_listener} routes with the same RouteConfiguration as {@code ingress_http}, so a
     * client dialing {@code xds:///<fqdn>} follows the same rules to the same endpoints. Wildcard
     * and default hosts have no name to dial and get none.
     */
    public static List<Listener> apiListeners(Dag dag, EdgeOptions edge) {
        return apiListeners(dag, edge, TranslationMemo.none());
    }

    static List<Listener> apiListeners(Dag dag, EdgeOptions edge, TranslationMemo memo) {
        List<String> names = new ArrayList<>();
        for (io.isoline.dag.VirtualHost host : dag.httpHosts()) {
            if (!host.fqdn().contains("*")) {
                names.add(host.fqdn());
            }
        }
        return memo.apiListeners.all(names, fqdn -> Listener.newBuilder().setName(fqdn)
                .setApiListener(io.envoyproxy.envoy.config.listener.v3.ApiListener.newBuilder()
                        // No access log: a proxyless gRPC client has no stdout of Envoy's to write it to.
                        .setApiListener(hcm(HTTP_LISTENER, RouteTranslator.HTTP_ROUTES, edge, false).getTypedConfig()))
                .build());
    }

    /**
     * One SNI filter chain: TLS terminated with the host's certificate (over SDS) then HTTP routing
     * or TCP proxying; or, for passthrough, no TLS context at all and TCP proxying of the raw stream.
     */
    private static FilterChain secureChain(SecureVirtualHost host, EdgeOptions edge) {
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(host.fqdn()));
        if (!host.isPassthrough()) {
            DownstreamTls d = host.downstream();
            CommonTlsContext.Builder common = serverTls(d.minimum(), d.maximum(), host.secretName(), !host.isTcpProxy());
            DownstreamTlsContext.Builder context = DownstreamTlsContext.newBuilder();
            if (d.clientValidation() != null) {
                common.setValidationContext(clientValidation(d.clientValidation()));
                context.setRequireClientCertificate(BoolValue.of(!d.clientValidation().optional()));
            }
            chain.setTransportSocket(EnvoyConfig.tlsTransportSocket(context.setCommonTlsContext(common).build()));
        }
        if (host.isTcpProxy()) {
            chain.addFilters(tcpProxy(host.tcpProxy(), edge));
        } else {
            HttpConnectionManager.Builder hcm = hcmConfig(HTTPS_LISTENER, RouteTranslator.httpsRouteName(host.fqdn()), edge, true);
            // (Not passthrough here: a passthrough host is always a TCP proxy.)
            DownstreamTls.ForwardDetails forward = host.downstream().clientValidation() == null ? null
                    : host.downstream().clientValidation().forward();
            if (forward != null) {
                // Replace whatever the client sent in x-forwarded-client-cert with the verified details.
                hcm.setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.SANITIZE_SET)
                        .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                                .setSubject(BoolValue.of(forward.subject())).setCert(forward.cert()).setChain(forward.chain())
                                .setDns(forward.dns()).setUri(forward.uri()));
            }
            chain.addFilters(filter(hcm));
        }
        return chain.build();
    }

    /**
     * TLS with no SNI name a host has (or none at all): the operator's fallback certificate, then the
     * routes of the hosts that enabled it. Its minimum version is the highest of theirs, so that no
     * host is served below what it asked for.
     */
    private static FilterChain fallbackChain(List<SecureVirtualHost> hosts, EdgeOptions edge) {
        TlsVersion min = hosts.stream().map(h -> h.downstream().minimum()).max(Comparator.naturalOrder()).orElseThrow();
        CommonTlsContext common = serverTls(min, TlsVersion.TLS_1_3, hosts.get(0).downstream().fallback().name(), true).build();
        return FilterChain.newBuilder().setName("fallback-certificate")
                .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
                .setTransportSocket(EnvoyConfig.tlsTransportSocket(DownstreamTlsContext.newBuilder().setCommonTlsContext(common).build()))
                .addFilters(hcm(HTTPS_LISTENER, RouteTranslator.FALLBACK_ROUTES, edge))
                .build();
    }

    private static Filter tcpProxy(List<RouteAction.WeightedCluster> clusters, EdgeOptions edge) {
        TcpProxy.Builder tcp = TcpProxy.newBuilder().setStatPrefix(HTTPS_LISTENER);
        AccessLogs.of(edge.accessLog(), false).ifPresent(tcp::addAccessLog);
        if (clusters.size() == 1) {
            tcp.setCluster(clusters.get(0).cluster());
        } else {
            TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
            clusters.forEach(c -> weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                    .setName(c.cluster()).setWeight(c.weight())));
            tcp.setWeightedClusters(weighted);
        }
        return Filter.newBuilder().setName(TCP_PROXY_FILTER).setTypedConfig(Any.pack(tcp.build())).build();
    }

    private static TlsParameters.TlsProtocol envoyVersion(TlsVersion v) {
        return v == TlsVersion.TLS_1_3 ? TlsParameters.TlsProtocol.TLSv1_3 : TlsParameters.TlsProtocol.TLSv1_2;
    }

    private static Filter hcm(String statPrefix, String routeConfigName, EdgeOptions edge) {
        return hcm(statPrefix, routeConfigName, edge, true);
    }

    /** A server's TLS: these versions, the certificate {@code secret} over SDS, and for HTTP the ALPN of h2 and HTTP/1.1. */
    private static CommonTlsContext.Builder serverTls(TlsVersion min, TlsVersion max, String secret, boolean http) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder()
                .setTlsParams(TlsParameters.newBuilder()
                        .setTlsMinimumProtocolVersion(envoyVersion(min)).setTlsMaximumProtocolVersion(envoyVersion(max)))
                .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(secret).setSdsConfig(EnvoyConfig.ads()));
        if (http) {
            common.addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
        }
        return common;
    }

    /** Client certificates: the CA they must chain to (or any, when skipped), the CRL; inline, they are public. */
    private static CertificateValidationContext clientValidation(DownstreamTls.ClientValidation c) {
        CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
        if (c.caCertificate() != null) {
            v.setTrustedCa(DataSource.newBuilder().setInlineString(c.caCertificate()));
        }
        if (c.skipVerification()) {
            v.setTrustChainVerification(CertificateValidationContext.TrustChainVerification.ACCEPT_UNTRUSTED);
        }
        if (c.crl() != null) {
            v.setCrl(DataSource.newBuilder().setInlineString(c.crl())).setOnlyVerifyLeafCertCrl(c.onlyVerifyLeafCrl());
        }
        return v.build();
    }

    /** @param envoy false for a proxyless gRPC client's: no access log and no Lua, which it would not run */
    private static Filter hcm(String statPrefix, String routeConfigName, EdgeOptions edge, boolean envoy) {
        return filter(hcmConfig(statPrefix, routeConfigName, edge, envoy));
    }

    private static Filter filter(HttpConnectionManager.Builder hcm) {
        return Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Any.pack(hcm.build())).build();
    }

    private static HttpConnectionManager.Builder hcmConfig(String statPrefix, String routeConfigName, EdgeOptions edge, boolean envoy) {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder().setConfigSource(EnvoyConfig.ads()).setRouteConfigName(routeConfigName));
        if (envoy) {
            // Always present, so that the first cookie rewrite changes routes only, never a listener.
            hcm.addHttpFilters(CookieRewrites.HTTP_FILTER);
        }
        hcm.addHttpFilters(HttpFilter.newBuilder().setName(ROUTER_FILTER)
                        .setTypedConfig(Any.pack(Router.getDefaultInstance())))
                .setUseRemoteAddress(BoolValue.of(true))
                .setNormalizePath(BoolValue.of(true))
                // Edge settings (Envoy's edge best practices, docs/configuration.md); a zero timeout
                // is sent as zero, which Envoy reads as "none".
                .setMergeSlashes(edge.mergeSlashes())
                .setPathWithEscapedSlashesAction(edge.escapedSlashes().envoy)
                .setRequestHeadersTimeout(EnvoyConfig.duration(edge.requestHeadersTimeout()))
                .setStreamIdleTimeout(EnvoyConfig.duration(edge.streamIdleTimeout()))
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                        .setIdleTimeout(EnvoyConfig.duration(edge.connectionIdleTimeout()))
                        .setHeadersWithUnderscoresAction(edge.headersWithUnderscores().envoy))
                .setHttp2ProtocolOptions(Http2ProtocolOptions.newBuilder()
                        .setMaxConcurrentStreams(UInt32Value.of(edge.http2MaxConcurrentStreams()))
                        .setInitialStreamWindowSize(UInt32Value.of(65536))
                        .setInitialConnectionWindowSize(UInt32Value.of(1048576)))
                // Route on the host alone: "example.com:8080" must find the "example.com" virtual host.
                .setStripAnyHostPort(true);
        if (envoy) {
            AccessLogs.of(edge.accessLog(), true).ifPresent(hcm::addAccessLog);
        }
        return hcm;
    }

    private static Address address(String host, int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
                .build();
    }
}
