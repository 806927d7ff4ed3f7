package io.isoline.dag;

import java.time.Duration;

/**
 * Per-route behaviour.
 *
 * @param timeout       request timeout; null = Envoy's default, {@link Duration#ZERO} = no timeout
 * @param retry         null = no retries
 * @param websocket     allow websocket upgrades
 * @param prefixRewrite  null = keep the path
 * @param cookieAffinity hash requests on {@link #AFFINITY_COOKIE} (the Cookie strategy)
 * @param idleTimeout   how long a stream may be idle (HTTPProxy's timeoutPolicy.idle); null = the
 *                      connection manager's, {@link Duration#ZERO} = none
 * @param requestHeaders  headers set and removed on the request (HTTPProxy); null = none
 * @param responseHeaders headers set and removed on the response (HTTPProxy); null = none
 */
public record RoutePolicy(Duration timeout, RetryPolicy retry, boolean websocket, String prefixRewrite,
        boolean cookieAffinity, Duration idleTimeout, HeaderPolicy requestHeaders, HeaderPolicy responseHeaders) {

    public static final RoutePolicy DEFAULT = new RoutePolicy(null, null, false, null, false);

    public RoutePolicy(Duration timeout, RetryPolicy retry, boolean websocket, String prefixRewrite, boolean cookieAffinity) {
        this(timeout, retry, websocket, prefixRewrite, cookieAffinity, null, null, null);
    }

    public RoutePolicy withHeaders(HeaderPolicy request, HeaderPolicy response) {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, cookieAffinity, idleTimeout, request, response);
    }

    /** The session-affinity cookie of the Cookie strategy (Contour's name, for compatibility). */
    public static final String AFFINITY_COOKIE = "X-Contour-Session-Affinity";

    public RoutePolicy withPrefixRewrite(String rewrite) {
        return new RoutePolicy(timeout, retry, websocket, rewrite, cookieAffinity, idleTimeout, requestHeaders, responseHeaders);
    }

    public RoutePolicy withCookieAffinity() {
        return new RoutePolicy(timeout, retry, websocket, prefixRewrite, true, idleTimeout, requestHeaders, responseHeaders);
    }

    public RoutePolicy withWebsocket(boolean on) {
        return new RoutePolicy(timeout, retry, on, prefixRewrite, cookieAffinity, idleTimeout, requestHeaders, responseHeaders);
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
