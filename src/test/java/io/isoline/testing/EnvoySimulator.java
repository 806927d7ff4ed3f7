package io.isoline.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.isoline.xds.translate.XdsResources;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Test-only model of how Envoy picks a route for a request, following Envoy's documented rules:
 * listener by scheme, TLS filter chain by SNI (exact, then longest wildcard), the HTTP connection
 * manager's route table (stripping the host's port when it says so), virtual host (exact domain,
 * then longest suffix wildcard, then {@code *}), then the first route whose path and header
 * matchers all match. Lets tests assert what a user would see for a request.
 */
public final class EnvoySimulator {

    /** What Envoy does with a request. */
    public sealed interface Outcome {
    }

    /** Proxied to {@code cluster} (the first of a weighted set), through {@code route}. */
    public record Proxied(String cluster, Route route) implements Outcome {
    }

    public record Redirected(boolean toHttps, int code) implements Outcome {
    }

    public record Answered(int status) implements Outcome {
    }

    /** The connection is proxied as TCP to {@code clusters}, with TLS terminated by Envoy or passed through. */
    public record TcpProxied(List<String> clusters, boolean tlsTerminated) implements Outcome {
    }

    /** No virtual host or route matched: Envoy answers 404. */
    public record NotFound() implements Outcome {
    }

    /** No listener or TLS filter chain accepts the connection. */
    public record Refused(String why) implements Outcome {
    }

    private final XdsResources resources;

    /** The Service a request reached ({@code namespace/service/port/hash} -> {@code service}), or "404". */
    public static String servedBy(Outcome o) {
        return o instanceof Proxied p ? p.cluster().split("/")[1] : o instanceof NotFound ? "404" : o.toString();
    }

    public EnvoySimulator(XdsResources resources) {
        this.resources = resources;
    }

    public Outcome http(String host, String path) {
        return request("ingress_http", host, path, java.util.Map.of());
    }

    /** A plain-HTTP request with these headers (names in any case). */
    public Outcome http(String host, String path, java.util.Map<String, String> headers) {
        return request("ingress_http", host, path, headers);
    }

    public Outcome https(String host, String path) {
        return request("ingress_https", host, path, java.util.Map.of());
    }

    private Outcome request(String listenerName, String host, String path, java.util.Map<String, String> requestHeaders) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        requestHeaders.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Optional<Listener> listener = resources.listeners().stream().filter(l -> l.getName().equals(listenerName)).findFirst();
        if (listener.isEmpty()) {
            return new Refused("no listener " + listenerName);
        }
        String sni = host.toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
        Optional<FilterChain> chain = listenerName.equals("ingress_https") ? sniChain(listener.get(), sni)
                : listener.get().getFilterChainsList().stream().findFirst();
        if (chain.isEmpty()) {
            return new Refused("no filter chain for SNI " + sni);
        }
        if (chain.get().getFilters(0).getTypedConfig().is(TcpProxy.class)) {
            return tcp(chain.get());
        }
        HttpConnectionManager hcm = hcm(chain.get());
        String authority = hcm.getStripAnyHostPort() ? host.replaceFirst(":\\d+$", "") : host;
        RouteConfiguration rc = resources.routes().stream()
                .filter(r -> r.getName().equals(hcm.getRds().getRouteConfigName())).findFirst()
                .orElseThrow(() -> new AssertionError("missing route config " + hcm.getRds().getRouteConfigName()));
        Optional<VirtualHost> vh = virtualHost(rc, authority.toLowerCase(Locale.ROOT));
        if (vh.isEmpty()) {
            return new NotFound();
        }
        for (Route route : vh.get().getRoutesList()) {
            headers.put(":authority", authority);
            if (matches(route.getMatch(), headers, path)) {
                return outcome(route);
            }
        }
        return new NotFound();
    }

    private static Optional<FilterChain> sniChain(Listener l, String sni) {
        for (FilterChain fc : l.getFilterChainsList()) {
            if (fc.getFilterChainMatch().getServerNamesList().contains(sni)) {
                return Optional.of(fc);
            }
        }
        return l.getFilterChainsList().stream()
                .filter(fc -> fc.getFilterChainMatch().getServerNamesList().stream()
                        .anyMatch(n -> n.startsWith("*.") && sni.endsWith(n.substring(1))))
                .max(Comparator.comparingInt(fc -> fc.getFilterChainMatch().getServerNames(0).length()));
    }

    private static Outcome tcp(FilterChain chain) {
        try {
            TcpProxy tcp = chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class);
            List<String> clusters = tcp.hasWeightedClusters()
                    ? tcp.getWeightedClusters().getClustersList().stream().map(c -> c.getName() + "=" + c.getWeight()).toList()
                    : List.of(tcp.getCluster());
            return new TcpProxied(clusters, chain.hasTransportSocket());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpConnectionManager hcm(FilterChain chain) {
        try {
            return chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static Optional<VirtualHost> virtualHost(RouteConfiguration rc, String host) {
        List<VirtualHost> hosts = rc.getVirtualHostsList();
        for (VirtualHost vh : hosts) {
            if (vh.getDomainsList().contains(host)) {
                return Optional.of(vh);
            }
        }
        Optional<VirtualHost> suffix = hosts.stream()
                .flatMap(vh -> vh.getDomainsList().stream()
                        .filter(d -> d.startsWith("*") && d.length() > 1 && host.endsWith(d.substring(1))
                                && host.length() > d.length() - 1)
                        .map(d -> new Object[] {vh, d.length()}))
                .max(Comparator.comparingInt(o -> (Integer) o[1]))
                .map(o -> (VirtualHost) o[0]);
        if (suffix.isPresent()) {
            return suffix;
        }
        return hosts.stream().filter(vh -> vh.getDomainsList().contains("*")).findFirst();
    }

    private static boolean matches(RouteMatch m, java.util.Map<String, String> headers, String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean pathOk = switch (m.getPathSpecifierCase()) {
            case PREFIX -> p.startsWith(m.getPrefix());
            case PATH -> p.equals(m.getPath());
            case SAFE_REGEX -> p.matches(m.getSafeRegex().getRegex());
            default -> throw new AssertionError("simulator does not model " + m.getPathSpecifierCase());
        };
        return pathOk && m.getHeadersList().stream().allMatch(h -> headerMatches(h, headers))
                && m.getQueryParametersList().stream().allMatch(q -> queryMatches(q, path));
    }

    /** Envoy's query parameter matching: the first value of the parameter, as written (not URL-decoded). */
    private static boolean queryMatches(io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher q, String path) {
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : null;
        String value = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (name.equals(q.getName())) {
                value = pair.contains("=") ? pair.substring(pair.indexOf('=') + 1) : "";
                break;
            }
        }
        if (value == null) {
            return false;
        }
        return switch (q.getQueryParameterMatchSpecifierCase()) {
            case PRESENT_MATCH -> q.getPresentMatch();
            case STRING_MATCH -> stringMatches(q.getStringMatch(), value);
            default -> throw new AssertionError("simulator does not model " + q.getQueryParameterMatchSpecifierCase());
        };
    }

    /**
     * Envoy's header matching: a missing header matches only an inverted presence match, unless
     * {@code treat_missing_header_as_empty}; otherwise the result is inverted by {@code invert_match}.
     */
    private static boolean headerMatches(HeaderMatcher h, java.util.Map<String, String> headers) {
        String value = headers.get(h.getName());
        if (value == null && !h.getTreatMissingHeaderAsEmpty()) {
            return h.getInvertMatch() && h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH;
        }
        value = value == null ? "" : value;
        boolean match = switch (h.getHeaderMatchSpecifierCase()) {
            case PRESENT_MATCH -> h.getPresentMatch();
            case STRING_MATCH -> stringMatches(h.getStringMatch(), value);
            default -> throw new AssertionError("simulator does not model " + h.getHeaderMatchSpecifierCase());
        };
        return match != h.getInvertMatch();
    }

    private static boolean stringMatches(io.envoyproxy.envoy.type.matcher.v3.StringMatcher m, String value) {
        boolean ic = m.getIgnoreCase();
        String v = ic ? value.toLowerCase(Locale.ROOT) : value;
        return switch (m.getMatchPatternCase()) {
            case EXACT -> v.equals(ic ? m.getExact().toLowerCase(Locale.ROOT) : m.getExact());
            case CONTAINS -> v.contains(ic ? m.getContains().toLowerCase(Locale.ROOT) : m.getContains());
            case PREFIX -> v.startsWith(ic ? m.getPrefix().toLowerCase(Locale.ROOT) : m.getPrefix());
            case SUFFIX -> v.endsWith(ic ? m.getSuffix().toLowerCase(Locale.ROOT) : m.getSuffix());
            case SAFE_REGEX -> value.matches(m.getSafeRegex().getRegex());
            default -> throw new AssertionError("simulator does not model " + m.getMatchPatternCase());
        };
    }

    private static Outcome outcome(Route route) {
        return switch (route.getActionCase()) {
            case ROUTE -> new Proxied(route.getRoute().hasWeightedClusters()
                    ? route.getRoute().getWeightedClusters().getClusters(0).getName()
                    : route.getRoute().getCluster(), route);
            case REDIRECT -> new Redirected(route.getRedirect().getHttpsRedirect(),
                    switch (route.getRedirect().getResponseCode()) {
                        case MOVED_PERMANENTLY -> 301;
                        case FOUND -> 302;
                        default -> -1;
                    });
            case DIRECT_RESPONSE -> new Answered(route.getDirectResponse().getStatus());
            default -> throw new AssertionError("unexpected action " + route.getActionCase());
        };
    }
}
