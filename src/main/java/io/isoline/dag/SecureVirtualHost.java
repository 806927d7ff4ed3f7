package io.isoline.dag;

import java.util.List;

/**
 * A virtual host served on the TLS listener for SNI name {@code fqdn}. Either HTTP: TLS terminated
 * with {@code secretName} at {@code minimumTlsVersion} or above, then {@code routes}; or TCP
 * proxying to {@code tcpProxy}, after terminating TLS ({@code secretName} set) or passing it
 * through untouched ({@code secretName} null).
 *
 * @param owner the object that bound TLS (and any TCP proxy) to this host ({@code Kind ns/name})
 */
public record SecureVirtualHost(String fqdn, String secretName, TlsVersion minimumTlsVersion,
        List<Route> routes, List<RouteAction.WeightedCluster> tcpProxy, String owner) {

    public SecureVirtualHost {
        routes = List.copyOf(routes);
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
