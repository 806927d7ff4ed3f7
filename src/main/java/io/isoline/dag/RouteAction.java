package io.isoline.dag;

import java.util.List;

/** What a route does with a request that matched it. */
public sealed interface RouteAction {

    /** Proxy to one or more clusters, split by weight. */
    record Forward(List<WeightedCluster> clusters, RoutePolicy policy) implements RouteAction {
        public Forward {
            clusters = List.copyOf(clusters);
        }
    }

    /** Answer with a 301 to the same URL over https. */
    record HttpsRedirect() implements RouteAction {
    }

    /**
     * Answer directly with {@code status} (and {@code body}, null for none): where the backend cannot
     * be resolved, so that the path stays owned by its object instead of falling through to a
     * shorter prefix of someone else; and HTTPProxy's directResponsePolicy.
     */
    record DirectResponse(int status, String body) implements RouteAction {
    }

    /**
     * Answer with a redirect (HTTPProxy's requestRedirectPolicy): null fields keep the request's.
     *
     * @param code 301 or 302
     * @param path the whole new path; {@code prefix} replaces the matched prefix instead (at most one)
     */
    record Redirect(String scheme, String host, Integer port, int code, String path, String prefix) implements RouteAction {
    }

    /**
     * A cluster and its share of the traffic.
     *
     * @param requestHeaders  headers set and removed on requests sent to this cluster (HTTPProxy's
     *                        per-service policy, after the route's); null = none
     * @param responseHeaders the same on its responses
     * @param cookieRewrites  Set-Cookie rewrites of this share's responses (the route's and the
     *                        service's own, the service's winning); empty when only the route's apply
     */
    record WeightedCluster(String cluster, int weight, HeaderPolicy requestHeaders, HeaderPolicy responseHeaders,
            List<RoutePolicy.CookieRewrite> cookieRewrites) {

        public WeightedCluster {
            cookieRewrites = cookieRewrites == null ? List.of() : List.copyOf(cookieRewrites);
        }

        public WeightedCluster(String cluster, int weight) {
            this(cluster, weight, null, null, null);
        }

        /** Whether this share has settings of its own (so the route must name its clusters one by one). */
        public boolean hasOwnSettings() {
            return requestHeaders != null || responseHeaders != null || !cookieRewrites.isEmpty();
        }
    }
}
