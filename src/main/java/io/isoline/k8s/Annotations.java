package io.isoline.k8s;

import java.util.List;

/**
 * The annotation and controller names Isoline reads, as Contour defines them. Contour annotations
 * exist under two prefixes; where both are set, {@code projectcontour.io/} wins.
 */
public final class Annotations {

    /** Prefixes of Contour's own annotations, in order of precedence. */
    public static final List<String> CONTOUR_PREFIXES = List.of("projectcontour.io/", "contour.heptio.com/");

    /** Ingress class annotations, in order of precedence. */
    public static final List<String> INGRESS_CLASS = List.of(
            "projectcontour.io/ingress.class", "contour.heptio.com/ingress.class", "kubernetes.io/ingress.class");

    /** {@code spec.controller} of IngressClass objects Isoline serves when no class is configured. */
    public static final String CONTROLLER_NAME = "isoline.io/ingress-controller";

    /** The class name Isoline serves when no class is configured, besides objects without any class. */
    public static final String DEFAULT_CLASS_NAME = "isoline";

    /** Contour's default class and controller name, served only with {@code --serve-contour-class}. */
    public static final String CONTOUR_CLASS_NAME = "contour";
    public static final String CONTOUR_CONTROLLER_NAME = "projectcontour.io/ingress-controller";

    public static final String FORCE_SSL_REDIRECT = "ingress.kubernetes.io/force-ssl-redirect";
    public static final String ALLOW_HTTP = "kubernetes.io/ingress.allow-http";

    // Suffixes after one of CONTOUR_PREFIXES.
    public static final String REQUEST_TIMEOUT = "request-timeout";
    /** Contour 1.x's name for the same timeout; it wins over {@link #REQUEST_TIMEOUT}. */
    public static final String RESPONSE_TIMEOUT = "response-timeout";
    public static final String RETRY_ON = "retry-on";
    public static final String NUM_RETRIES = "num-retries";
    public static final String PER_TRY_TIMEOUT = "per-try-timeout";
    public static final String WEBSOCKET_ROUTES = "websocket-routes";
    public static final String TLS_MINIMUM_PROTOCOL_VERSION = "tls-minimum-protocol-version";
    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String MAX_PENDING_REQUESTS = "max-pending-requests";
    public static final String MAX_REQUESTS = "max-requests";
    public static final String MAX_RETRIES = "max-retries";
    public static final String UPSTREAM_PROTOCOL_H2C = "upstream-protocol.h2c";
    public static final String UPSTREAM_PROTOCOL_H2 = "upstream-protocol.h2";
    public static final String UPSTREAM_PROTOCOL_TLS = "upstream-protocol.tls";
    /** The namespace of an Ingress's {@code spec.tls[].secretName} (delegation rules apply). */
    public static final String TLS_CERT_NAMESPACE = "tls-cert-namespace";
    public static final String INGRESS_CLASS_SUFFIX = "ingress.class";

    /** The Contour annotations (suffixes) Isoline reads on each kind; others are reported as ignored. */
    public static final java.util.Set<String> INGRESS_SUPPORTED = java.util.Set.of(INGRESS_CLASS_SUFFIX, REQUEST_TIMEOUT,
            RESPONSE_TIMEOUT, RETRY_ON, NUM_RETRIES, PER_TRY_TIMEOUT, WEBSOCKET_ROUTES, TLS_MINIMUM_PROTOCOL_VERSION, TLS_CERT_NAMESPACE);
    public static final java.util.Set<String> SERVICE_SUPPORTED = java.util.Set.of(MAX_CONNECTIONS, MAX_PENDING_REQUESTS,
            MAX_REQUESTS, MAX_RETRIES, UPSTREAM_PROTOCOL_H2C, UPSTREAM_PROTOCOL_H2, UPSTREAM_PROTOCOL_TLS);
    public static final java.util.Set<String> INGRESS_ROUTE_SUPPORTED = java.util.Set.of(INGRESS_CLASS_SUFFIX);

    private Annotations() {
    }
}
