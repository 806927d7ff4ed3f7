package io.isoline.xds.translate;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.isoline.dag.Dag;
import io.isoline.dag.PathMatch;
import io.isoline.dag.RouteAction.DirectResponse;
import io.isoline.dag.RouteAction.Forward;
import io.isoline.dag.RouteAction.HttpsRedirect;
import io.isoline.dag.RoutePolicy;
import io.isoline.dag.SecureVirtualHost;
import java.util.ArrayList;
import java.util.List;

/**
 * Dag -> RouteConfigurations: {@code ingress_http} for the plain listener and {@code https/<fqdn>}
 * for each TLS virtual host.
 *
 * <p>A path-element prefix {@code /foo} becomes two Envoy routes, an exact {@code /foo} and a prefix
 * {@code /foo/}, which every xDS client understands (Envoy's {@code path_separated_prefix} is not
 * known to proxyless gRPC clients). A wildcard host's routes also match {@code :authority} against
 * a one-label regex, because Envoy's {@code *.example.com} would accept {@code a.b.example.com}.
 */
public final class RouteTranslator {

    public static final String HTTP_ROUTES = "ingress_http";
    /** The routes of the hosts served to TLS clients without SNI (Contour's name). */
    public static final String FALLBACK_ROUTES = "ingress_fallbackcert";

    private RouteTranslator() {
    }

    public static String httpsRouteName(String fqdn) {
        return "https/" + fqdn;
    }

    public static List<RouteConfiguration> translate(Dag dag) {
        return translate(dag, TranslationMemo.none());
    }

    static List<RouteConfiguration> translate(Dag dag, TranslationMemo memo) {
        List<RouteConfiguration> out = new ArrayList<>();
        RouteConfiguration.Builder http = RouteConfiguration.newBuilder().setName(HTTP_ROUTES);
        http.addAllVirtualHosts(memo.hosts.all(dag.httpHosts(), RouteTranslator::virtualHost));
        out.add(http.build());
        for (SecureVirtualHost h : dag.httpsHosts()) {
            if (h.isTcpProxy()) {
                continue;
            }
            RouteConfiguration.Builder https = RouteConfiguration.newBuilder().setName(httpsRouteName(h.fqdn()))
                    .addVirtualHosts(memo.tlsHosts.get(h, x -> virtualHost(x.asVirtualHost())));
            for (String other : h.refusedHosts()) {
                // Another object's plain-HTTP host that this wildcard's certificate covers: 404 on TLS.
                https.addVirtualHosts(VirtualHost.newBuilder().setName(other).addDomains(other).addRoutes(
                        Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404))));
            }
            out.add(https.build());
        }
        List<SecureVirtualHost> fallback = fallbackHosts(dag);
        if (!fallback.isEmpty()) {
            RouteConfiguration.Builder rc = RouteConfiguration.newBuilder().setName(FALLBACK_ROUTES);
            fallback.forEach(h -> rc.addVirtualHosts(memo.tlsHosts.get(h, x -> virtualHost(x.asVirtualHost()))));
            out.add(rc.build());
        }
        return out;
    }

    /** The HTTP hosts that enabled the fallback certificate. */
    static List<SecureVirtualHost> fallbackHosts(Dag dag) {
        return dag.httpsHosts().stream().filter(h -> !h.isPassthrough() && !h.isTcpProxy() && h.downstream().fallback() != null).toList();
    }

    static VirtualHost virtualHost(io.isoline.dag.VirtualHost host) {
        VirtualHost.Builder vh = VirtualHost.newBuilder().setName(host.fqdn()).addDomains(host.fqdn());
        for (io.isoline.dag.Route r : host.routes()) {
            for (RouteMatch match : matches(r)) {
                vh.addRoutes(route(match, r.action()));
            }
        }
        return vh.build();
    }

    /** How many Envoy routes one Isoline route becomes (a path-element prefix becomes two). */
    static int envoyRouteCount(io.isoline.dag.Route r) {
        return matches(r).size();
    }

    private static List<RouteMatch> matches(io.isoline.dag.Route r) {
        List<RouteMatch.Builder> out = new ArrayList<>();
        if (r.match() instanceof PathMatch.Exact e) {
            out.add(RouteMatch.newBuilder().setPath(e.path()));
        } else if (r.match() instanceof PathMatch.Regex re) {
            out.add(RouteMatch.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(re.envoyRegex())));
        } else if (r.match() instanceof PathMatch.StringPrefix || r.match().path().equals("/")) {
            out.add(RouteMatch.newBuilder().setPrefix(r.match().path()));
        } else {
            out.add(RouteMatch.newBuilder().setPath(r.match().path()));
            out.add(RouteMatch.newBuilder().setPrefix(r.match().path() + "/"));
        }
        if (r.wildcardHost() != null) {
            HeaderMatcher authority = HeaderMatcher.newBuilder()
                    .setName(":authority")
                    .setStringMatch(StringMatcher.newBuilder().setSafeRegex(
                            RegexMatcher.newBuilder().setRegex(oneLabelRegex(r.wildcardHost()))))
                    .build();
            out.forEach(m -> m.addHeaders(authority));
        }
        for (io.isoline.dag.RequestCondition c : r.conditions()) {
            if (c.source() == io.isoline.dag.RequestCondition.Source.QUERY) {
                QueryParameterMatcher query = queryMatcher(c);
                out.forEach(m -> m.addQueryParameters(query));
            } else {
                HeaderMatcher header = headerMatcher(c);
                out.forEach(m -> m.addHeaders(header));
            }
        }
        return out.stream().map(RouteMatch.Builder::build).toList();
    }

    /** An HTTPProxy header condition as Envoy matches it (the NOT_ forms inverted). */
    static HeaderMatcher headerMatcher(io.isoline.dag.RequestCondition c) {
        HeaderMatcher.Builder h = HeaderMatcher.newBuilder().setName(c.name()).setInvertMatch(c.match().inverted())
                .setTreatMissingHeaderAsEmpty(c.treatMissingAsEmpty());
        if (c.match() == io.isoline.dag.RequestCondition.Match.PRESENT || c.match() == io.isoline.dag.RequestCondition.Match.NOT_PRESENT) {
            h.setPresentMatch(true);
        } else {
            h.setStringMatch(stringMatcher(c));
        }
        return h.build();
    }

    /** An HTTPProxy query parameter condition as Envoy matches it. */
    static QueryParameterMatcher queryMatcher(io.isoline.dag.RequestCondition c) {
        QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(c.name());
        if (c.match() == io.isoline.dag.RequestCondition.Match.PRESENT) {
            q.setPresentMatch(true);
        } else {
            q.setStringMatch(stringMatcher(c));
        }
        return q.build();
    }

    private static StringMatcher stringMatcher(io.isoline.dag.RequestCondition c) {
        StringMatcher.Builder s = StringMatcher.newBuilder().setIgnoreCase(c.ignoreCase());
        switch (c.match()) {
            case EXACT, NOT_EXACT -> s.setExact(c.value());
            case CONTAINS, NOT_CONTAINS -> s.setContains(c.value());
            case PREFIX -> s.setPrefix(c.value());
            case SUFFIX -> s.setSuffix(c.value());
            case REGEX -> s.clearIgnoreCase().setSafeRegex(RegexMatcher.newBuilder().setRegex(c.envoyRegex()));
            case PRESENT, NOT_PRESENT -> throw new IllegalArgumentException("no string to match for " + c);
        }
        return s.build();
    }

    /** {@code *.example.com} -> a case-insensitive RE2 pattern for exactly one label before it. */
    static String oneLabelRegex(String wildcardHost) {
        String suffix = wildcardHost.substring(1).replace(".", "\\.");
        return "(?i)[^.:]+" + suffix + "(:[0-9]+)?";
    }

    private static Route route(RouteMatch match, io.isoline.dag.RouteAction action) {
        Route.Builder route = Route.newBuilder().setMatch(match);
        if (action instanceof Forward f) {
            route.setRoute(forward(f));
            headers(route, f.policy());
            if (!f.policy().cookieRewrites().isEmpty()) {
                CookieRewrites.apply(route, f.policy().cookieRewrites());
            }
        } else if (action instanceof HttpsRedirect) {
            route.setRedirect(RedirectAction.newBuilder().setHttpsRedirect(true));
        } else if (action instanceof DirectResponse d) {
            DirectResponseAction.Builder direct = DirectResponseAction.newBuilder().setStatus(d.status());
            if (d.body() != null && !d.body().isEmpty()) {
                direct.setBody(io.envoyproxy.envoy.config.core.v3.DataSource.newBuilder().setInlineString(d.body()));
            }
            route.setDirectResponse(direct);
        } else if (action instanceof io.isoline.dag.RouteAction.Redirect r) {
            RedirectAction.Builder redirect = RedirectAction.newBuilder().setResponseCode(r.code() == 302
                    ? RedirectAction.RedirectResponseCode.FOUND : RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY);
            if (r.scheme() != null) {
                redirect.setSchemeRedirect(r.scheme());
            }
            if (r.host() != null) {
                redirect.setHostRedirect(r.host());
            }
            if (r.port() != null) {
                redirect.setPortRedirect(r.port());
            }
            if (r.path() != null) {
                redirect.setPathRedirect(r.path());
            } else if (r.prefix() != null) {
                redirect.setPrefixRewrite(r.prefix());
            }
            route.setRedirect(redirect);
        }
        return route.build();
    }

    /** A cluster's share, with the headers its service sets and removes (applied after the route's). */
    private static WeightedCluster.ClusterWeight clusterWeight(io.isoline.dag.RouteAction.WeightedCluster c) {
        WeightedCluster.ClusterWeight.Builder w = WeightedCluster.ClusterWeight.newBuilder().setName(c.cluster())
                .setWeight(UInt32Value.of(c.weight()));
        if (c.requestHeaders() != null) {
            c.requestHeaders().sortedSet().forEach((name, value) -> w.addRequestHeadersToAdd(header(name, value)));
            w.addAllRequestHeadersToRemove(c.requestHeaders().remove());
            if (c.requestHeaders().hostRewrite() != null) {
                w.setHostRewriteLiteral(c.requestHeaders().hostRewrite());
            }
        }
        if (c.responseHeaders() != null) {
            c.responseHeaders().sortedSet().forEach((name, value) -> w.addResponseHeadersToAdd(header(name, value)));
            w.addAllResponseHeadersToRemove(c.responseHeaders().remove());
        }
        if (!c.cookieRewrites().isEmpty()) {
            w.putTypedPerFilterConfig(CookieRewrites.FILTER, CookieRewrites.forShare(c.cookieRewrites()));
        }
        return w.build();
    }

    /** HTTPProxy's header policies: set replaces (Contour's semantics), remove removes; Host as a host rewrite. */
    private static void headers(Route.Builder route, RoutePolicy p) {
        if (p.requestHeaders() != null) {
            p.requestHeaders().sortedSet().forEach((name, value) -> route.addRequestHeadersToAdd(header(name, value)));
            route.addAllRequestHeadersToRemove(p.requestHeaders().remove());
            if (p.requestHeaders().hostRewrite() != null) {
                route.setRoute(route.getRoute().toBuilder().setHostRewriteLiteral(p.requestHeaders().hostRewrite()));
            }
        }
        if (p.responseHeaders() != null) {
            p.responseHeaders().sortedSet().forEach((name, value) -> route.addResponseHeadersToAdd(header(name, value)));
            route.addAllResponseHeadersToRemove(p.responseHeaders().remove());
        }
    }

    private static io.envoyproxy.envoy.config.core.v3.HeaderValueOption header(String name, String value) {
        return io.envoyproxy.envoy.config.core.v3.HeaderValueOption.newBuilder()
                .setHeader(io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
                .build();
    }

    private static RouteAction forward(Forward f) {
        RouteAction.Builder ra = RouteAction.newBuilder();
        boolean ownSettings = f.clusters().stream().anyMatch(io.isoline.dag.RouteAction.WeightedCluster::hasOwnSettings);
        if (f.clusters().size() == 1 && !ownSettings) {
            ra.setCluster(f.clusters().get(0).cluster());
        } else {
            WeightedCluster.Builder wc = WeightedCluster.newBuilder();
            f.clusters().forEach(c -> wc.addClusters(clusterWeight(c)));
            ra.setWeightedClusters(wc);
        }
        RoutePolicy p = f.policy();
        if (p.timeout() != null) {
            ra.setTimeout(EnvoyConfig.duration(p.timeout()));
        }
        if (p.idleTimeout() != null) {
            ra.setIdleTimeout(EnvoyConfig.duration(p.idleTimeout()));
        }
        if (p.retry() != null) {
            RetryPolicy.Builder retry = RetryPolicy.newBuilder()
                    .setRetryOn(p.retry().retryOn())
                    .setNumRetries(UInt32Value.of(p.retry().numRetries()));
            if (p.retry().perTryTimeout() != null) {
                retry.setPerTryTimeout(EnvoyConfig.duration(p.retry().perTryTimeout()));
            }
            p.retry().retriableStatusCodes().forEach(retry::addRetriableStatusCodes);
            ra.setRetryPolicy(retry);
        }
        if (p.websocket()) {
            ra.addUpgradeConfigs(RouteAction.UpgradeConfig.newBuilder().setUpgradeType("websocket"));
        }
        if (p.prefixRewrite() != null) {
            ra.setPrefixRewrite(p.prefixRewrite());
        }
        for (RoutePolicy.HashPolicy h : p.hashPolicies()) {
            ra.addHashPolicy(hashPolicy(h));
        }
        if (p.mirror() != null) {
            ra.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder().setCluster(p.mirror().cluster())
                    .setRuntimeFraction(io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent.newBuilder()
                            .setDefaultValue(io.envoyproxy.envoy.type.v3.FractionalPercent.newBuilder()
                                    .setNumerator(p.mirror().percent())
                                    .setDenominator(io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType.HUNDRED))));
        }
        return ra.build();
    }

    private static RouteAction.HashPolicy hashPolicy(RoutePolicy.HashPolicy h) {
        RouteAction.HashPolicy.Builder b = RouteAction.HashPolicy.newBuilder().setTerminal(h.terminal());
        return switch (h.kind()) {
            // TTL 0: Envoy sets a session cookie on the response when the request had none.
            case COOKIE -> b.setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName(h.name())
                    .setTtl(com.google.protobuf.Duration.getDefaultInstance()).setPath("/")).build();
            case HEADER -> b.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(h.name())).build();
            case QUERY_PARAMETER -> b.setQueryParameter(RouteAction.HashPolicy.QueryParameter.newBuilder().setName(h.name())).build();
            case SOURCE_IP -> b.setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true)).build();
        };
    }
}
