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
 */
public record RoutePolicy(Duration timeout, RetryPolicy retry, boolean websocket, String prefixRewrite,
        boolean cookieAffinity) {

    public static final RoutePolicy DEFAULT = new RoutePolicy(null, null, false, null, false);

    /** The session-affinity cookie of the Cookie strategy (Contour's name, for compatibility). */
    public static final String AFFINITY_COOKIE = "X-Contour-Session-Affinity";

    public RoutePolicy withWebsocket(boolean on) {
        return new RoutePolicy(timeout, retry, on, prefixRewrite, cookieAffinity);
    }

    /**
     * @param retryOn       Envoy's {@code retry_on} conditions, comma separated
     * @param numRetries    attempts after the first
     * @param perTryTimeout null = the route timeout
     */
    public record RetryPolicy(String retryOn, int numRetries, Duration perTryTimeout) {
    }
}
