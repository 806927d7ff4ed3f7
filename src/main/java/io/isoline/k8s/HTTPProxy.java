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
 * Contour's HTTPProxy ({@code projectcontour.io/v1}): a virtual host (when it is a root), routes
 * to weighted Services under match conditions, and includes of other HTTPProxies (in any
 * namespace) whose routes get the include's conditions added. The CRD YAML is generated from this
 * class at build time, with Contour's printer columns and short names.
 */
@Group(HTTPProxy.GROUP)
@Version(HTTPProxy.VERSION)
@Plural("httpproxies")
@Singular("httpproxy")
@io.fabric8.kubernetes.model.annotation.ShortNames({"proxy", "proxies"})
@io.fabric8.kubernetes.model.annotation.Categories({"contour", "isoline"})
@AdditionalPrinterColumn(name = "FQDN", jsonPath = ".spec.virtualhost.fqdn", type = Type.STRING)
@AdditionalPrinterColumn(name = "TLS Secret", jsonPath = ".spec.virtualhost.tls.secretName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.currentStatus", type = Type.STRING)
@AdditionalPrinterColumn(name = "Status Description", jsonPath = ".status.description", type = Type.STRING)
public class HTTPProxy extends CustomResource<HTTPProxySpec, HTTPProxyStatus> implements Namespaced {

    public static final String GROUP = "projectcontour.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "HTTPProxy";

    /** A spec of the wrong shape makes this object invalid, not the informer fail (see {@link LenientDecoding}). */
    @Override
    @JsonDeserialize(using = HTTPProxySpec.Lenient.class)
    public void setSpec(HTTPProxySpec spec) {
        super.setSpec(spec);
    }

    /** A status of the wrong shape (someone else wrote it) is read as none; the next status write replaces it. */
    @Override
    @JsonDeserialize(using = HTTPProxyStatus.Lenient.class)
    public void setStatus(HTTPProxyStatus status) {
        super.setStatus(status);
    }
}
