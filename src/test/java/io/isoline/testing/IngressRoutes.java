package io.isoline.testing;

import io.isoline.dag.ObjectStatus;
import io.isoline.xds.translate.TranslationResult;
import java.util.Map;
import java.util.TreeMap;

/** YAML for IngressRoutes, and a view of the statuses a translation gave them. */
public final class IngressRoutes {

    private IngressRoutes() {
    }

    /** A root IngressRoute for {@code fqdn} with the given routes (YAML list items, indented 2). */
    public static String root(String namespace, String name, String fqdn, String routes) {
        return """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: %s, namespace: %s}
                spec:
                  virtualhost: {fqdn: %s}
                  routes:
                %s
                ---
                """.formatted(name, namespace, fqdn, routes.stripTrailing());
    }

    /**
     * A root IngressRoute with {@code virtualhost} as YAML (a flow map: fqdn, tls) and the rest of
     * its spec ({@code routes:}, {@code tcpproxy:}) as YAML at spec level.
     */
    public static String rootSpec(String namespace, String name, String virtualhost, String spec) {
        return """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: %s, namespace: %s}
                spec:
                  virtualhost: %s
                %s
                ---
                """.formatted(name, namespace, virtualhost, spec.indent(2).stripTrailing());
    }

    /** A delegated (non-root) IngressRoute with the given routes. */
    public static String child(String namespace, String name, String routes) {
        return """
                apiVersion: contour.heptio.com/v1beta1
                kind: IngressRoute
                metadata: {name: %s, namespace: %s}
                spec:
                  routes:
                %s
                ---
                """.formatted(name, namespace, routes.stripTrailing());
    }

    /** A route item: {@code match} to service {@code svc}:80. */
    public static String toService(String match, String svc) {
        return "  - {match: \"" + match + "\", services: [{name: " + svc + ", port: 80}]}\n";
    }

    /** A route item: {@code match} delegated to {@code namespace/name}. */
    public static String delegate(String match, String namespace, String name) {
        return "  - {match: \"" + match + "\", delegate: {name: " + name + ", namespace: " + namespace + "}}\n";
    }

    /** {@code namespace/name -> "status: description"} for every IngressRoute status. */
    public static Map<String, String> statuses(TranslationResult result) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectStatus s : result.statuses()) {
            if (s.kind().equals("IngressRoute")) {
                out.put(s.namespace() + "/" + s.name(), s.currentStatus() + ": " + s.description());
            }
        }
        return out;
    }
}
