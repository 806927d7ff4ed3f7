package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What Isoline concluded about an HTTPProxy, as Contour writes it: {@code currentStatus} (valid,
 * invalid, orphaned), {@code description}, and a {@code Valid} condition whose {@code errors} and
 * {@code warnings} sub-conditions carry Contour's types and reasons.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class HTTPProxyStatus {
    public String currentStatus;
    public String description;
    public List<DetailedCondition> conditions;
    /** Where the root is served: Envoy's load-balancer addresses, as on Ingress status. */
    public io.fabric8.kubernetes.api.model.LoadBalancerStatus loadBalancer;

    /** A Kubernetes condition with Contour's error and warning sub-conditions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class DetailedCondition {
        public String type;
        public String status;
        public Long observedGeneration;
        public String lastTransitionTime;
        public String reason;
        public String message;
        public List<SubCondition> errors;
        public List<SubCondition> warnings;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class SubCondition {
        public String type;
        public String status;
        public String reason;
        public String message;
    }

    /** Reads {@code status}; one that cannot be read is none. */
    public static final class Lenient extends LenientDecoding.LenientStatus<HTTPProxyStatus> {
        public Lenient() {
            super(HTTPProxyStatus.class);
        }
    }
}
