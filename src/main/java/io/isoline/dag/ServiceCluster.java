package io.isoline.dag;

/**
 * An upstream cluster: one port of one Service, with the options that change how Envoy talks to it.
 * Clusters that differ only in options get different names and each its own {@link EndpointGroup}
 * (with the same endpoints).
 *
 * @param name          {@code namespace/service/port/hash}, as Contour names them
 * @param endpointGroup the name of the {@link EndpointGroup} holding its endpoints (none for a DNS cluster)
 * @param dnsName       an ExternalName Service's name and port, which Envoy resolves itself; null: endpoints over EDS
 */
public record ServiceCluster(String name, String endpointGroup, UpstreamProtocol protocol,
        CircuitBreakers circuitBreakers, Options options, DnsName dnsName) {

    public LoadBalancing loadBalancing() {
        return options.loadBalancing();
    }

    /** The active health check; null for none. */
    public HealthCheck healthCheck() {
        return options.healthCheck();
    }

    /** How a TLS upstream's certificate is checked; null for not at all. */
    public UpstreamValidation validation() {
        return options.validation();
    }

    /** Where an ExternalName Service leads: a DNS name and the Service's port. */
    public record DnsName(String host, int port) {
    }

    /**
     * How a TLS upstream's certificate is checked: it must chain to {@code caCertificate} (PEM) and
     * carry {@code subjectName} as a DNS name. Null on a cluster: not checked (Contour's default).
     */
    public record UpstreamValidation(String caCertificate, String subjectName) {
    }

    /**
     * Options an IngressRoute or HTTPProxy service may set; Ingress backends use {@link #DEFAULT}.
     *
     * @param protocol how to speak to the upstream, overriding the Service's annotations (HTTPProxy's
     *                 {@code protocol}); null: from the annotations
     * @param idleConnectionTimeout how long an idle upstream connection is kept (HTTPProxy's
     *                 {@code timeoutPolicy.idleConnection}); null: Envoy's default (1 h), ZERO: forever
     * @param slowStart how a new endpoint's share ramps up; null: at once
     */
    public record Options(LoadBalancing loadBalancing, HealthCheck healthCheck, UpstreamValidation validation,
            UpstreamProtocol protocol, java.time.Duration idleConnectionTimeout, SlowStart slowStart) {
        public static final Options DEFAULT = new Options(LoadBalancing.ROUND_ROBIN, null, null);

        public Options(LoadBalancing loadBalancing, HealthCheck healthCheck, UpstreamValidation validation) {
            this(loadBalancing, healthCheck, validation, null, null, null);
        }

        /**
         * Part of the cluster name's hash: without validation, what it was before validation existed
         * (names stay). The protocol is in the hash as the cluster's protocol, however it was chosen.
         */
        @Override
        public String toString() {
            return "Options[loadBalancing=" + loadBalancing + ", healthCheck=" + healthCheck + "]"
                    + (validation == null ? "" : "[validation=" + validation.subjectName() + "," + validation.caCertificate() + "]")
                    + (idleConnectionTimeout == null ? "" : "[idleConnection=" + idleConnectionTimeout + "]")
                    + (slowStart == null ? "" : "[" + slowStart + "]");
        }
    }

    /** Contour's load-balancing strategies; {@code COOKIE} is a ring hash on a session cookie. */
    public enum LoadBalancing {
        ROUND_ROBIN("RoundRobin"), WEIGHTED_LEAST_REQUEST("WeightedLeastRequest"), RANDOM("Random"),
        RING_HASH("RingHash"), MAGLEV("Maglev"), COOKIE("Cookie");

        private final String contourName;

        LoadBalancing(String contourName) {
            this.contourName = contourName;
        }

        /** The strategy Contour calls {@code name}; empty for an unknown name. */
        public static java.util.Optional<LoadBalancing> parse(String name) {
            return java.util.Arrays.stream(values()).filter(v -> v.contourName.equals(name)).findFirst();
        }
    }

    /**
     * An active health check: HTTP, or (path null) a TCP connect.
     *
     * @param path null for a TCP check
     * @param host sent as the Host header (HTTP)
     */
    public record HealthCheck(String path, String host, long intervalSeconds, long timeoutSeconds,
            int unhealthyThreshold, int healthyThreshold) {
    }

    /**
     * Envoy's slow start (RoundRobin and WeightedLeastRequest only): a new endpoint's weight grows
     * over {@code window} from {@code minWeightPercent}, along a curve {@code aggression} shapes.
     */
    public record SlowStart(java.time.Duration window, double aggression, int minWeightPercent) {
    }

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
