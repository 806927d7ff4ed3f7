package io.isoline.convert;

import io.isoline.dag.GoDuration;
import io.isoline.k8s.HTTPProxySpec;
import io.isoline.k8s.IngressRouteSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One IngressRoute route or tcpproxy as HTTPProxy writes it. What IngressRoute sets per service
 * (strategy, health check) HTTPProxy sets per route; timeouts it tolerated HTTPProxy refuses, so
 * they are written as what IngressRoute did with them.
 */
final class RouteConversion {

    private RouteConversion() {
    }

    /**
     * The conditions that, appended to the includes above, give {@code match} again: none when it
     * is the prefix itself, null when HTTPProxy cannot express it (not under the prefix by whole path
     * elements as appended strings).
     */
    static List<HTTPProxySpec.MatchCondition> relative(String match, String prefix) {
        if (!match.startsWith(prefix)) {
            return null;
        }
        String rest = match.substring(prefix.length());
        if (rest.isEmpty()) {
            return prefix.isEmpty() ? List.of(prefix("/")) : List.of();
        }
        if (!rest.startsWith("/")) {
            if (!prefix.endsWith("/")) {
                return null;
            }
            rest = "/" + rest; // the include's "/x/" + "/y" is merged to "/x/y"
        }
        return List.of(prefix(rest));
    }

    private static HTTPProxySpec.MatchCondition prefix(String p) {
        HTTPProxySpec.MatchCondition c = new HTTPProxySpec.MatchCondition();
        c.prefix = p;
        return c;
    }

    static HTTPProxySpec.Route route(IngressRouteSpec.Route r, List<HTTPProxySpec.MatchCondition> conditions, Consumer<String> note) {
        HTTPProxySpec.Route out = new HTTPProxySpec.Route();
        out.conditions = conditions.isEmpty() ? null : conditions;
        out.enableWebsockets = r.enableWebsockets;
        out.permitInsecure = r.permitInsecure;
        List<IngressRouteSpec.Service> services = IngressRouteConverter.nullSafe(r.services);
        out.services = services.stream().filter(Objects::nonNull).map(RouteConversion::service).toList();
        String strategy = perRoute(services.stream().map(s -> s == null ? null : s.strategy).toList(), "strategy", note);
        if (strategy != null) {
            if (strategy.equals("RingHash") || strategy.equals("Maglev")) {
                note.accept("strategy " + strategy + " has no HTTPProxy equivalent (it hashed on nothing); RoundRobin is used");
            } else {
                out.loadBalancerPolicy = new HTTPProxySpec.LoadBalancerPolicy();
                out.loadBalancerPolicy.strategy = strategy;
            }
        }
        out.healthCheckPolicy = perRoute(services.stream().map(s -> s == null ? null : s.healthCheck).toList(), "healthCheck", note);
        if (r.timeoutPolicy != null && r.timeoutPolicy.request != null) {
            out.timeoutPolicy = new HTTPProxySpec.TimeoutPolicy();
            boolean parses = GoDuration.parse(r.timeoutPolicy.request).isPresent();
            out.timeoutPolicy.response = parses ? r.timeoutPolicy.request : "infinity";
            if (!parses) {
                note.accept("timeoutPolicy.request \"" + r.timeoutPolicy.request + "\" is not a duration, which IngressRoute "
                        + "read as no timeout and HTTPProxy would refuse: written as infinity");
            }
        }
        if (r.retryPolicy != null) {
            out.retryPolicy = new HTTPProxySpec.RetryPolicy();
            out.retryPolicy.count = r.retryPolicy.count;
            out.retryPolicy.perTryTimeout = r.retryPolicy.perTryTimeout;
        }
        if (r.prefixRewrite != null) {
            HTTPProxySpec.ReplacePrefix replace = new HTTPProxySpec.ReplacePrefix();
            replace.replacement = r.prefixRewrite;
            out.pathRewritePolicy = new HTTPProxySpec.PathRewritePolicy();
            out.pathRewritePolicy.replacePrefix = List.of(replace);
            if (!r.match.equals("/") && r.prefixRewrite.endsWith("/")) {
                // HTTPProxy serves a rewritten /foo as /foo and /foo/ (Contour's expansion), so /foo/x
                // loses the slash IngressRoute doubled; every other path is rewritten the same way.
                String after = r.prefixRewrite + "x";
                note.accept("prefixRewrite " + r.prefixRewrite + ": IngressRoute sent " + r.match + "/x upstream as " + r.prefixRewrite
                        + "/x, HTTPProxy sends " + after);
            }
        }
        return out;
    }

    static HTTPProxySpec.TcpProxy tcpProxy(IngressRouteSpec.TcpProxy in, Consumer<String> note) {
        HTTPProxySpec.TcpProxy out = new HTTPProxySpec.TcpProxy();
        if (in.delegate != null) {
            out.include = new HTTPProxySpec.TcpProxyInclude();
            out.include.name = in.delegate.name;
            out.include.namespace = in.delegate.namespace;
        }
        List<IngressRouteSpec.Service> services = IngressRouteConverter.nullSafe(in.services);
        if (!services.isEmpty()) {
            out.services = services.stream().filter(Objects::nonNull).map(RouteConversion::service).toList();
            String strategy = perRoute(services.stream().map(s -> s == null ? null : s.strategy).toList(), "tcpproxy strategy", note);
            if (strategy != null && java.util.Set.of("RoundRobin", "WeightedLeastRequest", "Random").contains(strategy)) {
                out.loadBalancerPolicy = new HTTPProxySpec.LoadBalancerPolicy();
                out.loadBalancerPolicy.strategy = strategy;
            } else if (strategy != null) {
                note.accept("tcpproxy: strategy " + strategy + " does not apply to TCP in HTTPProxy; RoundRobin is used");
            }
            if (services.stream().anyMatch(s -> s != null && s.healthCheck != null)) {
                note.accept("tcpproxy: an IngressRoute health check is HTTP, which a TCP proxy's upstream may not speak; HTTPProxy's "
                        + "tcpproxy.healthCheckPolicy is a TCP connect check: add one if you want it");
            }
        }
        return out;
    }

    private static HTTPProxySpec.Service service(IngressRouteSpec.Service s) {
        HTTPProxySpec.Service out = new HTTPProxySpec.Service();
        out.name = s.name;
        out.port = s.port;
        out.weight = s.weight;
        out.validation = s.validation;
        return out;
    }

    /** A per-service setting as HTTPProxy's per-route one: the first service's, with a note when the others differ. */
    private static <T> T perRoute(List<T> values, String what, Consumer<String> note) {
        T first = values.isEmpty() ? null : values.get(0);
        List<T> distinct = new ArrayList<>();
        for (T v : values) {
            if (distinct.stream().noneMatch(d -> same(d, v))) {
                distinct.add(v);
            }
        }
        if (distinct.size() > 1) {
            note.accept("the services have different " + what + " settings; HTTPProxy has one per route: the first service's is used");
        }
        return first;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof IngressRouteSpec.HealthCheck x && b instanceof IngressRouteSpec.HealthCheck y) {
            return Objects.equals(x.path, y.path) && Objects.equals(x.host, y.host) && Objects.equals(x.intervalSeconds, y.intervalSeconds)
                    && Objects.equals(x.timeoutSeconds, y.timeoutSeconds) && Objects.equals(x.unhealthyThresholdCount, y.unhealthyThresholdCount)
                    && Objects.equals(x.healthyThresholdCount, y.healthyThresholdCount);
        }
        return Objects.equals(a, b);
    }
}
