package io.isoline.dag;

import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.k8s.HTTPProxySpec.MatchCondition;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Walks an HTTPProxy include tree from a root, as Contour's HTTPProxy processor does: each
 * include's conditions are added to those of the included object's routes
 * ({@link ProxyConditions}), and each problem is reported on the object it concerns, with
 * Contour's condition types, reasons and messages.
 */
final class IncludeWalker {

    /** A route of the tree, ready for the host table. */
    record ProxyRoute(PathMatch match, List<RequestCondition> conditions, RouteAction action, boolean permitInsecure, String owner) {
    }

    /**
     * Included objects one root's tree may visit: includes can form a diamond (each level including
     * the next twice), which followed blindly grows exponentially with a tenant's few objects.
     */
    static final int MAX_INCLUDES_PER_ROOT = 10_000;

    private final Map<ObjectKey, HTTPProxy> objects;
    private final Map<String, String> rejected;
    private final Function<ObjectKey, ProxyReport> reports;
    private final RouteServices services;
    /** Included objects visited in the current root's tree (see {@link #MAX_INCLUDES_PER_ROOT}). */
    private int visits;

    IncludeWalker(Map<ObjectKey, HTTPProxy> objects, Map<String, String> rejected,
            Function<ObjectKey, ProxyReport> reports, RouteServices services) {
        this.objects = objects;
        this.rejected = rejected;
        this.reports = reports;
        this.services = services;
    }

    /** The routes of root {@code key}'s tree (see {@link #routes}); a fresh include budget. */
    List<ProxyRoute> rootRoutes(ProxyReport r, ObjectKey key) {
        visits = 0;
        return routes(r, key, List.of(), List.of());
    }

    /**
     * The routes of {@code key} and what it includes, under the {@code conditions} of the includes
     * that led here; null when an error drops this object's routes (Contour's rule).
     */
    List<ProxyRoute> routes(ProxyReport r, ObjectKey key, List<MatchCondition> conditions, List<ObjectKey> visited) {
        if (visited.contains(key)) {
            String path = visited.stream().map(ObjectKey::toString).collect(Collectors.joining(" -> "));
            r.error("IncludeError", "IncludeCreatesCycle", "include creates an include cycle: " + path + " -> " + key);
            return null;
        }
        String rejection = rejected.get(HTTPProxyProcessor.OWNER_PREFIX + key);
        if (rejection != null) {
            r.error("SpecError", "RejectedForEnvoy", rejection);
            return null;
        }
        List<ObjectKey> path = new ArrayList<>(visited);
        path.add(key);
        HTTPProxySpec spec = objects.get(key).getSpec();
        List<ProxyRoute> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (HTTPProxySpec.Include include : nullSafe(spec.includes)) {
            if (include == null || include.name == null || include.name.isBlank()) {
                r.error("IncludeError", "IncludeNotValid", "an include has no name");
                continue;
            }
            List<MatchCondition> conds = nullSafe(include.conditions);
            String problem = ProxyConditions.includeProblem(conds);
            problem = problem != null ? problem : ProxyConditions.pathProblem(conds);
            if (problem != null) {
                r.error("IncludeError", "PathMatchConditionsNotValid", "include: " + problem);
                continue;
            }
            if (requestConditions(r, conds) == null) {
                continue;
            }
            String same = ProxyConditions.includeKey(conds);
            if (same != null && !seen.add(same)) {
                r.error("IncludeError", "DuplicateMatchConditions", "duplicate conditions defined on an include");
                continue;
            }
            ObjectKey target = ObjectKey.of(include.namespace, include.name, key.namespace());
            List<MatchCondition> chain = concat(conditions, conds);
            HTTPProxy child = objects.get(target);
            if (child == null || (child.getSpec() != null && child.getSpec().virtualhost != null)) {
                r.error("IncludeError", child == null ? "IncludeNotFound" : "RootIncludesRoot", child == null
                        ? "include " + target + " not found"
                        : "root httpproxy cannot include another root httpproxy (" + target + ")");
                badGateway(chain, key).ifPresent(out::add);
                continue;
            }
            if (++visits > MAX_INCLUDES_PER_ROOT) {
                r.error("IncludeError", "IncludeTreeTooLarge", "the include tree is larger than " + MAX_INCLUDES_PER_ROOT
                        + " included objects: include " + target + " is not followed");
                continue;
            }
            ProxyReport childReport = reports.apply(target);
            childReport.reach();
            if (child.getSpec() == null || child.getSpec().decodeProblem() != null) {
                continue; // reported when it was read
            }
            List<ProxyRoute> included = routes(childReport, target, chain, path);
            if (included != null) {
                out.addAll(included);
            }
        }
        List<HTTPProxySpec.Route> routes = nullSafe(spec.routes);
        for (int i = 0; i < routes.size(); i++) {
            ProxyRoute route = route(r, key, routes.get(i), i, conditions);
            if (route == null) {
                return null;
            }
            out.add(route);
        }
        return ProxyRewrites.expand(out);
    }

    private ProxyRoute route(ProxyReport r, ObjectKey key, HTTPProxySpec.Route route, int index, List<MatchCondition> conditions) {
        int actions = route == null ? 0 : (HTTPProxyProcessor.isEmpty(route.services) ? 0 : 1)
                + (route.requestRedirectPolicy == null ? 0 : 1) + (route.directResponsePolicy == null ? 0 : 1);
        if (actions != 1) {
            r.error("RouteError", "RouteActionCountNotValid", route == null ? "spec.routes[" + index + "] is empty"
                    : "must set exactly one of route.services or route.requestRedirectPolicy or route.directResponsePolicy");
            return null;
        }
        List<MatchCondition> own = nullSafe(route.conditions);
        String problem = ProxyConditions.pathProblem(own);
        if (problem != null) {
            r.error("RouteError", "PathMatchConditionsNotValid", "route: " + problem);
            return null;
        }
        List<MatchCondition> all = concat(conditions, own);
        List<RequestCondition> matches = requestConditions(r, all);
        if (matches == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        PathMatch match = ProxyConditions.path(all, problems);
        if (match == null) {
            r.error("RouteError", "PathMatchConditionsNotValid", "route: " + problems.get(0));
            return null;
        }
        RoutePolicy policy = policy(r, route);
        if (policy == null) {
            return null;
        }
        Map<String, String> dynamic = Map.of("CONTOUR_NAMESPACE", key.namespace());
        ProxyHeaders.Pair headers = ProxyHeaders.both(r, "RouteError", "ResponseHeaderPolicyInvalid", route.requestHeadersPolicy,
                route.responseHeadersPolicy, dynamic);
        if (headers == null) {
            return null;
        }
        policy = policy.withHeaders(headers.request(), headers.response());
        List<RoutePolicy.CookieRewrite> cookies = ProxyCookies.rewrites(route.cookieRewritePolicies, problems);
        if (cookies == null) {
            r.error("RouteError", "CookieRewritePoliciesInvalid", problems.get(0) + " on route cookie rewrite rules");
            return null;
        }
        policy = policy.withCookieRewrites(cookies);
        if (route.pathRewritePolicy != null && !HTTPProxyProcessor.isEmpty(route.pathRewritePolicy.replacePrefix)) {
            String rewrite = ProxyRewrites.replacement(match, route.pathRewritePolicy.replacePrefix, problems);
            if (!problems.isEmpty()) {
                r.error("PrefixReplaceError", problems.get(0).startsWith("cannot") ? "MustHavePrefix" : "PrefixReplaceNotValid", problems.get(0));
                return null;
            }
            policy = policy.withPrefixRewrite(rewrite);
        }
        if (route.directResponsePolicy != null || route.requestRedirectPolicy != null) {
            RouteAction action = ProxyActions.action(route, problems);
            if (action == null) {
                r.error("RouteError", route.directResponsePolicy != null ? "DirectResponsePolicyNotValid" : "RequestRedirectPolicy",
                        problems.get(0));
                return null;
            }
            return new ProxyRoute(match, matches, action, Boolean.TRUE.equals(route.permitInsecure), HTTPProxyProcessor.OWNER_PREFIX + key);
        }
        RouteAction action = ProxyServices.forward(r, services, key, route, policy, "route " + match.path());
        if (action == null) {
            return null;
        }
        return new ProxyRoute(match, matches, action, Boolean.TRUE.equals(route.permitInsecure), HTTPProxyProcessor.OWNER_PREFIX + key);
    }

    /**
     * Timeouts (response and idle; "infinity" = none), retries (count 0 means 1; on 5xx unless
     * retryOn says otherwise) and websockets; null with the error reported.
     */
    private static RoutePolicy policy(ProxyReport r, HTTPProxySpec.Route route) {
        Duration timeout = null;
        Duration idle = null;
        if (route.timeoutPolicy != null) {
            timeout = timeout(r, "response", route.timeoutPolicy.response);
            idle = timeout(r, "idle", route.timeoutPolicy.idle);
            // A value given that gave no duration did not parse (and was reported).
            if (timeout == null && notEmpty(route.timeoutPolicy.response) || idle == null && notEmpty(route.timeoutPolicy.idle)) {
                return null;
            }
        }
        RoutePolicy.RetryPolicy retry = null;
        if (route.retryPolicy != null) {
            long count = route.retryPolicy.count == null ? 1 : Math.max(1, Math.min(route.retryPolicy.count, RouteServices.MAX_COUNT));
            Duration perTry = route.retryPolicy.perTryTimeout == null ? null : GoDuration.parse(route.retryPolicy.perTryTimeout).orElse(null);
            List<String> on = nullSafe(route.retryPolicy.retryOn).stream().filter(c -> c != null && !c.isBlank()).toList();
            for (String c : on) {
                if (!IngressProcessor.RETRY_ON.contains(c)) {
                    r.error("RouteError", "RetryPolicyNotValid", "route.retryPolicy.retryOn \"" + c + "\" is not a retry condition");
                    return null;
                }
            }
            List<Integer> codes = new ArrayList<>();
            for (Long code : nullSafe(route.retryPolicy.retriableStatusCodes)) {
                if (code == null || code < 100 || code > 599) {
                    r.error("RouteError", "RetryPolicyNotValid", "route.retryPolicy.retriableStatusCodes must be HTTP status codes (100-599)");
                    return null;
                }
                codes.add(code.intValue());
            }
            retry = new RoutePolicy.RetryPolicy(on.isEmpty() ? RouteServices.RETRY_ON : String.join(",", on), (int) count, perTry, codes);
        }
        return new RoutePolicy(timeout, retry, Boolean.TRUE.equals(route.enableWebsockets), null, null, idle, null, null, null, null);
    }

    /** A timeoutPolicy duration ("infinity" = none), null when unset or (with the error reported) unparseable. */
    static Duration timeout(ProxyReport r, String field, String value) {
        if (!notEmpty(value)) {
            return null;
        }
        Duration d = GoDuration.parse(value).orElse(null);
        if (d == null) {
            r.error("RouteError", "TimeoutPolicyNotValid", "route.timeoutPolicy failed to parse: " + field + " \"" + value
                    + "\" is not a duration");
        }
        return d;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** The header and query parameter conditions of a chain; null with the error reported (Contour's reasons). */
    private static List<RequestCondition> requestConditions(ProxyReport r, List<MatchCondition> conditions) {
        List<String> problems = new ArrayList<>();
        List<RequestCondition> headers = ProxyConditions.headers(conditions, problems);
        if (!problems.isEmpty()) {
            r.error("RouteError", "HeaderMatchConditionsNotValid", problems.get(0));
            return null;
        }
        List<RequestCondition> queries = ProxyConditions.queries(conditions, problems);
        if (!problems.isEmpty()) {
            r.error("RouteError", "QueryParameterMatchConditionsNotValid", problems.get(0));
            return null;
        }
        return ProxyConditions.concat(headers, queries);
    }

    /** Contour's answer under the conditions of an include it could not follow: 502, never a fall-through. */
    private static java.util.Optional<ProxyRoute> badGateway(List<MatchCondition> chain, ObjectKey key) {
        if (chain.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> ignored = new ArrayList<>();
        PathMatch match = ProxyConditions.path(chain, ignored);
        List<RequestCondition> conditions = ProxyConditions.concat(ProxyConditions.headers(chain, ignored),
                ProxyConditions.queries(chain, ignored));
        return match == null ? java.util.Optional.empty() : java.util.Optional.of(new ProxyRoute(match, conditions,
                new RouteAction.DirectResponse(502, null), true, HTTPProxyProcessor.OWNER_PREFIX + key));
    }

    /** The tcpproxy's clusters, following {@code include} to another HTTPProxy's; null with the error reported. */
    List<WeightedCluster> tcpProxy(ProxyReport r, ObjectKey key, HTTPProxySpec.TcpProxy tcp, List<ObjectKey> visited) {
        boolean hasServices = !HTTPProxyProcessor.isEmpty(tcp.services);
        // Contour: the singular include wins over the deprecated plural one.
        HTTPProxySpec.TcpProxyInclude include = tcp.include != null ? tcp.include : tcp.includes;
        if (hasServices && include != null) {
            r.error("TCPProxyError", "NoServicesAndInclude", "cannot specify services and include in the same httpproxy");
            return null;
        }
        if (hasServices) {
            return ProxyServices.tcp(r, services, key, tcp);
        }
        ProxyServices.tcpStrategy(r, tcp);
        if (include == null || include.name == null) {
            r.error("TCPProxyError", "NothingDefined", "either services or inclusion must be specified");
            return null;
        }
        ObjectKey target = ObjectKey.of(include.namespace, include.name, key.namespace());
        HTTPProxy child = objects.get(target);
        if (child == null || child.getSpec() == null) {
            r.error("TCPProxyIncludeError", "IncludeNotFound", "include " + target + " not found");
            return null;
        }
        if (child.getSpec().virtualhost != null) {
            r.error("TCPProxyIncludeError", "RootIncludesRoot", "root httpproxy cannot include another root httpproxy (" + target + ")");
            return null;
        }
        if (visited.contains(target)) {
            r.error("TCPProxyIncludeError", "IncludeCreatesCycle", "include creates a cycle: "
                    + visited.stream().map(ObjectKey::toString).collect(Collectors.joining(" -> ")) + " -> " + target);
            return null;
        }
        ProxyReport childReport = reports.apply(target);
        childReport.reach();
        if (child.getSpec().tcpproxy == null) {
            r.error("TCPProxyIncludeError", "IncludeNotFound", "include " + target + " has no tcpproxy");
            return null;
        }
        visited.add(target);
        return tcpProxy(childReport, target, child.getSpec().tcpproxy, visited);
    }

    private static List<MatchCondition> concat(List<MatchCondition> a, List<MatchCondition> b) {
        List<MatchCondition> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
