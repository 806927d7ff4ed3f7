package io.isoline.dag;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.dag.ServiceCluster.HealthCheck;
import io.isoline.dag.ServiceCluster.LoadBalancing;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ObjectKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a route's {@code services[]} (IngressRoute's and HTTPProxy's, as {@link BackendRef}s)
 * and route policies, and turns them into weighted clusters. Weights: none given = an even split;
 * otherwise relative, and services without a weight get none of the traffic. Services are resolved
 * in the object's own namespace.
 */
final class RouteServices {

    /** Contour's health-check defaults. */
    static final long HC_INTERVAL_SECONDS = 5;
    /** Bounds that keep what Envoy receives in range (the CRD schema declares the same). */
    static final long MAX_WEIGHT_SUM = Integer.MAX_VALUE;
    static final long MAX_SECONDS = Integer.MAX_VALUE;
    static final long MAX_COUNT = Integer.MAX_VALUE;
    static final long HC_TIMEOUT_SECONDS = 2;
    static final int HC_UNHEALTHY = 3;
    static final int HC_HEALTHY = 2;
    static final String HC_HOST = "contour-envoy-healthcheck";
    static final String RETRY_ON = "5xx";

    private final BuildContext ctx;
    /** How warnings name the objects: their kind. */
    private final String kind;

    RouteServices(BuildContext ctx, String kind) {
        this.ctx = ctx;
        this.kind = kind;
    }

    /** Contour's upstream validation: the CA Secret must exist in the owner's namespace with a readable {@code ca.crt}. */
    private ServiceCluster.UpstreamValidation validation(ObjectKey owner, IngressRouteSpec.UpstreamValidation v, String svc)
            throws InvalidObject {
        if (v == null) {
            return null;
        }
        if (v.caSecret == null || v.caSecret.isBlank() || v.subjectName == null || v.subjectName.isBlank()) {
            throw new InvalidObject(svc + ": validation needs caSecret and subjectName");
        }
        var ca = ctx.secrets.caBundle(new ObjectKey(owner.namespace(), v.caSecret));
        if (ca.error() != null) {
            throw new InvalidObject(svc + ": validation.caSecret: " + ca.error());
        }
        return new ServiceCluster.UpstreamValidation(ca.pem(), v.subjectName.trim());
    }

    /** The clusters and weights for {@code services}; {@code where} prefixes every error ("route \"/\"", "tcpproxy"). */
    List<WeightedCluster> clusters(ObjectKey owner, List<IngressRouteSpec.Service> services, String where)
            throws InvalidObject {
        return clusters(owner, services, where, 0);
    }

    /**
     * A service of a route as either kind writes it: IngressRoute's (strategy and health check per
     * service) or HTTPProxy's (those per route, and a protocol).
     *
     * @param protocol h2, h2c or tls (HTTPProxy), overriding the Service's annotations; null: from them
     * @param extras   HTTPProxy's other per-service settings, checked
     */
    record BackendRef(String name, Long port, Long weight, String strategy, IngressRouteSpec.HealthCheck healthCheck,
            IngressRouteSpec.UpstreamValidation validation, String protocol, Extras extras) {

        static BackendRef of(IngressRouteSpec.Service s) {
            return s == null ? null : new BackendRef(s.name, s.port, s.weight, s.strategy, s.healthCheck, s.validation, null, Extras.NONE);
        }

        /**
         * @param idleConnection  the route's {@code timeoutPolicy.idleConnection}; null: Envoy's default
         * @param slowStart       {@code slowStartPolicy}; null: none
         * @param requestHeaders  the service's own request header policy; null: none
         * @param responseHeaders the service's own response header policy; null: none
         * @param tcpHealthCheck  a tcpproxy's health check (checked), instead of {@code healthCheck}; null: none
         * @param cookieRewrites  the Set-Cookie rewrites of this service's share (see {@link WeightedCluster}); empty: none
         */
        record Extras(java.time.Duration idleConnection, ServiceCluster.SlowStart slowStart, HeaderPolicy requestHeaders,
                HeaderPolicy responseHeaders, HealthCheck tcpHealthCheck, List<RoutePolicy.CookieRewrite> cookieRewrites) {
            static final Extras NONE = new Extras(null, null, null, null, null, List.of());

            static Extras tcp(HealthCheck check) {
                return new Extras(null, null, null, null, check, List.of());
            }

            Extras withCookieRewrites(List<RoutePolicy.CookieRewrite> rewrites) {
                return new Extras(idleConnection, slowStart, requestHeaders, responseHeaders, tcpHealthCheck, rewrites);
            }
        }
    }

    /** The same, a service without a weight counting as {@code missingWeight} when others have one. */
    List<WeightedCluster> clusters(ObjectKey owner, List<IngressRouteSpec.Service> services, String where, long missingWeight)
            throws InvalidObject {
        return clustersOf(owner, services.stream().map(BackendRef::of).toList(), where, missingWeight);
    }

    /** The clusters and weights for {@code services} of either kind (see {@link #clusters}). */
    List<WeightedCluster> clustersOf(ObjectKey owner, List<BackendRef> services, String where, long missingWeight)
            throws InvalidObject {
        Map<WeightedCluster, Long> weights = new LinkedHashMap<>();
        boolean anyWeight = false;
        long sum = 0;
        for (int i = 0; i < services.size(); i++) {
            BackendRef s = services.get(i);
            if (s == null) {
                throw new InvalidObject(where + ": services[" + i + "] is empty");
            }
            String svc = where + ": service \"" + (s.name() == null ? "" : s.name()) + "\"";
            if (s.name() == null || s.name().isBlank()) {
                throw new InvalidObject(where + ": a service has no name");
            }
            if (s.port() == null || s.port() < 1 || s.port() > 65535) {
                throw new InvalidObject(svc + ": port must be in the range 1-65535");
            }
            if (s.weight() != null && s.weight() < 0) {
                throw new InvalidObject(svc + ": weight must be greater than or equal to zero");
            }
            if (s.weight() != null && s.weight() > MAX_WEIGHT_SUM) {
                throw new InvalidObject(svc + ": weight must be in the range 0-" + MAX_WEIGHT_SUM);
            }
            HealthCheck check = s.extras().tcpHealthCheck() != null ? s.extras().tcpHealthCheck() : healthCheck(s.healthCheck(), svc);
            var options = new ServiceCluster.Options(strategy(owner, s.strategy(), svc), check,
                    validation(owner, s.validation(), svc), protocol(s.protocol(), svc), s.extras().idleConnection(),
                    s.extras().slowStart());
            var resolution = ctx.backends.resolve(new ObjectKey(owner.namespace(), s.name()), new IntOrString(s.port().intValue()), options);
            if (!resolution.ok()) {
                throw new InvalidObject.Unresolved(svc + ": " + resolution.error());
            }
            anyWeight |= s.weight() != null && s.weight() > 0;
            long weight = s.weight() == null ? missingWeight : s.weight();
            // The same cluster twice is one share, unless the services' own headers differ.
            weights.merge(new WeightedCluster(resolution.cluster().name(), 0, s.extras().requestHeaders(), s.extras().responseHeaders(),
                    s.extras().cookieRewrites()), weight, Long::sum);
            sum += weight;
        }
        if (sum > MAX_WEIGHT_SUM) {
            // Envoy rejects a route whose weights sum beyond 32 bits (the whole route table with it);
            // at most 2^31-1 also keeps each cluster's share (the same Service may be listed twice) an int.
            throw new InvalidObject(where + ": the services' weights sum to " + sum + "; the sum must be at most " + MAX_WEIGHT_SUM);
        }
        List<WeightedCluster> out = new ArrayList<>();
        for (var e : weights.entrySet()) {
            WeightedCluster c = e.getKey();
            out.add(new WeightedCluster(c.cluster(), anyWeight ? e.getValue().intValue() : 1, c.requestHeaders(), c.responseHeaders(),
                    c.cookieRewrites()));
        }
        return out;
    }

    /**
     * A route's policy: timeout, retries, websockets, prefix rewrite, cookie affinity. Durations
     * Contour tolerates are tolerated the same way and told to {@code note}: an unparseable request
     * timeout means none (Contour's "infinite"), an unparseable per-try timeout is ignored.
     */
    RoutePolicy policy(IngressRouteSpec.Route route, List<IngressRouteSpec.Service> services, String where,
            java.util.function.Consumer<String> note) throws InvalidObject {
        Duration timeout = null;
        if (route.timeoutPolicy != null && route.timeoutPolicy.request != null) {
            timeout = GoDuration.parse(route.timeoutPolicy.request).orElseGet(() -> {
                note.accept(where + ": timeoutPolicy.request \"" + route.timeoutPolicy.request
                        + "\" is not a duration; the route has no timeout, as in Contour");
                return Duration.ZERO;
            });
        }
        RoutePolicy.RetryPolicy retry = null;
        if (route.retryPolicy != null) {
            long count = route.retryPolicy.count == null ? 1 : route.retryPolicy.count;
            if (count < 0 || count > MAX_COUNT) {
                throw new InvalidObject(where + ": retryPolicy.count must be in the range 0-" + MAX_COUNT);
            }
            // Contour: a count of 0 (its zero value, "not given") means one retry.
            count = Math.max(1, count);
            Duration perTry = null;
            if (route.retryPolicy.perTryTimeout != null) {
                perTry = GoDuration.parse(route.retryPolicy.perTryTimeout).orElseGet(() -> {
                    note.accept(where + ": retryPolicy.perTryTimeout \"" + route.retryPolicy.perTryTimeout
                            + "\" is not a duration; ignored");
                    return null;
                });
            }
            retry = new RoutePolicy.RetryPolicy(RETRY_ON, (int) count, perTry);
        }
        boolean cookie = services.stream().anyMatch(s -> "Cookie".equals(s.strategy));
        return new RoutePolicy(timeout, retry, Boolean.TRUE.equals(route.enableWebsockets), route.prefixRewrite, cookie);
    }

    private LoadBalancing strategy(ObjectKey owner, String strategy, String svc) {
        if (strategy == null || strategy.isEmpty()) {
            return LoadBalancing.ROUND_ROBIN;
        }
        return LoadBalancing.parse(strategy).orElseGet(() -> {
            ctx.warnings.add(kind + " " + owner + ": " + svc + ": unknown strategy \"" + strategy + "\"; using RoundRobin");
            return LoadBalancing.ROUND_ROBIN;
        });
    }

    /** HTTPProxy's {@code protocol}: h2 (HTTP/2 over TLS), h2c, tls (HTTP/1.1 over TLS); null keeps the annotations'. */
    private static ServiceCluster.UpstreamProtocol protocol(String protocol, String svc) throws InvalidObject {
        if (protocol == null || protocol.isEmpty()) {
            return null;
        }
        return switch (protocol) {
            case "h2" -> ServiceCluster.UpstreamProtocol.H2_TLS;
            case "h2c" -> ServiceCluster.UpstreamProtocol.H2C;
            case "tls" -> ServiceCluster.UpstreamProtocol.HTTP1_TLS;
            default -> throw new InvalidObject(svc + ": protocol must be h2, h2c or tls");
        };
    }

    private static HealthCheck healthCheck(IngressRouteSpec.HealthCheck hc, String svc) throws InvalidObject {
        if (hc == null) {
            return null;
        }
        if (hc.path == null || !hc.path.startsWith("/")) {
            throw new InvalidObject(svc + ": healthCheck.path must be set and start with /");
        }
        String host = hc.host == null || hc.host.isEmpty() ? HC_HOST : hc.host;
        return healthCheck(hc.path, host, hc, svc + ": healthCheck");
    }

    /** HTTPProxy's {@code tcpproxy.healthCheckPolicy}: a connect-only TCP check; null when not set. */
    static HealthCheck tcpHealthCheck(io.isoline.k8s.HTTPProxySpec.TcpHealthCheckPolicy hc) throws InvalidObject {
        return hc == null ? null : healthCheck(null, null, hc, "tcpproxy.healthCheckPolicy");
    }

    private static HealthCheck healthCheck(String path, String host, io.isoline.k8s.HTTPProxySpec.TcpHealthCheckPolicy hc, String field)
            throws InvalidObject {
        // Unset, 0 (or below): Contour's defaults.
        long interval = orDefault(hc.intervalSeconds, HC_INTERVAL_SECONDS);
        long timeout = orDefault(hc.timeoutSeconds, HC_TIMEOUT_SECONDS);
        long unhealthy = orDefault(hc.unhealthyThresholdCount, HC_UNHEALTHY);
        long healthy = orDefault(hc.healthyThresholdCount, HC_HEALTHY);
        if (interval > MAX_SECONDS || timeout > MAX_SECONDS || unhealthy > MAX_COUNT || healthy > MAX_COUNT) {
            throw new InvalidObject(field + " intervalSeconds, timeoutSeconds and threshold counts must be at most " + MAX_SECONDS);
        }
        return new HealthCheck(path, host, interval, timeout, (int) unhealthy, (int) healthy);
    }

    private static long orDefault(Long value, long otherwise) {
        return value == null || value < 1 ? otherwise : value;
    }
}
