package io.isoline.dag;

import io.isoline.dag.IngressRouteProcessor.RootStep;
import io.isoline.dag.IngressRouteProcessor.RootWalk;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.IngressRoute;
import io.isoline.state.ClusterState;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A build that touches only what the changes reach: the previous build's {@link Dag} with the
 * parts of the root IngressRoutes the changes reach made again, when that is provably what a full
 * build would give. Everything else a full build would do (claiming every host, committing every
 * root, ordering every list, a status for every object) is a pass over the whole cluster, which at
 * 10,000 roots costs tens of milliseconds per change whatever the change.
 *
 * <p>It applies when every changed input is read only by root IngressRoute walks (found through
 * the {@link DagCache}'s index of what each root read), no root's claim changes (an IngressRoute
 * replaced by one claiming the same host, created at the same time, of our class), and each root
 * reached keeps its host to itself and its findings to objects no other root reads; and when the
 * roots reached keep their hosts, clusters, endpoint groups and certificates by name and give no
 * warnings (a wildcard host's TLS chain lists the exact hosts under it that have routes and no TLS,
 * so a root that keeps its hosts keeps those lists). Anything else (an object added or removed, an
 * Ingress or HTTPProxy changed, a rejection, a Service another kind reads) returns null, and the
 * caller makes a full build. {@code QuickBuildTest} compares with full builds after every random change.
 */
final class QuickBuild {

    /** Quick builds in a row before a full one, which drops what no build uses any more. */
    static final int MAX_IN_A_ROW = 256;
    /** Roots one quick build may walk again; beyond, a full build costs about as much. */
    static final int MAX_ROOTS = 256;

    private QuickBuild() {
    }

    /** This build's {@link Dag}, or null when a full build is needed; {@code cache} has begun this build. */
    static Dag attempt(ClusterState state, DagOptions options, Map<String, String> rejected, DagCache cache) {
        Dag last = cache.last;
        ClusterState before = cache.previousState;
        if (!cache.kept || last == null || cache.quickBuilds() >= MAX_IN_A_ROW || !rejected.equals(cache.previousRejected)
                || changed(before.ingresses(), state.ingresses())) {
            return null;
        }
        BuildContext ctx = new BuildContext(state, options, rejected, cache, new HostTable.Outputs());
        IngressRouteProcessor routes = IngressRouteProcessor.forQuick(ctx);
        HTTPProxyProcessor proxies = HTTPProxyProcessor.forQuick(ctx);
        TreeSet<ObjectKey> routeRoots = new TreeSet<>();
        TreeSet<ObjectKey> proxyRoots = new TreeSet<>();
        for (Reads.Dep d : cache.changed) {
            if (d.source() == Reads.Source.REJECTED || cache.ingressReads.contains(d)
                    || (d.source() == Reads.Source.INGRESS_ROUTE && !sameClaim((ObjectKey) d.key(), before.ingressRoutes().get(d.key()),
                            state.ingressRoutes().get(d.key()), routes::ours, IngressRouteProcessor::annotations, routes::claimOf))
                    || (d.source() == Reads.Source.HTTP_PROXY && !sameClaim((ObjectKey) d.key(), before.httpProxies().get(d.key()),
                            state.httpProxies().get(d.key()), proxies::ours, HTTPProxyProcessor::annotations, QuickBuild::claim))) {
                return null;
            }
            if (d.source() == Reads.Source.INGRESS_ROUTE) {
                // What was kept for the replaced instance: no build sees it again (quick builds drop nothing).
                IngressRoute replaced = before.ingressRoutes().get(d.key());
                cache.ingressRoutesOfOurs.forget(replaced);
                cache.rootClaims.forget(replaced);
            }
            for (Object reader : cache.readers(d)) {
                if (reader instanceof RootStep step) {
                    routeRoots.add(step.root());
                } else if (reader instanceof HTTPProxyProcessor.RootStep step) {
                    proxyRoots.add(step.root());
                } else {
                    return null;
                }
            }
            if (routeRoots.size() + proxyRoots.size() > MAX_ROOTS) {
                return null;
            }
        }
        if (routeRoots.isEmpty() && proxyRoots.isEmpty()) {
            return last;
        }
        Set<String> fqdns = new TreeSet<>();
        Set<ObjectKey> affectedRoutes = new TreeSet<>();
        for (ObjectKey root : routeRoots) {
            IngressRoute ir = state.ingressRoutes().get(root);
            DagCache.Entry entry = cache.entries.get(new RootStep(root));
            String fqdn = ir == null || entry == null ? null : routes.claimOf(root, ir).fqdn();
            if (fqdn == null || warned(entry)) {
                return null;
            }
            RootWalk old = (RootWalk) entry.value;
            RootWalk now = routes.quickRoot(root, fqdn);
            if (now != old) {
                cache.commitPlans.forget(old);
            }
            fqdns.add(fqdn);
            Set<ObjectKey> mentioned = IngressRouteProcessor.mentioned(root, old);
            mentioned.addAll(IngressRouteProcessor.mentioned(root, now));
            for (ObjectKey x : mentioned) {
                IngressRoute other = state.ingressRoutes().get(x);
                if (!readOnlyBy(cache, Reads.Source.INGRESS_ROUTE, x, new RootStep(root)) || (!x.equals(root) && other != null
                        && !routes.claimOf(x, other).equals(new IngressRouteProcessor.Claim(null, null)))) {
                    return null; // another root reads it, or it is a root: its status is not this root's alone
                }
            }
            affectedRoutes.addAll(mentioned);
        }
        Set<ObjectKey> affectedProxies = new TreeSet<>();
        for (ObjectKey root : proxyRoots) {
            HTTPProxy proxy = state.httpProxies().get(root);
            HTTPProxyProcessor.RootStep step = new HTTPProxyProcessor.RootStep(root);
            DagCache.Entry entry = cache.entries.get(step);
            String raw = proxy == null || entry == null ? null : HTTPProxyProcessor.rawFqdn(proxy);
            String fqdn = raw == null ? null : HTTPProxyProcessor.fqdn(raw);
            // A wildcard host's routes and TLS chain take in other hosts'.
            if (fqdn == null || fqdn.startsWith("*") || warned(entry)) {
                return null;
            }
            Set<ObjectKey> mentioned = HTTPProxyProcessor.mentioned(root, entry);
            proxies.quickRoot(root, fqdn);
            if (cache.entries.get(step) != entry) {
                cache.commitPlans.forget(entry.value);
            }
            mentioned.addAll(HTTPProxyProcessor.mentioned(root, cache.entries.get(step)));
            fqdns.add(fqdn);
            for (ObjectKey x : mentioned) {
                HTTPProxy other = state.httpProxies().get(x);
                if (!readOnlyBy(cache, Reads.Source.HTTP_PROXY, x, step) || (!x.equals(root) && other != null && !plain(other))) {
                    return null;
                }
            }
            affectedProxies.addAll(mentioned);
        }
        for (ObjectKey x : affectedRoutes) {
            IngressRoute ir = state.ingressRoutes().get(x);
            if (ir != null && routes.ours(ir)) {
                routes.quickStatus(x, ir);
            }
        }
        for (ObjectKey x : affectedProxies) {
            HTTPProxy proxy = state.httpProxies().get(x);
            if (proxy != null && proxies.ours(proxy)) {
                proxies.quickStatus(x, proxy);
            }
        }
        Dag dag = splice(last, ctx, fqdns);
        return ctx.warnings.isEmpty() ? dag : null;
    }

    /** Whether a root step's result (a replayed or new one) gave a warning. */
    private static boolean warned(DagCache.Entry entry) {
        return entry.effects.stream().anyMatch(e -> e instanceof Reads.Warned);
    }

    /** Whether no root step but {@code step} read {@code key}. */
    private static boolean readOnlyBy(DagCache cache, Reads.Source source, ObjectKey key, Object step) {
        return cache.readers(new Reads.Dep(source, key)).stream().allMatch(step::equals);
    }

    /** Whether an HTTPProxy is no root and its spec is readable: nothing but the roots reaching it report on it. */
    private static boolean plain(HTTPProxy proxy) {
        return readable(proxy) && HTTPProxyProcessor.rawFqdn(proxy) == null;
    }

    /** The previous {@link Dag} with the hosts of {@code fqdns} and what they use as {@code ctx} made them, or null. */
    private static Dag splice(Dag last, BuildContext ctx, Set<String> fqdns) {
        List<VirtualHost> http = new ArrayList<>(last.httpHosts());
        List<SecureVirtualHost> https = new ArrayList<>(last.httpsHosts());
        Map<String, VirtualHost> newHttp = byName(ctx.hosts.httpHosts(), VirtualHost::fqdn);
        List<SecureVirtualHost> secure = ctx.hosts.httpsHosts();
        Map<String, SecureVirtualHost> newHttps = byName(secure, SecureVirtualHost::fqdn);
        Set<String> oldClusters = new TreeSet<>();
        Set<String> newClusters = new TreeSet<>();
        Set<String> oldSecrets = new HashSet<>();
        Set<String> newSecrets = new HashSet<>();
        for (String fqdn : fqdns) {
            int i = Collections.binarySearch(names(http, VirtualHost::fqdn), fqdn);
            if ((i >= 0) != newHttp.containsKey(fqdn)) {
                return null; // a host appears or goes: other lists follow the hosts there are
            }
            if (i >= 0) {
                clusterNames(http.get(i).routes(), oldClusters);
                clusterNames(newHttp.get(fqdn).routes(), newClusters);
                http.set(i, newHttp.get(fqdn));
            }
            int j = Collections.binarySearch(names(https, SecureVirtualHost::fqdn), fqdn);
            if ((j >= 0) != newHttps.containsKey(fqdn)) {
                return null;
            }
            if (j >= 0) {
                SecureVirtualHost o = https.get(j);
                SecureVirtualHost n = newHttps.get(fqdn);
                clusterNames(o.routes(), oldClusters);
                clusterNames(n.routes(), newClusters);
                if (o.isTcpProxy()) {
                    o.tcpProxy().forEach(wc -> oldClusters.add(wc.cluster()));
                }
                if (n.isTcpProxy()) {
                    n.tcpProxy().forEach(wc -> newClusters.add(wc.cluster()));
                }
                secretNames(o, oldSecrets);
                secretNames(n, newSecrets);
                https.set(j, n);
            }
        }
        if (!oldClusters.equals(newClusters) || !oldSecrets.equals(newSecrets)) {
            return null;
        }
        for (TlsSecret s : ctx.hosts.secrets(secure)) {
            int k = Collections.binarySearch(names(last.secrets(), TlsSecret::name), s.name());
            if (k < 0 || !last.secrets().get(k).equals(s)) {
                return null;
            }
        }
        List<ServiceCluster> clusters = new ArrayList<>(last.clusters());
        List<EndpointGroup> groups = new ArrayList<>(last.endpointGroups());
        Set<String> oldGroups = new TreeSet<>();
        Set<String> newGroups = new TreeSet<>();
        for (String name : newClusters) {
            int i = Collections.binarySearch(names(clusters, ServiceCluster::name), name);
            ServiceCluster now = ctx.backends.cluster(name);
            if (i < 0 || now == null) {
                return null;
            }
            groupName(clusters.get(i), oldGroups);
            groupName(now, newGroups);
            clusters.set(i, now);
        }
        if (!oldGroups.equals(newGroups)) {
            return null;
        }
        for (String name : newGroups) {
            int i = Collections.binarySearch(names(groups, EndpointGroup::name), name);
            EndpointGroup now = ctx.backends.endpointGroup(name);
            if (i < 0 || now == null) {
                return null;
            }
            groups.set(i, now);
        }
        List<ObjectStatus> statuses = new ArrayList<>(last.statuses());
        for (ObjectStatus s : ctx.statuses()) {
            int i = Collections.binarySearch(statuses, s, BuildContext.STATUS_ORDER);
            if (i < 0) {
                return null;
            }
            statuses.set(i, s);
        }
        return new Dag(http, https, clusters, groups, last.secrets(), statuses, last.warnings());
    }

    /** Whether two sorted maps differ (a key added, removed, or another instance). */
    private static <V> boolean changed(java.util.NavigableMap<ObjectKey, V> before, java.util.NavigableMap<ObjectKey, V> after) {
        boolean[] any = {false};
        Changes.walk(before, after, (k, b, a) -> any[0] = true);
        return any[0];
    }

    /** Reads an object's annotations, their warnings into {@code warnings}. */
    private interface Annotations<T> {
        void read(ObjectKey key, T object, List<String> warnings);
    }

    /** An HTTPProxy's claim: its fqdn as written (null: no root); an unreadable spec is never the same claim. */
    private static Object claim(ObjectKey key, HTTPProxy p) {
        return readable(p) ? HTTPProxyProcessor.rawFqdn(p) : new Object();
    }

    /**
     * Whether {@code b} was replaced by {@code a}, one that claims the same (of our class before and
     * after, the same claim and creation time, no annotation warnings), or one we do not serve either.
     */
    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> boolean sameClaim(ObjectKey key, T b, T a,
            java.util.function.Predicate<T> ours, Annotations<T> annotations, java.util.function.BiFunction<ObjectKey, T, Object> claim) {
        if (b == null || a == null) {
            return false;
        }
        boolean served = ours.test(b);
        if (served != ours.test(a)) {
            return false;
        }
        if (!served) {
            return true;
        }
        List<String> warnings = new ArrayList<>();
        annotations.read(key, b, warnings);
        annotations.read(key, a, warnings);
        return warnings.isEmpty() && Objects.equals(claim.apply(key, b), claim.apply(key, a))
                && Objects.equals(BuildContext.created(b), BuildContext.created(a));
    }

    private static boolean readable(HTTPProxy p) {
        return p.getSpec() == null || p.getSpec().decodeProblem() == null;
    }

    /** A view of {@code all} that only looks up, and finds only what {@code ours} accepts (a quick build lists nothing). */
    static <V> Map<ObjectKey, V> oursOnly(Map<ObjectKey, V> all, java.util.function.Predicate<V> ours) {
        return new java.util.AbstractMap<>() {
            @Override
            public V get(Object key) {
                V v = all.get(key);
                return v != null && ours.test(v) ? v : null;
            }

            @Override
            public Set<Entry<ObjectKey, V>> entrySet() {
                throw new UnsupportedOperationException("looked up only");
            }
        };
    }

    /** A sorted list's names, as a list to search. */
    private static <T> List<String> names(List<T> list, Function<T, String> name) {
        return new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return name.apply(list.get(i));
            }

            @Override
            public int size() {
                return list.size();
            }
        };
    }

    private static <T> Map<String, T> byName(List<T> list, Function<T, String> name) {
        Map<String, T> out = new HashMap<>();
        list.forEach(t -> out.put(name.apply(t), t));
        return out;
    }

    private static void clusterNames(List<Route> routes, Set<String> into) {
        for (Route r : routes) {
            if (r.action() instanceof RouteAction.Forward f) {
                f.clusters().forEach(wc -> into.add(wc.cluster()));
                if (f.policy().mirror() != null) {
                    into.add(f.policy().mirror().cluster());
                }
            }
        }
    }

    private static void secretNames(SecureVirtualHost host, Set<String> into) {
        into.add(String.valueOf(host.secretName()));
        if (host.downstream().fallback() != null) {
            into.add(host.downstream().fallback().name());
        }
    }

    private static void groupName(ServiceCluster cluster, Set<String> into) {
        if (cluster.dnsName() == null) {
            into.add(cluster.endpointGroup());
        }
    }
}
