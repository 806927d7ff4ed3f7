package io.isoline.dag;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.isoline.dag.ServiceCluster.CircuitBreakers;
import io.isoline.dag.ServiceCluster.UpstreamProtocol;
import io.isoline.k8s.Annotations;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns "Service {@code ns/name}, port P" into an upstream cluster and its endpoint group, reading the
 * Service's Contour annotations (circuit breakers, upstream protocol). Results are memoized for one
 * build, so a Service used by a thousand routes is resolved once and warns once.
 *
 * <p>Not thread-safe: one instance per build.
 */
final class BackendResolver {

    /** A resolved backend, or the reason it could not be resolved. */
    record Resolution(ServiceCluster cluster, String error) {
        boolean ok() {
            return cluster != null;
        }
    }

    private final ClusterState state;
    private final boolean externalNames;
    private final EndpointIndex endpointIndex;
    private final List<String> warnings;
    private final Reads reads;
    private final Map<String, ServiceCluster> clusters;
    private final Map<String, EndpointGroup> groups;

    /** {@code clusterSizes}, {@code groupSizes}: the previous build's cluster and group names (for the maps' sizes). */
    BackendResolver(ClusterState state, boolean externalNames, EndpointIndex endpointIndex, List<String> warnings, Reads reads,
            NameOrder clusterSizes, NameOrder groupSizes) {
        this.clusters = clusterSizes.newMap();
        this.groups = groupSizes.newMap();
        this.state = state;
        this.externalNames = externalNames;
        this.endpointIndex = endpointIndex;
        this.warnings = warnings;
        this.reads = reads;
    }

    /** A resolution step's key in the {@link DagCache}. */
    private record Step(String what, Object arg) {
    }

    /** Resolves a port given by number or by name ({@link IntOrString}), with default options. */
    Resolution resolve(ObjectKey serviceKey, IntOrString port) {
        return resolve(serviceKey, port, ServiceCluster.Options.DEFAULT);
    }

    /** Resolves a port with load-balancing and health-check options (they are part of the cluster's name). */
    Resolution resolve(ObjectKey serviceKey, IntOrString port, ServiceCluster.Options options) {
        String portText = port == null ? "" : port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
        return reads.memo(new Step("resolve", serviceKey + ":" + portText + ":" + options + ":" + options.protocol()),
                () -> doResolve(serviceKey, port, portText, options));
    }

    ServiceCluster cluster(String name) {
        return clusters.get(name);
    }

    EndpointGroup endpointGroup(String name) {
        return groups.get(name);
    }

    private Resolution doResolve(ObjectKey key, IntOrString port, String portText, ServiceCluster.Options clusterOptions) {
        Service service = reads.read(Reads.Source.SERVICE, key, state.services().get(key));
        if (service == null) {
            return new Resolution(null, "service " + key + " not found");
        }
        boolean external = "ExternalName".equals(service.getSpec().getType());
        if (external) {
            if (!externalNames) {
                return new Resolution(null, "service " + key + " is an ExternalName Service, which this controller does not serve"
                        + " (its operator can allow them with --enable-external-name-service)");
            }
            String problem = ExternalNames.problem(service.getSpec().getExternalName(), key.namespace());
            if (problem != null) {
                return new Resolution(null, "service " + key + " " + problem);
            }
        }
        ServicePort servicePort = findPort(service, port);
        if (servicePort == null) {
            return new Resolution(null, "service " + key + " has no port " + portText);
        }
        ServiceCluster.DnsName dns = external
                ? new ServiceCluster.DnsName(service.getSpec().getExternalName().toLowerCase(java.util.Locale.ROOT), servicePort.getPort())
                : null;
        String portName = EndpointIndex.emptyIfNull(servicePort.getName());
        String groupName = portName.isEmpty() ? key.toString() : key + "/" + portName;
        UpstreamProtocol protocol = clusterOptions.protocol() != null ? clusterOptions.protocol() : protocol(service, servicePort);
        CircuitBreakers breakers = reads.memo(new Step("breakers", key), () -> {
            Service s = reads.read(Reads.Source.SERVICE, key, state.services().get(key));
            reader(s, key).unsupportedContour(Annotations.SERVICE_SUPPORTED, "is not one Isoline supports");
            return breakers(s, key);
        });
        // Default options hash to Contour's da39a3ee5e (SHA-1 of ""), so default names match Contour's.
        String options = (protocol == UpstreamProtocol.HTTP1 ? "" : "protocol=" + protocol + ";")
                + (breakers.isDefault() ? "" : breakers.toString())
                + (clusterOptions.toString().equals(ServiceCluster.Options.DEFAULT.toString()) ? "" : clusterOptions.toString());
        String hash = ContentHash.short10(options);
        String name = key + "/" + servicePort.getPort() + "/" + hash;
        // Each cluster has its own endpoint group: Envoy does not ask again for an assignment it
        // already subscribes to, so a new cluster sharing one (a Service with new options) would
        // wait for endpoints that never come. The default cluster keeps Contour's group name.
        if (!options.isEmpty()) {
            groupName = groupName + "/" + hash;
        }
        ServiceCluster cluster = new ServiceCluster(name, groupName, protocol, breakers, clusterOptions, dns);
        EndpointGroup group = dns != null ? null : new EndpointGroup(groupName, endpointIndex.endpoints(key, portName));
        reads.effect(ctx -> ctx.backends.register(cluster, group));
        return new Resolution(cluster, null);
    }

    /** Makes a resolved cluster (and its endpoint group, null for a DNS name) known to the build. */
    private void register(ServiceCluster cluster, EndpointGroup group) {
        clusters.put(cluster.name(), cluster);
        if (group != null) {
            groups.putIfAbsent(group.name(), group);
        }
    }

    private static ServicePort findPort(Service service, IntOrString port) {
        if (port == null) {
            return null;
        }
        for (ServicePort p : EndpointIndex.nullSafe(service.getSpec().getPorts())) {
            boolean byNumber = port.getIntVal() != null && port.getIntVal().equals(p.getPort());
            boolean byName = port.getStrVal() != null && port.getStrVal().equals(p.getName());
            if (byNumber || byName) {
                return p;
            }
        }
        return null;
    }

    private UpstreamProtocol protocol(Service service, ServicePort port) {
        AnnotationReader reader = reader(service, ClusterState.keyOf(service));
        boolean h2 = names(reader, Annotations.UPSTREAM_PROTOCOL_H2).stream().anyMatch(n -> matches(n, port));
        boolean h2c = names(reader, Annotations.UPSTREAM_PROTOCOL_H2C).stream().anyMatch(n -> matches(n, port));
        boolean tls = names(reader, Annotations.UPSTREAM_PROTOCOL_TLS).stream().anyMatch(n -> matches(n, port));
        if (h2) {
            return UpstreamProtocol.H2_TLS;
        }
        if (h2c) {
            return UpstreamProtocol.H2C;
        }
        return tls ? UpstreamProtocol.HTTP1_TLS : UpstreamProtocol.HTTP1;
    }

    private static Set<String> names(AnnotationReader reader, String suffix) {
        return reader.contour(suffix)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    private static boolean matches(String nameOrNumber, ServicePort port) {
        return nameOrNumber.equals(port.getName()) || nameOrNumber.equals(String.valueOf(port.getPort()));
    }

    private CircuitBreakers breakers(Service service, ObjectKey key) {
        AnnotationReader r = reader(service, key);
        return new CircuitBreakers(
                r.count(Annotations.MAX_CONNECTIONS).orElse(null),
                r.count(Annotations.MAX_PENDING_REQUESTS).orElse(null),
                r.count(Annotations.MAX_REQUESTS).orElse(null),
                r.count(Annotations.MAX_RETRIES).orElse(null));
    }

    private AnnotationReader reader(Service service, ObjectKey key) {
        return new AnnotationReader(service.getMetadata().getAnnotations(), "Service " + key, warnings);
    }

    /** The clusters resolved so far, by name. */
    Map<String, ServiceCluster> clusters() {
        return clusters;
    }
}
