package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The HTTPProxy spec ({@code projectcontour.io/v1}), the part of Contour 1.33's API Isoline reads
 * (docs/httpproxy.md lists every field and whether it is supported). Plain data holders as in
 * {@link IngressRouteSpec}: the schema carries Contour's constraints, the core checks every value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HTTPProxySpec extends LenientDecoding.Spec {

    /** Present only on a root: the host it serves. */
    public VirtualHost virtualhost;
    /** Other HTTPProxies whose routes are served under this one's, with conditions added to theirs. */
    public List<Include> includes;
    public List<Route> routes;
    public TcpProxy tcpproxy;
    /** Replaces the {@code kubernetes.io/ingress.class} annotation (which wins when both are set). */
    public String ingressClassName;

    /** Reads {@code spec}; a spec that cannot be read is an empty one that says why. */
    public static final class Lenient extends LenientDecoding.Lenient<HTTPProxySpec> {
        public Lenient() {
            super(HTTPProxySpec.class, HTTPProxySpec::new);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class VirtualHost {
        @Required
        @Pattern(CrdSchema.PROXY_FQDN)
        public String fqdn;
        public Tls tls;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Tls {
        /** {@code name} in the HTTPProxy's namespace, or {@code namespace/name} (needs a TLSCertificateDelegation). */
        @Pattern(CrdSchema.SECRET)
        public String secretName;
        @SchemaFrom(type = CrdSchema.ProxyTlsVersion.class)
        public String minimumProtocolVersion;
        @SchemaFrom(type = CrdSchema.ProxyTlsVersion.class)
        public String maximumProtocolVersion;
        /** Forward TLS by SNI to the tcpproxy services without decrypting. */
        public Boolean passthrough;
        /** Ask clients for certificates and check them. */
        public ClientValidation clientValidation;
        /** Also serve this host to TLS clients without SNI, with the operator's {@code --fallback-certificate}. */
        public Boolean enableFallbackCertificate;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ClientValidation {
        /** A Secret with {@code ca.crt}: this namespace's, or {@code namespace/name} with a delegation. */
        @Pattern(CrdSchema.SECRET)
        public String caSecret;
        public Boolean skipClientCertValidation;
        public Boolean optionalClientCertificate;
        /** A Secret with {@code crl.pem}, named as {@code caSecret}. */
        @Pattern(CrdSchema.SECRET)
        public String crlSecret;
        public Boolean onlyVerifyLeafCertCrl;
        public ForwardClientCertificate forwardClientCertificate;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ForwardClientCertificate {
        public Boolean subject;
        public Boolean cert;
        public Boolean chain;
        public Boolean dns;
        public Boolean uri;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class MatchCondition {
        @Pattern(CrdSchema.PATH)
        public String prefix;
        @Pattern(CrdSchema.PATH)
        public String exact;
        /** A regex over the whole path (routes only; the subset of RE2 in docs/httpproxy.md). */
        @Pattern(CrdSchema.PATH)
        public String regex;
        public HeaderMatch header;
        public QueryParameterMatch queryParameter;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class HeaderMatch {
        @Required
        @Pattern(CrdSchema.HEADER_NAME)
        public String name;
        public Boolean present;
        public Boolean notpresent;
        public String contains;
        public String notcontains;
        public String exact;
        public String notexact;
        /** Matched against the whole value (the subset of RE2 in docs/httpproxy.md). */
        public String regex;
        public Boolean ignoreCase;
        public Boolean treatMissingAsEmpty;
    }

    /** A query parameter condition: exactly one of the matches. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class QueryParameterMatch {
        @Required
        @Size(min = 1, max = 1024)
        public String name;
        public String exact;
        public String prefix;
        public String suffix;
        /** Matched against the whole value (the subset of RE2 in docs/httpproxy.md). */
        public String regex;
        public String contains;
        public Boolean ignoreCase;
        public Boolean present;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Include {
        @Required
        @Pattern(CrdSchema.NAME)
        public String name;
        @Pattern(CrdSchema.NAMESPACE)
        public String namespace;
        public List<MatchCondition> conditions;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Route {
        public List<MatchCondition> conditions;
        public List<Service> services;
        public Boolean enableWebsockets;
        /** On a TLS virtual host, also serve this route over plain HTTP instead of redirecting. */
        public Boolean permitInsecure;
        public TimeoutPolicy timeoutPolicy;
        public RetryPolicy retryPolicy;
        public LoadBalancerPolicy loadBalancerPolicy;
        public PathRewritePolicy pathRewritePolicy;
        public DirectResponsePolicy directResponsePolicy;
        public RequestRedirectPolicy requestRedirectPolicy;
        public HeadersPolicy requestHeadersPolicy;
        public HeadersPolicy responseHeadersPolicy;
        /** Set-Cookie attributes rewritten on the route's responses. */
        public List<CookieRewritePolicy> cookieRewritePolicies;
        /** An HTTP health check of the route's services: IngressRoute's fields and defaults (0 or unset: Contour's defaults). */
        public IngressRouteSpec.HealthCheck healthCheckPolicy;
    }

    /** Answer without a backend: a status (200-599) and a body of at most 4096 bytes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class DirectResponsePolicy {
        @Required
        @Min(200)
        @Max(599)
        public Long statusCode;
        public String body;
    }

    /** Answer with a redirect; unset fields keep the request's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RequestRedirectPolicy {
        @Pattern("^(http|https)$")
        public String scheme;
        public String hostname;
        @Min(1)
        @Max(65535)
        public Long port;
        /** 301 (default) or 302. */
        @Min(301)
        @Max(302)
        public Long statusCode;
        @Pattern(CrdSchema.PATH)
        public String path;
        @Pattern(CrdSchema.PATH)
        public String prefix;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class PathRewritePolicy {
        public List<ReplacePrefix> replacePrefix;
    }

    /** Replace the routing prefix {@code prefix} (or, without one, any) with {@code replacement}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class ReplacePrefix {
        @Pattern(CrdSchema.PATH)
        public String prefix;
        @Required
        @Pattern(CrdSchema.PATH)
        public String replacement;
    }

    /** Headers to set (replacing) and to remove. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class HeadersPolicy {
        public List<HeaderValue> set;
        public List<@Pattern(CrdSchema.HEADER_NAME) String> remove;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class HeaderValue {
        @Required
        @Pattern(CrdSchema.HEADER_NAME)
        public String name;
        @Required
        public String value;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class LoadBalancerPolicy {
        /** RoundRobin (default), WeightedLeastRequest, Random, RequestHash, Cookie. */
        @SchemaFrom(type = CrdSchema.ProxyStrategy.class)
        public String strategy;
        /** For RequestHash: what requests are hashed on, in order. */
        public List<RequestHashPolicy> requestHashPolicies;
    }

    /** Exactly one of the three. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RequestHashPolicy {
        public Boolean terminal;
        public HeaderHashOptions headerHashOptions;
        public QueryParameterHashOptions queryParameterHashOptions;
        public Boolean hashSourceIP;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class HeaderHashOptions {
        @Pattern(CrdSchema.HEADER_NAME)
        public String headerName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class QueryParameterHashOptions {
        @Size(min = 1, max = 1024)
        public String parameterName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Service {
        @Required
        @Pattern(CrdSchema.SERVICE)
        public String name;
        @Required
        @Min(1)
        @Max(65535)
        public Long port;
        @Min(0)
        @Max(2147483647)
        public Long weight;
        /** h2, h2c or tls: overrides the Service's upstream-protocol annotations. */
        @SchemaFrom(type = CrdSchema.Protocol.class)
        public String protocol;
        public IngressRouteSpec.UpstreamValidation validation;
        /** A copy of the route's requests goes here ({@code weight} percent of them, all when 0 or unset). */
        public Boolean mirror;
        public HeadersPolicy requestHeadersPolicy;
        public HeadersPolicy responseHeadersPolicy;
        public SlowStartPolicy slowStartPolicy;
        /** Applied to this service's responses (Isoline: when it is the route's only service). */
        public List<CookieRewritePolicy> cookieRewritePolicies;
    }

    /** New Set-Cookie attributes for one cookie; at least one of them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class CookieRewritePolicy {
        @Required
        @Size(min = 1, max = 4096)
        @Pattern("^[^()<>@,;:\\\\\"\\/\\[\\]?={} \\t\\x7f\\x00-\\x1f]+$")
        public String name;
        public CookieValue pathRewrite;
        public CookieValue domainRewrite;
        public Boolean secure;
        @SchemaFrom(type = CrdSchema.SameSite.class)
        public String sameSite;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class CookieValue {
        @Required
        @Size(min = 1, max = 4096)
        public String value;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class SlowStartPolicy {
        /** How long a new endpoint's share grows; a Go duration. */
        @Required
        public String window;
        /** The curve's shape: 1.0 (the default) is linear. */
        @Pattern("^([0-9]+([.][0-9]+)?|[.][0-9]+)$")
        public String aggression;
        /** The share a new endpoint starts with; 10 by default. */
        @Min(0)
        @Max(100)
        public Long minimumWeightPercent;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TimeoutPolicy {
        /** How long to wait for the response; a duration or "infinity". */
        public String response;
        /** How long an idle connection to the upstream is kept; a duration or "infinity". */
        public String idleConnection;
        /** How long a stream may stay idle; a duration or "infinity". */
        public String idle;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RetryPolicy {
        @Min(0)
        @Max(2147483647)
        public Long count;
        public String perTryTimeout;
        /** Envoy's retry conditions (5xx, gateway-error, reset, retriable-status-codes, ...); default 5xx. */
        public List<@Pattern(CrdSchema.RETRY_ON) String> retryOn;
        /** The codes retriable-status-codes retries on. */
        public List<@Min(100) @Max(599) Long> retriableStatusCodes;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TcpProxy {
        public List<Service> services;
        public TcpProxyInclude include;
        /** Deprecated in Contour for {@code include}, which wins when both are set. */
        public TcpProxyInclude includes;
        /** RoundRobin (default), WeightedLeastRequest or Random; Cookie and RequestHash do not apply to TCP. */
        public LoadBalancerPolicy loadBalancerPolicy;
        public TcpHealthCheckPolicy healthCheckPolicy;
    }

    /** A TCP connect health check of a tcpproxy's services; unset or 0: Contour's defaults (5 s, 2 s, 3, 2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TcpHealthCheckPolicy {
        @Min(0)
        @Max(2147483647)
        public Long intervalSeconds;
        @Min(0)
        @Max(2147483647)
        public Long timeoutSeconds;
        @Min(0)
        @Max(2147483647)
        public Long unhealthyThresholdCount;
        @Min(0)
        @Max(2147483647)
        public Long healthyThresholdCount;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TcpProxyInclude {
        @Required
        @Pattern(CrdSchema.NAME)
        public String name;
        @Pattern(CrdSchema.NAMESPACE)
        public String namespace;
    }
}
