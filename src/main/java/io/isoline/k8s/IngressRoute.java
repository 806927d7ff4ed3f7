package io.isoline.k8s;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Contour's IngressRoute ({@code contour.heptio.com/v1beta1}): a virtual host (when it is a root)
 * and routes to weighted Services, or delegations of path prefixes to IngressRoutes in other
 * namespaces. The CRD YAML is generated from this class at build time.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@Plural("ingressroutes")
@Singular("ingressroute")
@io.fabric8.kubernetes.model.annotation.ShortNames("ir")
// kubectl get contour (or isoline) lists every object of these kinds.
@io.fabric8.kubernetes.model.annotation.Categories({"contour", "isoline"})
@AdditionalPrinterColumn(name = "FQDN", jsonPath = ".spec.virtualhost.fqdn", type = Type.STRING)
@AdditionalPrinterColumn(name = "TLS Secret", jsonPath = ".spec.virtualhost.tls.secretName", type = Type.STRING)
@AdditionalPrinterColumn(name = "First route", jsonPath = ".spec.routes[0].match", type = Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.currentStatus", type = Type.STRING)
@AdditionalPrinterColumn(name = "Status Description", jsonPath = ".status.description", type = Type.STRING)
public class IngressRoute extends CustomResource<IngressRouteSpec, IngressRouteStatus> implements Namespaced {

    public static final String GROUP = "contour.heptio.com";
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "IngressRoute";

    /** A spec of the wrong shape makes this object invalid, not the informer fail (see {@link LenientDecoding}). */
    @Override
    @JsonDeserialize(using = IngressRouteSpec.Lenient.class)
    public void setSpec(IngressRouteSpec spec) {
        super.setSpec(spec);
    }

    /** A status of the wrong shape (someone else wrote it) is read as none; the next status write replaces it. */
    @Override
    @JsonDeserialize(using = IngressRouteStatus.Lenient.class)
    public void setStatus(IngressRouteStatus status) {
        super.setStatus(status);
    }
}
