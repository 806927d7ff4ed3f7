package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * The IngressRoute spec as Contour 0.10 defines it. Plain data holders: Jackson binds the public
 * fields, unknown fields are ignored. The generated schema has Contour's constraints (required
 * fields, patterns, enums; {@link CrdSchema}), so the API server refuses what Contour's did at
 * {@code kubectl apply}; the core still checks every value (manifests in standalone mode and
 * {@code translate} pass no API server), so a bad value is an {@code invalid} status naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class IngressRouteSpec extends LenientDecoding.Spec {

    /** Present only on a root: the host it serves. */
    public VirtualHost virtualhost;
    public List<Route> routes;
    public TcpProxy tcpproxy;

    /** Reads {@code spec}; a spec that cannot be read is an empty one that says why. */
    public static final class Lenient extends LenientDecoding.Lenient<IngressRouteSpec> {
        public Lenient() {
            super(IngressRouteSpec.class, IngressRouteSpec::new);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class VirtualHost {
        @Pattern(CrdSchema.FQDN)
        public String fqdn;
        public Tls tls;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Tls {
        /** {@code name} in the IngressRoute's namespace, or {@code namespace/name} (needs a TLSCertificateDelegation). */
        @Pattern(CrdSchema.SECRET)
        public String secretName;
        /** "1.2" or "1.3"; anything else means the configured default. */
        @SchemaFrom(type = CrdSchema.TlsVersion.class)
        public String minimumProtocolVersion;
        /** Forward TLS by SNI to the tcpproxy services without decrypting. */
        public Boolean passthrough;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Route {
        /** Path prefix. */
        @Required
        @Pattern(CrdSchema.PATH)
        public String match;
        public List<Service> services;
        public Delegate delegate;
        public Boolean enableWebsockets;
        /** On a TLS virtual host, also serve this route over plain HTTP instead of redirecting. */
        public Boolean permitInsecure;
        public String prefixRewrite;
        public TimeoutPolicy timeoutPolicy;
        public RetryPolicy retryPolicy;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Service {
        @Required
        @Pattern(CrdSchema.SERVICE)
        public String name;
        // Numbers are Long so that any integer the API server holds decodes (an out-of-range
        // value in an int field used to stop the informer); the schema bounds them, the core checks.
        @Required
        @Min(1)
        @Max(65535)
        public Long port;
        @Min(0)
        @Max(2147483647)
        public Long weight;
        /** RoundRobin (default), WeightedLeastRequest, Random, RingHash, Maglev or Cookie. */
        @SchemaFrom(type = CrdSchema.Strategy.class)
        public String strategy;
        public HealthCheck healthCheck;
        /** For a TLS upstream (the Service's upstream-protocol.tls annotation): verify its certificate. */
        public UpstreamValidation validation;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class UpstreamValidation {
        /** A Secret in this object's namespace with {@code ca.crt}: the CA the upstream's certificate must chain to. */
        @Required
        @Pattern(CrdSchema.NAME)
        public String caSecret;
        /** The name the upstream's certificate must carry (a DNS subject alternative name); also sent as SNI. */
        @Required
        public String subjectName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class HealthCheck extends HTTPProxySpec.TcpHealthCheckPolicy {
        @Required
        @Pattern(CrdSchema.PATH)
        public String path;
        public String host;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Delegate {
        @Required
        @Pattern(CrdSchema.NAME)
        public String name;
        /** Defaults to the delegating object's namespace. */
        @Pattern(CrdSchema.NAMESPACE)
        public String namespace;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TcpProxy {
        public List<Service> services;
        public Delegate delegate;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TimeoutPolicy {
        /** A duration ({@code 30s}, {@code 1m}) or {@code infinity}. */
        public String request;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class RetryPolicy {
        @Min(0)
        @Max(2147483647)
        public Long count;
        public String perTryTimeout;
    }
}
