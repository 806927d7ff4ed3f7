package io.isoline.dag;

import java.util.List;

/**
 * A virtual host served on the TLS listener for SNI name {@code fqdn}, terminating TLS with
 * {@code secret} at {@code minimumTlsVersion} or above.
 */
public record SecureVirtualHost(String fqdn, String secretName, TlsVersion minimumTlsVersion,
        List<Route> routes) {

    public SecureVirtualHost {
        routes = List.copyOf(routes);
    }

    /** The same host as a plain {@link VirtualHost}, for route translation. */
    public VirtualHost asVirtualHost() {
        return new VirtualHost(fqdn, routes);
    }
}
