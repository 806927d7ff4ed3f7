package io.isoline.dag;

import io.isoline.dag.RouteServices.BackendRef;
import io.isoline.state.ObjectKey;
import io.isoline.k8s.HTTPProxySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The services of an HTTPProxy route, as Contour reads them: the clusters and their shares, the
 * route's load balancing, upstream idle timeout and health check, each service's slow start and
 * own header policies, and the one service that may be a mirror; and a tcpproxy's services, with
 * its load balancing and TCP health check. An unresolved Service is left out
 * with an error (503 when none is left); any other invalid value drops the route.
 */
final class ProxyServices {

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[0-9]+([.][0-9]+)?|[.][0-9]+");

    private ProxyServices() {
    }

    /** The route's action; null with the error reported. */
    static RouteAction forward(ProxyReport r, RouteServices services, ObjectKey key, HTTPProxySpec.Route route, RoutePolicy policy,
            String where) {
        ProxyLoadBalancing balancing = ProxyLoadBalancing.of(r, route.loadBalancerPolicy);
        policy = policy.withHashPolicies(balancing.hashPolicies());
        Duration idleConnection = null;
        if (route.timeoutPolicy != null && route.timeoutPolicy.idleConnection != null && !route.timeoutPolicy.idleConnection.isEmpty()) {
            idleConnection = IncludeWalker.timeout(r, "idleConnection", route.timeoutPolicy.idleConnection);
            if (idleConnection == null) {
                return null;
            }
        }
        List<BackendRef> resolved = new ArrayList<>();
        BackendRef mirror = null;
        for (HTTPProxySpec.Service s : route.services) {
            BackendRef ref = s == null ? null : ref(r, key, s, balancing.strategy(), route.healthCheckPolicy, idleConnection);
            if (s != null && ref == null) {
                return null;
            }
            boolean mirrored = s != null && Boolean.TRUE.equals(s.mirror);
            if (mirrored && mirror != null) {
                r.error("ServiceError", "OnlyOneMirror", "only one service per route may be nominated as mirror");
                return null;
            }
            try {
                services.clustersOf(key, java.util.Collections.singletonList(ref), where, 0);
                if (mirrored) {
                    mirror = ref;
                } else {
                    resolved.add(ref);
                }
            } catch (InvalidObject.Unresolved e) {
                r.error("ServiceError", "ServiceUnresolvedReference", "Spec.Routes unresolved service reference: " + e.getMessage());
            } catch (InvalidObject e) {
                r.error("ServiceError", "ServiceNotValid", e.getMessage());
                return null;
            }
        }
        if (resolved.size() == 1) {
            // One service: its own cookie rewrites are the route's (the service's winning for a cookie).
            policy = policy.withCookieRewrites(merge(policy.cookieRewrites(), resolved.get(0).extras().cookieRewrites()));
            resolved = List.of(withCookies(resolved.get(0), List.of()));
        } else {
            resolved = sharesWithCookies(resolved, policy.cookieRewrites());
        }
        try {
            if (resolved.isEmpty()) {
                return new RouteAction.DirectResponse(503, null);
            }
            if (mirror != null) {
                // Contour: the mirror's weight is the percentage mirrored; unset or 0 mirrors everything.
                long percent = mirror.weight() == null || mirror.weight() == 0 ? 100 : Math.min(100, mirror.weight());
                String cluster = services.clustersOf(key, List.of(mirror), where, 0).get(0).cluster();
                policy = policy.withMirror(new RoutePolicy.Mirror(cluster, (int) percent));
            }
            return new RouteAction.Forward(services.clustersOf(key, resolved, where, 0), policy);
        } catch (InvalidObject e) {
            r.error("ServiceError", "ServiceNotValid", e.getMessage());
            return null;
        }
    }

    /** With several services, each one's own cookie rewrites join the route's on its share (the service's winning for a cookie). */
    private static List<BackendRef> sharesWithCookies(List<BackendRef> refs, List<RoutePolicy.CookieRewrite> route) {
        return refs.stream().map(ref -> ref.extras().cookieRewrites().isEmpty() ? ref
                : withCookies(ref, merge(route, ref.extras().cookieRewrites()))).toList();
    }

    private static List<RoutePolicy.CookieRewrite> merge(List<RoutePolicy.CookieRewrite> route, List<RoutePolicy.CookieRewrite> own) {
        Map<String, RoutePolicy.CookieRewrite> merged = new java.util.LinkedHashMap<>();
        route.forEach(c -> merged.put(c.name(), c));
        own.forEach(c -> merged.put(c.name(), c));
        return List.copyOf(merged.values());
    }

    private static BackendRef withCookies(BackendRef ref, List<RoutePolicy.CookieRewrite> rewrites) {
        return new BackendRef(ref.name(), ref.port(), ref.weight(), ref.strategy(), ref.healthCheck(), ref.validation(), ref.protocol(),
                ref.extras().withCookieRewrites(rewrites));
    }

    /** A tcpproxy's services, with its load balancing and TCP health check; null with the error reported. */
    static List<RouteAction.WeightedCluster> tcp(ProxyReport r, RouteServices services, ObjectKey key, HTTPProxySpec.TcpProxy tcp) {
        String lb = tcpStrategy(r, tcp);
        ServiceCluster.HealthCheck check;
        try {
            check = RouteServices.tcpHealthCheck(tcp.healthCheckPolicy);
        } catch (InvalidObject e) {
            r.error("TCPProxyError", "HealthCheckPolicyInvalid", e.getMessage());
            return null;
        }
        List<BackendRef> refs = tcp.services.stream().map(s -> s == null ? null
                : new BackendRef(s.name, s.port, s.weight, lb, null, s.validation, s.protocol, BackendRef.Extras.tcp(check))).toList();
        try {
            return services.clustersOf(key, refs, "tcpproxy", 1).stream().filter(wc -> wc.weight() > 0).toList();
        } catch (InvalidObject e) {
            r.error("TCPProxyError", e instanceof InvalidObject.Unresolved ? "ServiceUnresolvedReference" : "ServiceNotValid",
                    "Spec.TCPProxy unresolved service reference: " + e.getMessage());
            return null;
        }
    }

    /** A tcpproxy's strategy; Cookie and RequestHash are ignored with Contour's warning, whether it has services or an include. */
    static String tcpStrategy(ProxyReport r, HTTPProxySpec.TcpProxy tcp) {
        String strategy = tcp.loadBalancerPolicy == null ? null : tcp.loadBalancerPolicy.strategy;
        if ("Cookie".equals(strategy) || "RequestHash".equals(strategy)) {
            r.warning("TCPProxyError", "IgnoredField", "ignoring field \"Spec.TCPProxy.LoadBalancerPolicy\"; " + strategy
                    + " load balancer policy is not supported for TCPProxies");
            return null;
        }
        return strategy;
    }

    /** One service with its checked settings; null with the error reported. */
    private static BackendRef ref(ProxyReport r, ObjectKey key, HTTPProxySpec.Service s, String strategy,
            io.isoline.k8s.IngressRouteSpec.HealthCheck healthCheck, Duration idleConnection) {
        Map<String, String> dynamic = Map.of("CONTOUR_NAMESPACE", key.namespace(), "CONTOUR_SERVICE_NAME", s.name == null ? "" : s.name,
                "CONTOUR_SERVICE_PORT", String.valueOf(s.port));
        ProxyHeaders.Pair headers = ProxyHeaders.both(r, "ServiceError", "ResponseHeadersPolicyInvalid", s.requestHeadersPolicy,
                s.responseHeadersPolicy, dynamic);
        if (headers == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        List<RoutePolicy.CookieRewrite> cookies = ProxyCookies.rewrites(s.cookieRewritePolicies, problems);
        if (cookies == null) {
            r.error("RouteError", "CookieRewritePoliciesInvalid", problems.get(0) + " on service cookie rewrite rules");
            return null;
        }
        ServiceCluster.SlowStart slowStart = null;
        if (s.slowStartPolicy != null) {
            String problem = strategy == null || strategy.equals("RoundRobin") || strategy.equals("WeightedLeastRequest") ? null
                    : "slow start is only supported with RoundRobin or WeightedLeastRequest load balancer strategy";
            slowStart = problem == null ? slowStart(s.slowStartPolicy, problems) : null;
            if (problem != null || slowStart == null) {
                r.error("ServiceError", "SlowStartInvalid", problem != null ? problem : problems.get(0) + " on slow start");
                return null;
            }
        }
        return new BackendRef(s.name, s.port, s.weight, strategy, healthCheck, s.validation, s.protocol,
                new BackendRef.Extras(idleConnection, slowStart, headers.request(), headers.response(), null, cookies));
    }

    /** Contour's slow start: a Go duration window, a decimal aggression (1.0), a minimum weight percent (10). */
    private static ServiceCluster.SlowStart slowStart(HTTPProxySpec.SlowStartPolicy p, List<String> problems) {
        Duration window = GoDuration.parse(p.window).orElse(null);
        if (window == null) {
            problems.add("error parsing window: \"" + p.window + "\" is not a duration");
            return null;
        }
        double aggression = 1.0;
        if (p.aggression != null && !p.aggression.isEmpty()) {
            aggression = DECIMAL.matcher(p.aggression).matches() ? Double.parseDouble(p.aggression) : Double.NaN;
            if (!Double.isFinite(aggression)) {
                problems.add("error parsing aggression: \"" + p.aggression + "\" is not a decimal number");
                return null;
            }
        }
        long min = p.minimumWeightPercent == null ? 10 : p.minimumWeightPercent;
        if (min < 0 || min > 100) {
            problems.add("minimumWeightPercent must be in the range 0-100");
            return null;
        }
        return new ServiceCluster.SlowStart(window, aggression, (int) min);
    }
}
