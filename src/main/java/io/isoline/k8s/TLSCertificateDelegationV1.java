package io.isoline.k8s;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * TLSCertificateDelegation in Contour 1.x's group ({@code projectcontour.io/v1}): the same spec as
 * the {@code contour.heptio.com/v1beta1} kind ({@link TLSCertificateDelegation}), and either kind
 * delegates a Secret to any object kind that uses one.
 */
@Group(HTTPProxy.GROUP)
@Version(HTTPProxy.VERSION)
@Kind(TLSCertificateDelegation.KIND)
@Plural("tlscertificatedelegations")
@Singular("tlscertificatedelegation")
@io.fabric8.kubernetes.model.annotation.ShortNames("tlscerts")
@io.fabric8.kubernetes.model.annotation.Categories({"contour", "isoline"})
public class TLSCertificateDelegationV1 extends CustomResource<TLSCertificateDelegation.Spec, Void> implements Namespaced {

    public static final String API_VERSION = HTTPProxy.API_VERSION;

    /** A spec of the wrong shape delegates nothing, and does not make the informer fail (see {@link LenientDecoding}). */
    @Override
    @JsonDeserialize(using = TLSCertificateDelegation.LenientSpec.class)
    public void setSpec(TLSCertificateDelegation.Spec spec) {
        super.setSpec(spec);
    }
}
