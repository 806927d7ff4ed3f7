package io.isoline.dag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects routes per host from all objects during a build, then orders them so that the most
 * specific match wins whatever order objects were processed in (see {@link PathMatch#SPECIFIC_FIRST}).
 * The first object to claim a host+path keeps it; later claimants are told who owns it.
 *
 * <p>Not thread-safe: one instance per build.
 */
final class HostTable {

    /** What the plain-HTTP listener does with a route that is also (or only) served over TLS. */
    enum HttpMode { SERVE, REDIRECT, NONE }

    /**
     * One route as an object contributed it. {@code fallback} routes sort after every other one.
     * At the same path, routes with more header conditions come first, then those with more query
     * parameter conditions (Contour's order).
     */
    record Entry(PathMatch match, List<RequestCondition> conditions, RouteAction action, String owner, HttpMode http, boolean fallback) {
        Entry {
            conditions = conditions == null ? List.of() : conditions.stream().sorted().toList();
        }

        Entry(PathMatch match, RouteAction action, String owner, HttpMode http, boolean fallback) {
            this(match, List.of(), action, owner, http, fallback);
        }

        /** What two entries must differ in to be two routes. */
        Object key() {
            return fallback ? "fallback" : conditions.isEmpty() ? match : List.of(match, conditions);
        }
    }

    /**
     * How a TLS host is served, and which object chose it.
     *
     * @param secret   the certificate; null for TLS passthrough
     * @param tcpProxy null for HTTP; otherwise the clusters TCP connections are proxied to
     */
    record TlsBinding(TlsSecret secret, DownstreamTls downstream, String owner, List<RouteAction.WeightedCluster> tcpProxy) {
        String secretName() {
            return secret == null ? null : secret.name();
        }
    }

    private static final Comparator<Entry> ORDER = Comparator
            .comparing(Entry::fallback)
            .thenComparing(Entry::match, PathMatch.SPECIFIC_FIRST)
            .thenComparing(e -> -RequestCondition.count(e.conditions(), RequestCondition.Source.HEADER))
            .thenComparing(e -> -RequestCondition.count(e.conditions(), RequestCondition.Source.QUERY))
            .thenComparing(e -> e.conditions().toString());

    /** Routes by host (a hash map: a tree map's insertions compare names; {@link #hostNames()} orders them once). */
    private final Map<String, Map<Object, Entry>> hosts = new HashMap<>();
    private List<String> hostNames;
    private final Map<String, TlsBinding> tls = new HashMap<>();
    private final Outputs last;

    /**
     * A host's output and what it was made from: the very same entries (and TLS binding) give the
     * very same virtual host, which the translators then find by instance.
     */
    record Output(List<Entry> entries, TlsBinding binding, Object host) {
    }

    /** The previous build's outputs, by host, plain-HTTP and TLS apart, and the order of its host names. */
    static final class Outputs {
        private final ByHost http = new ByHost();
        private final ByHost https = new ByHost();
        private final NameOrder names = new NameOrder();

        /** The previous build's host for {@code host} if made from the same {@code entries} and {@code binding}, else {@code make}'s. */
        Object reuse(boolean tls, String host, List<Entry> entries, TlsBinding binding, java.util.function.Supplier<Object> make) {
            return (tls ? https : http).reuse(host, entries, binding, make);
        }

        void next(boolean keep) {
            http.next(keep);
            https.next(keep);
        }
    }

    /** One kind of host's outputs: the previous build's and this one's. */
    private static final class ByHost {
        private Map<String, Output> previous = new HashMap<>();
        private Map<String, Output> current = new HashMap<>();

        Object reuse(String host, List<Entry> entries, TlsBinding binding, java.util.function.Supplier<Object> make) {
            Output o = previous.get(host);
            if (o == null || o.binding() != binding || !Reads.sameInstances(o.entries(), entries)) {
                o = new Output(entries, binding, make.get());
            }
            current.put(host, o);
            return o.host();
        }

        void next(boolean keep) {
            previous = keep ? current : new HashMap<>();
            current = new HashMap<>(Math.max(16, previous.size() * 4 / 3 + 1));
        }
    }

    HostTable(Outputs last) {
        this.last = last;
    }

    /** Adds a route; returns the owner of an existing route for the same host and match, else null. */
    String add(String host, Entry entry) {
        Map<Object, Entry> routes = hosts.computeIfAbsent(host, h -> new LinkedHashMap<>());
        Entry existing = routes.putIfAbsent(entry.key(), entry);
        return existing == null ? null : existing.owner();
    }

    /** Binds a certificate to a TLS host; returns the owner of a different existing binding, else null. */
    String bindTls(String host, TlsBinding binding) {
        TlsBinding existing = tls.putIfAbsent(host, binding);
        if (existing == null || (java.util.Objects.equals(existing.secretName(), binding.secretName())
                && existing.tcpProxy() == null && binding.tcpProxy() == null)) {
            return null;
        }
        return existing.owner();
    }

    /**
     * Plain-HTTP virtual hosts. A wildcard host's own routes also require a one-label match, and the
     * default host's routes follow them, so deeper names fall through to what serves unclaimed hosts.
     */
    List<VirtualHost> httpHosts() {
        List<Route> defaults = httpRoutes(VirtualHost.DEFAULT_HOST, null);
        List<VirtualHost> out = new ArrayList<>();
        for (String host : hostNames()) {
            if (host.equals(VirtualHost.DEFAULT_HOST)) {
                if (!defaults.isEmpty()) {
                    out.add(new VirtualHost(host, defaults));
                }
                continue;
            }
            boolean wildcard = host.startsWith("*.");
            if (!wildcard) {
                // An exact host's routes are its own entries alone.
                List<Entry> entries = List.copyOf(hosts.get(host).values());
                Object vh = last.reuse(false, host, entries, null, () -> {
                    List<Route> routes = httpRoutes(host, null);
                    return routes.isEmpty() ? NONE : new VirtualHost(host, routes);
                });
                if (vh != NONE) {
                    out.add((VirtualHost) vh);
                }
                continue;
            }
            List<Route> routes = new ArrayList<>(httpRoutes(host, host));
            if (routes.isEmpty()) {
                continue;
            }
            // A claimed host answers 404 for paths it does not route, wildcard or not: only names
            // deeper than its one label go on to the routes of unclaimed hosts.
            routes.add(new Route(new PathMatch.SegmentPrefix("/"), host, new RouteAction.DirectResponse(404, ""),
                    routes.get(0).owner()));
            routes.addAll(defaults);
            out.add(new VirtualHost(host, routes));
        }
        return out;
    }

    /** The hosts with routes, in name order (the previous build's order when they are the same hosts). */
    private List<String> hostNames() {
        if (hostNames == null) {
            hostNames = last.names.names(hosts);
        }
        return hostNames;
    }

    /** What a host with nothing to serve gives. */
    private static final Object NONE = new Object();

    /** TLS virtual hosts: TCP-proxied hosts, and hosts with a certificate and at least one route. */
    List<SecureVirtualHost> httpsHosts() {
        List<SecureVirtualHost> out = new ArrayList<>();
        for (var e : new TreeMap<>(tls).entrySet()) {
            TlsBinding binding = e.getValue();
            if (!e.getKey().startsWith("*.")) {
                List<Entry> entries = List.copyOf(hosts.getOrDefault(e.getKey(), Map.of()).values());
                Object h = last.reuse(true, e.getKey(), entries, binding, () -> secureHost(e.getKey(), binding, null));
                if (h != NONE) {
                    out.add((SecureVirtualHost) h);
                }
                continue;
            }
            Object h = secureHost(e.getKey(), binding, e.getKey());
            if (h != NONE) {
                out.add((SecureVirtualHost) h);
            }
        }
        return out;
    }

    /** A TLS host (a wildcard one: {@code wildcard} is its name), or {@link #NONE} when it has neither a TCP proxy nor a route. */
    private Object secureHost(String fqdn, TlsBinding binding, String wildcard) {
        List<Route> routes = binding.tcpProxy() != null ? List.of()
                : sorted(hosts.getOrDefault(fqdn, Map.of())).stream()
                        .map(r -> new Route(r.match(), r.conditions(), wildcard, r.action(), r.owner())).toList();
        if (binding.tcpProxy() == null && routes.isEmpty()) {
            return NONE;
        }
        return new SecureVirtualHost(fqdn, binding.secretName(), binding.downstream(), routes,
                binding.tcpProxy(), binding.owner(), wildcard == null ? List.of() : plainHostsUnder(wildcard));
    }

    /**
     * Exact hosts one label under {@code wildcard} ({@code *.example.com}) that have routes but no TLS
     * binding: Envoy would pick the wildcard's filter chain for them by SNI.
     */
    private List<String> plainHostsUnder(String wildcard) {
        String suffix = wildcard.substring(1);
        return hostNames().stream().filter(h -> !h.startsWith("*.") && h.endsWith(suffix)
                && h.length() > suffix.length() && h.indexOf('.') == h.length() - suffix.length() && !tls.containsKey(h)).toList();
    }

    /** The certificates of {@code served}, the TLS hosts {@link #httpsHosts()} returned. */
    List<TlsSecret> secrets(List<SecureVirtualHost> served) {
        return served.stream().flatMap(h -> java.util.stream.Stream.of(tls.get(h.fqdn()).secret(), h.downstream().fallback()))
                .filter(s -> s != null).distinct().toList();
    }

    private List<Route> httpRoutes(String host, String wildcard) {
        Map<Object, Entry> routes = hosts.get(host);
        if (routes == null) {
            return List.of();
        }
        List<Route> out = new ArrayList<>();
        for (Entry e : sorted(routes)) {
            switch (e.http()) {
                case SERVE -> out.add(new Route(e.match(), e.conditions(), wildcard, e.action(), e.owner()));
                case REDIRECT -> out.add(new Route(e.match(), e.conditions(), wildcard, new RouteAction.HttpsRedirect(), e.owner()));
                case NONE -> { }
            }
        }
        return out;
    }

    private static List<Entry> sorted(Map<Object, Entry> routes) {
        return routes.values().stream().sorted(ORDER).toList();
    }
}
