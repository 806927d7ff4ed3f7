package io.isoline.dag;

import java.time.Duration;

/**
 * Per-route behaviour.
 *
 * @param timeout       request timeout; null = Envoy's default, {@link Duration#ZERO} = no timeout
 * @param retry         null = no retries
 * @param websocket     allow websocket upgrades
 * @param prefixRewrite  null = keep the path
 * @param hashPolicies  what a ring-hash cluster hashes requests on, in order (the Cookie strategy:
 *                      {@link HashPolicy#AFFINITY}; RequestHash: its policies); empty = nothing
 * @param idleTimeout   how long a stream may be idle (HTTPProxy's timeoutPolicy.idle); null = the
 *                      connection manager's, {@link Duration#ZERO} = none
 * @param requestHeaders  headers set and removed on the request (HTTPProxy); null = none
 * @param responseHeaders headers set and removed on the response (HTTPProxy); null = none
 * @param mirror        where a copy of the requests goes (HTTPProxy's mirror service); null = nowhere
 * @param cookieRewrites Set-Cookie attributes rewritten on responses, per cookie name (HTTPProxy's
 *                      {@code cookieRewritePolicies}); empty = none
 */
public record RoutePolicy(Duration timeout, RetryPolicy retry, boolean websocket, String prefixRewrite,
        java.util.List<HashPolicy> hashPolicies, Duration idleTimeout, HeaderPolicy requestHeaders, HeaderPolicy responseHeaders, Mirror mirror,
        java.util.List<CookieRewrite> cookieRewrites) {

    public static final RoutePolicy DEFAULT = new RoutePolicy(null, null, false, null, false);

    public RoutePolicy {
        hashPolicies = hashPolicies == null ? java.util.List.of() : java.util.List.copyOf(hashPolicies);
        cookieRewrites = cookieRewrites == null ? java.util.List.of() : java.util.List.copyOf(cookieRewrites);
    }

    public RoutePolicy(Duration timeout, RetryPolicy retry, boolean websocket, String prefixRewrite, boolean cookieAffinity) {
        this(timeout, retry, websocket, prefixRewrite, cookieAffinity ? java.util.List.of(HashPolicy.AFFINITY) : null, null, null, null, null,
                null);
    }

    public RoutePolicy withHeaders(HeaderPolicy request, HeaderPolicy response) {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, hashPolicies, idleTimeout, request, response,
                mirror, cookieRewrites);
    }

    /**
     * One thing a ring hash hashes a request on (Envoy's {@code hash_policy}).
     *
     * @param name     the cookie, header or query parameter; null for {@code SOURCE_IP}
     * @param terminal when the request has it, stop and use the hash so far
     */
    public record HashPolicy(Kind kind, String name, boolean terminal) {

        /** The session-affinity cookie of the Cookie strategy (Contour's name, for compatibility). */
        public static final HashPolicy AFFINITY = new HashPolicy(Kind.COOKIE, "X-Contour-Session-Affinity", false);

        /** What is hashed. */
        public enum Kind {
            COOKIE, HEADER, QUERY_PARAMETER, SOURCE_IP
        }
    }

    public RoutePolicy withPrefixRewrite(String rewrite) {
        return new RoutePolicy(timeout, retry, websocket, rewrite, hashPolicies, idleTimeout, requestHeaders,
                responseHeaders, mirror, cookieRewrites);
    }

    public RoutePolicy withHashPolicies(java.util.List<HashPolicy> policies) {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, policies, idleTimeout, requestHeaders,
                responseHeaders, mirror, cookieRewrites);
    }

    public RoutePolicy withMirror(Mirror m) {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, hashPolicies, idleTimeout, requestHeaders,
                responseHeaders, m, cookieRewrites);
    }

    public RoutePolicy withCookieRewrites(java.util.List<CookieRewrite> rewrites) {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, hashPolicies, idleTimeout, requestHeaders,
                responseHeaders, mirror,
                rewrites);
    }

    /**
     * New attributes for the Set-Cookie headers of cookie {@code name}; null fields are kept as the
     * backend sent them. Values are checked: no {@code ;} or control character can reach the header.
     *
     * @param secure true adds {@code Secure}, false removes it
     */
    public record CookieRewrite(String name, String path, String domain, Boolean secure, String sameSite) {
    }

    /** A copy of {@code percent}% of the requests goes to {@code cluster}; its answers are dropped. */
    public record Mirror(String cluster, int percent) {
    }

    public RoutePolicy withWebsocket(boolean on) {
        return new RoutePolicy(timeout, retry, on, prefixRewrite, hashPolicies, idleTimeout, requestHeaders,
                responseHeaders, mirror, cookieRewrites);
    }

    /**
     * @param retryOn       Envoy's {@code retry_on} conditions, comma separated
     * @param numRetries    attempts after the first
     * @param perTryTimeout null = the route timeout
     * @param retriableStatusCodes the codes {@code retriable-status-codes} retries on
     */
    public record RetryPolicy(String retryOn, int numRetries, Duration perTryTimeout, java.util.List<Integer> retriableStatusCodes) {
        public RetryPolicy {
            retriableStatusCodes = retriableStatusCodes == null ? java.util.List.of() : java.util.List.copyOf(retriableStatusCodes);
        }

        public RetryPolicy(String retryOn, int numRetries, Duration perTryTimeout) {
            this(retryOn, numRetries, perTryTimeout, java.util.List.of());
        }
    }
}
