package io.isoline.xds.translate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.isoline.dag.Dag;
import io.isoline.dag.Route;
import io.isoline.dag.RouteAction;
import io.isoline.dag.SecureVirtualHost;
import io.isoline.dag.ServiceCluster;
import io.isoline.dag.VirtualHost;
import io.isoline.xds.validate.ProtoConstraints;
import io.isoline.xds.validate.ValidMemo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last check before anything is published: every resource against Envoy's {@code validate.rules}
 * ({@link ProtoConstraints}), each problem traced back to the objects that produced it, so the core
 * can reject exactly those objects instead of sending Envoy something it would NACK. Problems that
 * no object explains (a translator bug) are returned separately; nothing is published then.
 *
 * <p>Pure in effect: the only state kept between checks is which messages were found valid
 * ({@link ValidMemo}, the caller's), which depends on their content alone.
 */
final class EnvoyGuard {

    private static final Pattern VHOST = Pattern.compile("^virtual_hosts\\[(\\d+)](\\.routes\\[(\\d+)])?");
    private static final Pattern CHAIN = Pattern.compile("^filter_chains\\[(\\d+)]");

    /**
     * @param rejections   the first problem of each responsible object, by owner ({@code Kind ns/name})
     * @param unattributed problems no object explains
     */
    record Findings(Map<String, String> rejections, List<String> unattributed) {
        boolean clean() {
            return rejections.isEmpty() && unattributed.isEmpty();
        }
    }

    private final Dag dag;
    private final ValidMemo memo;
    private final Map<String, String> rejections = new TreeMap<>();
    private final List<String> unattributed = new ArrayList<>();
    private Map<String, Set<String>> clusterOwners;

    private EnvoyGuard(Dag dag, ValidMemo memo) {
        this.dag = dag;
        this.memo = memo;
    }

    /** What a check needs first and is the same every time, worked out ahead (see {@link ConfigTranslator#prepare()}). */
    static void prepare() {
        List<Message> types = new ArrayList<>(List.of(Listener.getDefaultInstance(), RouteConfiguration.getDefaultInstance(),
                Cluster.getDefaultInstance(), ClusterLoadAssignment.getDefaultInstance(), Secret.getDefaultInstance()));
        types.addAll(io.isoline.xds.validate.EnvoyTypes.ALL);
        ProtoConstraints.shared().prepare(types);
    }

    /** A check of every resource. */
    static Findings check(Dag dag, XdsResources r) {
        return check(dag, r, ValidMemo.empty().next());
    }

    /**
     * A check that skips messages {@code memo} knows are valid (from the check before: see
     * {@link ValidMemo#next()}); {@code memo} learns this check's valid messages.
     */
    static Findings check(Dag dag, XdsResources r, ValidMemo memo) {
        EnvoyGuard guard = new EnvoyGuard(dag, memo);
        guard.each("listener", "listeners", r.listeners(), Listener::getName, guard::listenerOwners);
        guard.each("route configuration", "routes", r.routes(), RouteConfiguration::getName, guard::routeOwners);
        guard.each("cluster", "clusters", r.clusters(), Cluster::getName,
                (c, v) -> guard.clusterOwners().getOrDefault(c.getName(), Set.of()));
        guard.each("endpoints", "endpoints", r.endpoints(), ClusterLoadAssignment::getClusterName,
                guard::endpointOwners);
        guard.each("secret", "secrets", r.secrets(), Secret::getName, guard::secretOwners);
        guard.each("listener", "api listeners", r.apiListeners(), Listener::getName,
                (l, v) -> guard.hostOwners(l.getName()));
        guard.memo.finish();
        return new Findings(guard.rejections, guard.unattributed);
    }

    /** Checks one type's {@code resources} (the list of {@code slot}), unless a check found that very content clean. */
    private <T extends Message> void each(String type, String slot, List<T> resources, Function<T, String> name,
            java.util.function.BiFunction<T, String, Collection<String>> owners) {
        if (memo.isCleanList(slot)) {
            return;
        }
        // The very message the last check found valid at the same position of a list as long is
        // valid (validity is the content's): one changed cluster among 10,000 costs one check, not
        // 10,000 look-ups.
        Object[] before = memo.validAt(slot);
        Object[] now = new Object[resources.size()];
        boolean aligned = before != null && before.length == now.length;
        boolean clean = true;
        for (int i = 0; i < now.length; i++) {
            T resource = resources.get(i);
            if (aligned && before[i] == resource) {
                now[i] = resource;
                continue;
            }
            boolean valid = true;
            for (String violation : ProtoConstraints.shared().violations(resource, memo)) {
                String problem = "Envoy would reject " + type + " " + name.apply(resource) + ": " + violation;
                Collection<String> who = owners.apply(resource, violation);
                if (who.isEmpty()) {
                    unattributed.add(problem);
                }
                who.forEach(o -> rejections.putIfAbsent(o, problem));
                valid = false;
            }
            now[i] = valid ? resource : null;
            clean &= valid;
        }
        memo.validAt(slot, now);
        if (clean) {
            memo.cleanList(slot);
        }
    }

    private Collection<String> listenerOwners(Listener l, String violation) {
        Matcher m = CHAIN.matcher(violation);
        if (l.getName().equals(ListenerTranslator.HTTPS_LISTENER) && m.find()) {
            int chain = Integer.parseInt(m.group(1));
            return chain < dag.httpsHosts().size() ? Set.of(dag.httpsHosts().get(chain).owner()) : Set.of();
        }
        return Set.of();
    }

    private Collection<String> routeOwners(RouteConfiguration rc, String violation) {
        Matcher m = VHOST.matcher(violation);
        if (!m.find()) {
            return Set.of();
        }
        int index = Integer.parseInt(m.group(1));
        List<Route> routes;
        Set<String> owners = new LinkedHashSet<>();
        if (rc.getName().equals(RouteTranslator.HTTP_ROUTES)) {
            if (index >= dag.httpHosts().size()) {
                return Set.of();
            }
            routes = dag.httpHosts().get(index).routes();
        } else {
            String fqdn = rc.getName().substring(RouteTranslator.httpsRouteName("").length());
            SecureVirtualHost host = dag.httpsHosts().stream().filter(h -> h.fqdn().equals(fqdn)).findFirst().orElse(null);
            if (host == null) {
                return Set.of();
            }
            routes = host.routes();
            owners.add(host.owner());
        }
        if (m.group(3) != null) {
            Route route = byEnvoyIndex(routes, Integer.parseInt(m.group(3)));
            return route == null ? Set.of() : Set.of(route.owner());
        }
        routes.forEach(r -> owners.add(r.owner()));
        return owners;
    }

    /** The Isoline route that became Envoy route {@code index} (one Isoline route may become two). */
    private static Route byEnvoyIndex(List<Route> routes, int index) {
        int seen = 0;
        for (Route r : routes) {
            seen += RouteTranslator.envoyRouteCount(r);
            if (index < seen) {
                return r;
            }
        }
        return null;
    }

    private Collection<String> endpointOwners(ClusterLoadAssignment cla, String violation) {
        Set<String> owners = new LinkedHashSet<>();
        for (ServiceCluster c : dag.clusters()) {
            if (c.endpointGroup().equals(cla.getClusterName())) {
                owners.addAll(clusterOwners().getOrDefault(c.name(), Set.of()));
            }
        }
        return owners;
    }

    private Collection<String> secretOwners(Secret s, String violation) {
        return dag.httpsHosts().stream().filter(h -> s.getName().equals(h.secretName()))
                .map(SecureVirtualHost::owner).toList();
    }

    private Collection<String> hostOwners(String fqdn) {
        return dag.httpHosts().stream().filter(h -> h.fqdn().equals(fqdn))
                .flatMap(h -> h.routes().stream()).map(Route::owner).toList();
    }

    /** Which objects send traffic to each cluster: route owners, and TCP proxy hosts' owners. */
    private Map<String, Set<String>> clusterOwners() {
        if (clusterOwners == null) {
            clusterOwners = new HashMap<>();
            List<VirtualHost> hosts = new ArrayList<>(dag.httpHosts());
            dag.httpsHosts().forEach(h -> hosts.add(h.asVirtualHost()));
            for (VirtualHost h : hosts) {
                for (Route r : h.routes()) {
                    if (r.action() instanceof RouteAction.Forward f) {
                        f.clusters().forEach(wc -> clusterOwners.computeIfAbsent(wc.cluster(), k -> new LinkedHashSet<>())
                                .add(r.owner()));
                    }
                }
            }
            dag.httpsHosts().stream().filter(SecureVirtualHost::isTcpProxy).forEach(h -> h.tcpProxy().forEach(wc ->
                    clusterOwners.computeIfAbsent(wc.cluster(), k -> new LinkedHashSet<>()).add(h.owner())));
        }
        return clusterOwners;
    }
}
