package io.isoline.testing;

import io.isoline.dag.ObjectStatus;
import io.isoline.xds.translate.TranslationResult;
import java.util.Map;
import java.util.TreeMap;

/** YAML for HTTPProxies, and a view of the statuses a translation gave them. */
public final class Proxies {

    private Proxies() {
    }

    /** An HTTPProxy with {@code spec} (YAML at spec level: virtualhost, routes, includes, tcpproxy). */
    public static String proxy(String namespace, String name, String spec) {
        return """
                apiVersion: projectcontour.io/v1
                kind: HTTPProxy
                metadata: {name: %s, namespace: %s}
                spec:
                %s
                ---
                """.formatted(name, namespace, spec.stripTrailing().indent(2).stripTrailing());
    }

    /** {@code namespace/name -> "status: description"} for every HTTPProxy. */
    public static Map<String, String> statuses(TranslationResult result) {
        Map<String, String> out = new TreeMap<>();
        for (ObjectStatus s : result.statuses()) {
            if (s.kind().equals("HTTPProxy")) {
                out.put(s.namespace() + "/" + s.name(), s.currentStatus() + ": " + s.description());
            }
        }
        return out;
    }

    /** {@code "type/reason"} of each error of one HTTPProxy's Valid condition. */
    public static java.util.List<String> errors(TranslationResult result, String namespaceName) {
        return result.statuses().stream().filter(s -> s.kind().equals("HTTPProxy") && (s.namespace() + "/" + s.name()).equals(namespaceName))
                .flatMap(s -> s.errors().stream()).map(p -> p.type() + "/" + p.reason()).toList();
    }
}
