package io.isoline.dag;

import java.util.List;

/**
 * A virtual host served on the TLS listener for SNI name {@code fqdn}. Either HTTP: TLS terminated
 * with {@code secretName} as {@code downstream} says (versions, client certificates), then {@code routes}; or TCP
 * proxying to {@code tcpProxy}, after terminating TLS ({@code secretName} set) or passing it
 * through untouched ({@code secretName} null).
 *
 * @param owner        the object that bound TLS (and any TCP proxy) to this host ({@code Kind ns/name})
 * @param refusedHosts for a wildcard host: other objects' exact hosts it covers that have no TLS of
 *                     their own; requests for them on this filter chain get a 404, never the
 *                     wildcard owner's routes
 */
public record SecureVirtualHost(String fqdn, String secretName, DownstreamTls downstream,
        List<Route> routes, List<RouteAction.WeightedCluster> tcpProxy, String owner, List<String> refusedHosts) {

    public SecureVirtualHost {
        routes = List.copyOf(routes);
        refusedHosts = List.copyOf(refusedHosts);
        tcpProxy = tcpProxy == null ? null : List.copyOf(tcpProxy);
    }

    public boolean isTcpProxy() {
        return tcpProxy != null;
    }

    public boolean isPassthrough() {
        return secretName == null;
    }

    /** The same host as a plain {@link VirtualHost}, for route translation. */
    public VirtualHost asVirtualHost() {
        return new VirtualHost(fqdn, routes);
    }
}
