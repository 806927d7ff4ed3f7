package io.isoline.dag;

import io.isoline.state.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the processors of one build share: the input, the resolvers, the host table they fill, and
 * the statuses and warnings they report. {@link #finish()} turns it into the {@link Dag}.
 *
 * <p>Not thread-safe: one instance per build, used by one thread.
 */
final class BuildContext {

    static final Comparator<ObjectStatus> STATUS_ORDER = Comparator
            .comparing(ObjectStatus::kind).thenComparing(ObjectStatus::namespace).thenComparing(ObjectStatus::name);

    final ClusterState state;
    final DagOptions options;
    /** Warnings in the order found; each is an effect, so a reused result brings its warnings along. */
    final Warnings warnings = new Warnings();
    final Reads reads;
    final EndpointIndex endpointIndex;
    final BackendResolver backends;
    final SecretValidator secrets;
    final HostTable hosts;
    /** A host a root IngressRoute claims: who ("IngressRoute ns/name") and when it was created (null: unknown). */
    record RootClaim(String owner, String created) {
    }

    /** Hosts claimed by root IngressRoutes: no Ingress may use them, unless it is older than the root. */
    final Map<String, RootClaim> rootHosts = new java.util.HashMap<>();
    /** Root-claimed hosts an older object keeps ("Ingress ns/name", "HTTPProxy ns/name"): the root is refused for them. */
    final Map<String, String> olderClaims = new java.util.HashMap<>();
    /** fqdn -> the HTTPProxy roots claiming it, when conflicting roots make it nobody's (--conflicting-roots=none). */
    final Map<String, String> conflicts = new java.util.HashMap<>();
    /** Objects rejected before the build (see {@link DagBuilder#build(ClusterState, DagOptions, Map)}). */
    final Map<String, String> rejected;
    final DagCache cache;
    /** The HTTPProxy processor's reports, by object (where replayed findings go). */
    java.util.function.Function<io.isoline.state.ObjectKey, ProxyReport> proxyReports;
    private final List<ObjectStatus> statuses = new ArrayList<>();

    /** A build's context, {@code cache} begun ({@link DagCache#begin}); {@code hostOutputs}: where hosts are reused from. */
    BuildContext(ClusterState state, DagOptions options, Map<String, String> rejected, DagCache cache, HostTable.Outputs hostOutputs) {
        this.state = state;
        this.options = options;
        this.rejected = rejected;
        this.cache = cache;
        this.hosts = new HostTable(hostOutputs);
        this.reads = new Reads(cache, this);
        this.endpointIndex = new EndpointIndex(state, cache, reads);
        this.backends = new BackendResolver(state, options.externalNameServices(), endpointIndex, warnings, reads,
                cache.clusterOrder, cache.groupOrder);
        this.secrets = new SecretValidator(state, reads);
    }

    /**
     * What every cached result depends on: the options, the TLSCertificateDelegations (every Secret
     * check across namespaces reads them all) and the IngressClasses (which objects are ours),
     * compared by instance.
     */
    record Inputs(DagOptions options, List<Object> objects) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Inputs i && i.options.equals(options) && Reads.sameInstances(i.objects, objects);
        }

        @Override
        public int hashCode() {
            return options.hashCode();
        }
    }

    /** The objects every build reads whole (see {@link Inputs}). */
    static List<Object> unshared(ClusterState state) {
        List<Object> all = new ArrayList<>(state.tlsCertificateDelegations().values());
        all.addAll(state.tlsCertificateDelegationsV1().values());
        all.addAll(state.ingressClasses().values());
        return all;
    }

    /** The build's warnings: adding one records it as an effect of the steps running (see {@link Reads}). */
    final class Warnings extends ArrayList<String> {
        @Override
        public boolean add(String warning) {
            reads.effect(new Reads.Warned(warning));
            return true;
        }

        void append(String warning) {
            super.add(warning);
        }
    }

    /**
     * When an object was created, for "oldest first" ownership; null when unknown (manifest files).
     * RFC 3339 as the API server writes it (UTC, whole seconds), so text order is time order.
     */
    static String created(io.fabric8.kubernetes.api.model.HasMetadata o) {
        String t = o == null || o.getMetadata() == null ? null : o.getMetadata().getCreationTimestamp();
        return t == null || t.isEmpty() ? null : t;
    }

    /**
     * The minimum TLS version for a host whose object asks for {@code asked}: never below the
     * operator's floor (as in Contour), the floor where it asks for none or one we do not support.
     */
    TlsVersion minimumTls(java.util.Optional<TlsVersion> asked) {
        return asked.orElse(options.minimumTlsVersion()).atLeast(options.minimumTlsVersion());
    }

    /** Longest status description kept: the API server stores statuses in etcd (1.5 MiB per object). */
    static final int MAX_DESCRIPTION = 16_384;

    void status(ObjectStatus status) {
        String d = status.description();
        if (d != null && d.length() > MAX_DESCRIPTION) {
            // Thousands of notes ("already served by ...") must not make the status unwritable.
            String more = " ... (" + (d.length() - MAX_DESCRIPTION) + " more characters)";
            status = status.withDescription(d.substring(0, MAX_DESCRIPTION) + more);
        }
        statuses.add(status);
    }

    Dag finish() {
        List<VirtualHost> http = hosts.httpHosts();
        List<SecureVirtualHost> https = hosts.httpsHosts();
        // Hash maps, then the names' order (the last build's when the names are the same): a tree
        // map's every insertion compares ~log n names, a cache miss each at 10,000 clusters.
        Map<String, ServiceCluster> clusters = cache.clusterOrder.newMap();
        http.forEach(h -> collectClusters(h.routes(), clusters));
        https.forEach(h -> collectClusters(h.routes(), clusters));
        https.stream().filter(SecureVirtualHost::isTcpProxy)
                .forEach(h -> h.tcpProxy().forEach(wc -> clusters.computeIfAbsent(wc.cluster(), backends::cluster)));
        List<ServiceCluster> sortedClusters = cache.clusterOrder.of(clusters);
        Map<String, EndpointGroup> groups = cache.groupOrder.newMap();
        sortedClusters.stream().filter(c -> c.dnsName() == null)
                .forEach(c -> groups.computeIfAbsent(c.endpointGroup(), backends::endpointGroup));
        List<TlsSecret> tls = hosts.secrets(https).stream().sorted(Comparator.comparing(TlsSecret::name)).toList();
        List<ObjectStatus> sortedStatuses = statuses.stream().sorted(STATUS_ORDER).toList();
        Dag dag = new Dag(http, https, sortedClusters, cache.groupOrder.of(groups), tls,
                sortedStatuses, List.copyOf(new LinkedHashSet<>(warnings)));
        cache.end(dag);
        return dag;
    }

    /** The statuses given so far, in the order given. */
    List<ObjectStatus> statuses() {
        return statuses;
    }

    private void collectClusters(List<Route> routes, Map<String, ServiceCluster> into) {
        for (Route r : routes) {
            if (r.action() instanceof RouteAction.Forward f) {
                f.clusters().forEach(wc -> into.computeIfAbsent(wc.cluster(), backends::cluster));
                if (f.policy().mirror() != null) {
                    into.computeIfAbsent(f.policy().mirror().cluster(), backends::cluster);
                }
            }
        }
    }
}
