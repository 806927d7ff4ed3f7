package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * Contour's TLSCertificateDelegation ({@code contour.heptio.com/v1beta1}): lets objects in the named
 * namespaces ({@code "*"} = all) use a TLS Secret of this object's namespace.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@Plural("tlscertificatedelegations")
@Singular("tlscertificatedelegation")
public class TLSCertificateDelegation extends CustomResource<TLSCertificateDelegation.Spec, Void> implements Namespaced {

    public static final String KIND = "TLSCertificateDelegation";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Spec {
        public List<CertificateDelegation> delegations;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class CertificateDelegation {
        /** A Secret in this object's namespace. */
        public String secretName;
        public List<String> targetNamespaces;
    }
}
