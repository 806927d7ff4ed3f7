package io.isoline.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Ingress manifests in {@code extensions/v1beta1} or {@code networking.k8s.io/v1beta1} (removed
 * from Kubernetes in 1.22; every Ingress Contour ever shipped) rewritten as the API server serves
 * them in {@code networking.k8s.io/v1}: {@code spec.backend} becomes {@code spec.defaultBackend},
 * each {@code {serviceName, servicePort}} becomes {@code {service: {name, port: {number|name}}}}
 * (a string port is a port name, as in Kubernetes' conversion), and a path without
 * {@code pathType} is {@code ImplementationSpecific}. In Kubernetes mode the API server does this.
 */
final class LegacyIngress {

    static final Set<String> VERSIONS = Set.of("extensions/v1beta1", "networking.k8s.io/v1beta1");
    static final String V1 = "networking.k8s.io/v1";

    private LegacyIngress() {
    }

    static boolean isLegacy(String apiVersion, String kind) {
        return kind.equals("Ingress") && VERSIONS.contains(apiVersion);
    }

    /**
     * A v1 copy of {@code doc}; other fields of the wrong shape are left for the v1 decoder to name.
     *
     * @throws IllegalArgumentException naming a {@code servicePort} that is neither a number nor a name
     */
    static ObjectNode toV1(ObjectNode doc) {
        ObjectNode out = doc.deepCopy();
        out.put("apiVersion", V1);
        if (out.get("spec") instanceof ObjectNode spec) {
            JsonNode backend = spec.remove("backend");
            if (backend != null && !spec.has("defaultBackend")) {
                spec.set("defaultBackend", backend(backend, "spec.backend"));
            }
            int r = 0;
            for (JsonNode rule : spec.path("rules")) {
                int i = 0;
                for (JsonNode path : rule.path("http").path("paths")) {
                    String field = "spec.rules[" + r + "].http.paths[" + i++ + "].backend";
                    if (path instanceof ObjectNode p) {
                        if (!p.hasNonNull("pathType")) {
                            p.put("pathType", "ImplementationSpecific");
                        }
                        if (p.has("backend")) {
                            p.set("backend", backend(p.get("backend"), field));
                        }
                    }
                }
                r++;
            }
        }
        return out;
    }

    private static JsonNode backend(JsonNode legacy, String field) {
        if (!(legacy instanceof ObjectNode old) || !old.has("serviceName")) {
            return legacy; // a resource backend, or not an object: as it is
        }
        ObjectNode converted = old.deepCopy();
        JsonNode name = converted.remove("serviceName");
        JsonNode port = converted.remove("servicePort");
        ObjectNode service = converted.putObject("service");
        service.set("name", name);
        if (port != null) {
            ObjectNode p = service.putObject("port");
            if (port.isIntegralNumber()) {
                p.set("number", port);
            } else if (port.isTextual()) {
                p.set("name", port);
            } else {
                throw new IllegalArgumentException(field + ".servicePort must be a port number or name");
            }
        }
        return converted;
    }
}
