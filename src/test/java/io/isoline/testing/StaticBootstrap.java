package io.isoline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * An Envoy bootstrap with {@code translate}'s output as static resources, for
 * {@code envoy --mode validate}: route tables inlined where listeners name them over RDS, secrets
 * referenced by name instead of over SDS, EDS clusters made STATIC with their assignment inline,
 * and redacted private keys replaced by {@code key} (the key of the test certificate). Everything
 * else is exactly what {@code serve} sends.
 */
public final class StaticBootstrap {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StaticBootstrap() {
    }

    public static String from(JsonNode translated, String key) {
        Map<String, JsonNode> routes = byName(translated.get("routes"), "name");
        Map<String, JsonNode> endpoints = byName(translated.get("endpoints"), "clusterName");
        ObjectNode root = JSON.createObjectNode();
        root.putObject("node").put("id", "validate").put("cluster", "validate");
        root.putObject("admin").putObject("address").putObject("socketAddress").put("address", "127.0.0.1").put("portValue", 0);
        ObjectNode statics = root.putObject("staticResources");
        ArrayNode listeners = statics.putArray("listeners");
        for (JsonNode l : translated.get("listeners")) {
            ObjectNode listener = l.deepCopy();
            inline(listener, routes);
            listeners.add(listener);
        }
        ArrayNode clusters = statics.putArray("clusters");
        for (JsonNode c : translated.get("clusters")) {
            ObjectNode cluster = c.deepCopy();
            if (cluster.has("edsClusterConfig")) {
                String service = cluster.get("edsClusterConfig").path("serviceName").asText(cluster.get("name").asText());
                cluster.remove("edsClusterConfig");
                cluster.put("type", "STATIC");
                ObjectNode assignment = endpoints.get(service).deepCopy();
                assignment.put("clusterName", cluster.get("name").asText());
                cluster.set("loadAssignment", assignment);
            }
            clusters.add(cluster);
        }
        ArrayNode secrets = statics.putArray("secrets");
        for (JsonNode s : translated.get("secrets")) {
            ObjectNode secret = s.deepCopy();
            if (secret.path("tlsCertificate").path("privateKey").isTextual()) { // "[redacted]"
                ((ObjectNode) secret.get("tlsCertificate")).putObject("privateKey").put("inlineString", key);
            }
            secrets.add(secret);
        }
        return root.toPrettyString();
    }

    /** Walks a listener: RDS becomes an inline route table, SDS a secret by name. */
    private static void inline(JsonNode node, Map<String, JsonNode> routes) {
        if (node instanceof ObjectNode o) {
            JsonNode rds = o.get("rds");
            if (rds != null && rds.has("routeConfigName")) {
                o.remove("rds");
                o.set("routeConfig", routes.get(rds.get("routeConfigName").asText()));
            }
            if (o.has("sdsConfig") && o.has("name")) {
                o.remove("sdsConfig");
            }
            o.properties().forEach(e -> inline(e.getValue(), routes));
        } else if (node instanceof ArrayNode a) {
            a.forEach(n -> inline(n, routes));
        }
    }

    private static Map<String, JsonNode> byName(JsonNode array, String field) {
        Map<String, JsonNode> out = new HashMap<>();
        if (array != null) {
            array.forEach(n -> out.put(n.get(field).asText(), n));
        }
        return out;
    }
}
