package io.isoline.dag;

import java.util.List;

/**
 * A plain-HTTP virtual host: the requests whose host is {@code fqdn} ({@code *} for the default host,
 * {@code *.example.com} for one extra DNS label), tried against {@code routes} in order.
 */
public record VirtualHost(String fqdn, List<Route> routes) {

    public static final String DEFAULT_HOST = "*";

    public VirtualHost {
        routes = List.copyOf(routes);
    }

    /** True for {@code *.suffix} hosts, which match exactly one extra DNS label. */
    public boolean isWildcard() {
        return fqdn.startsWith("*.");
    }
}
