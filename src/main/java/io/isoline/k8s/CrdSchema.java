package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Schema-only types for the generated CRDs: the CRD fields stay strings in Java (so an object the
 * API server holds always decodes, and the core reports a bad value on the status), while the
 * schema the API server enforces lists the values Contour's CRD allowed ({@code @SchemaFrom}).
 * The patterns are Contour's too.
 */
public final class CrdSchema {

    /** A fully qualified host name (Contour's pattern: no wildcard, an alphabetic top-level label). */
    public static final String FQDN = "^([a-zA-Z0-9]+(-[a-zA-Z0-9]+)*\\.)+[a-z]{2,}$";
    /** A path: starts with a slash. */
    public static final String PATH = "^\\/.*$";
    /** An object name (DNS-1123 subdomain). */
    public static final String NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A namespace (DNS-1123 label). */
    public static final String NAMESPACE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A Service name (DNS-1035 label). */
    public static final String SERVICE = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    /** A TLS Secret: a name, or namespace/name for a delegated one. */
    public static final String SECRET = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A namespace a certificate is delegated to, or * for every namespace. */
    public static final String TARGET_NAMESPACE = "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    /** An HTTPProxy fqdn: a host name, or a wildcard as the whole first label ({@code *.example.com}), as Contour allows. */
    public static final String PROXY_FQDN = "^(\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,}$";
    /** HTTPProxy retry conditions (Contour 1.33's list of Envoy's). */
    public static final String RETRY_ON = "^(5xx|gateway-error|reset|connect-failure|retriable-4xx|refused-stream|"
            + "retriable-status-codes|retriable-headers|cancelled|deadline-exceeded|internal|resource-exhausted|unavailable)$";
    /** An HTTP header name (RFC 7230 token). */
    public static final String HEADER_NAME = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    private CrdSchema() {
    }

    /** Load-balancing strategies (Contour 0.10-1.5). */
    public enum Strategy {
        RoundRobin, WeightedLeastRequest, Random, RingHash, Maglev, Cookie
    }

    /** TLS versions an HTTPProxy may ask for (Contour 1.x: 1.2 or 1.3). */
    public enum ProxyTlsVersion {
        @JsonProperty("1.3") V1_3, @JsonProperty("1.2") V1_2
    }

    /** Set-Cookie SameSite values. */
    public enum SameSite {
        Strict, Lax, None
    }

    /** HTTPProxy load-balancing strategies (Contour 1.33). */
    public enum ProxyStrategy {
        RoundRobin, WeightedLeastRequest, Random, RequestHash, Cookie
    }

    /** How an HTTPProxy service is spoken to, overriding the Service's annotations. */
    public enum Protocol {
        h2, h2c, tls
    }

    /** TLS versions an IngressRoute may ask for (below the operator's floor, the floor applies). */
    public enum TlsVersion {
        @JsonProperty("1.3") V1_3, @JsonProperty("1.2") V1_2, @JsonProperty("1.1") V1_1
    }
}
