package io.isoline.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
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
@io.fabric8.kubernetes.model.annotation.ShortNames("tlsdel")
// kubectl get contour (or isoline) lists every object of these kinds.
@io.fabric8.kubernetes.model.annotation.Categories({"contour", "isoline"})
public class TLSCertificateDelegation extends CustomResource<TLSCertificateDelegation.Spec, Void> implements Namespaced {

    public static final String KIND = "TLSCertificateDelegation";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Spec extends LenientDecoding.Spec {
        public List<CertificateDelegation> delegations;
    }

    /** Reads {@code spec}; one that cannot be read delegates nothing and says why. */
    public static final class LenientSpec extends LenientDecoding.Lenient<Spec> {
        public LenientSpec() {
            super(Spec.class, Spec::new);
        }
    }

    /** A spec of the wrong shape delegates nothing, and does not make the informer fail (see {@link LenientDecoding}). */
    @Override
    @JsonDeserialize(using = LenientSpec.class)
    public void setSpec(Spec spec) {
        super.setSpec(spec);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class CertificateDelegation {
        /** A Secret in this object's namespace. */
        @io.fabric8.generator.annotation.Required
        @io.fabric8.generator.annotation.Pattern(CrdSchema.NAME)
        public String secretName;
        public List<@io.fabric8.generator.annotation.Pattern(CrdSchema.TARGET_NAMESPACE) String> targetNamespaces;
    }
}
