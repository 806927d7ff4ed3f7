package io.isoline.dag;

import java.util.List;

/**
 * What Envoy should do, resolved from the cluster state: virtual hosts with their routes, the
 * upstream clusters and endpoints they use, the TLS secrets, and a status for every object.
 * Every list is sorted by name, so the same state always gives an equal {@code Dag}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param httpHosts  virtual hosts served on the plain-HTTP listener ({@code *} is the default host)
 * @param httpsHosts virtual hosts served on the TLS listener, one SNI name each
 * @param warnings   input that was ignored (unparseable annotation values and the like), each
 *                   naming its object; wiring logs them
 */
public record Dag(
        List<VirtualHost> httpHosts,
        List<SecureVirtualHost> httpsHosts,
        List<ServiceCluster> clusters,
        List<EndpointGroup> endpointGroups,
        List<TlsSecret> secrets,
        List<ObjectStatus> statuses,
        List<String> warnings) {

    public Dag {
        httpHosts = List.copyOf(httpHosts);
        httpsHosts = List.copyOf(httpsHosts);
        clusters = List.copyOf(clusters);
        endpointGroups = List.copyOf(endpointGroups);
        secrets = List.copyOf(secrets);
        statuses = List.copyOf(statuses);
        warnings = List.copyOf(warnings);
    }
}
