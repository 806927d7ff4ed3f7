package io.isoline.dag;

/**
 * An upstream cluster: one port of one Service, with the options that change how Envoy talks to it.
 * Clusters that differ only in options get different names; they share one {@link EndpointGroup}.
 *
 * @param name          {@code namespace/service/port/hash}, as Contour names them
 * @param endpointGroup the name of the {@link EndpointGroup} holding its endpoints
 */
public record ServiceCluster(String name, String endpointGroup, UpstreamProtocol protocol,
        CircuitBreakers circuitBreakers) {

    /** How Envoy speaks to the upstream. */
    public enum UpstreamProtocol {
        HTTP1, H2C, H2_TLS, HTTP1_TLS;

        public boolean http2() {
            return this == H2C || this == H2_TLS;
        }

        public boolean tls() {
            return this == H2_TLS || this == HTTP1_TLS;
        }
    }

    /** Envoy circuit-breaker thresholds; null fields keep Envoy's defaults. */
    public record CircuitBreakers(Integer maxConnections, Integer maxPendingRequests,
            Integer maxRequests, Integer maxRetries) {

        public static final CircuitBreakers DEFAULT = new CircuitBreakers(null, null, null, null);

        public boolean isDefault() {
            return equals(DEFAULT);
        }
    }
}
