package io.isoline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.isoline.dag.ObjectStatus;
import io.isoline.xds.translate.TranslationResult;
import io.isoline.xds.translate.XdsResources;
import io.isoline.xds.validate.EnvoyTypes;
import java.util.List;

/**
 * Renders a translation as the {@code translate} contract's JSON: canonical proto3 JSON for every
 * resource (typed configs show their {@code @type} and fields), statuses, sorted and deterministic.
 * Private keys are replaced by {@code "[redacted]"}.
 *
 * <p>Thread-safe.
 */
public final class TranslationJson {

    public static final String REDACTED = "[redacted]";

    /** Every message type packed in an {@code Any} by the translators. */
    static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(EnvoyTypes.ALL.stream().map(Message::getDescriptorForType).toList())
            .build();

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(TYPES).omittingInsignificantWhitespace();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Two-space indents, {@code "key": value}, one array element per line, {@code \n} on every OS. */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private TranslationJson() {
    }

    public static String render(TranslationResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        XdsResources r = result.resources();
        root.set("listeners", array(r.listeners()));
        root.set("routes", array(r.routes()));
        root.set("clusters", array(r.clusters()));
        root.set("endpoints", array(r.endpoints()));
        ArrayNode secrets = array(r.secrets());
        secrets.forEach(TranslationJson::redact);
        root.set("secrets", secrets);
        ArrayNode statuses = root.putArray("statuses");
        for (ObjectStatus s : result.statuses()) {
            var status = statuses.addObject()
                    .put("apiVersion", s.apiVersion()).put("kind", s.kind())
                    .put("namespace", s.namespace()).put("name", s.name())
                    .put("currentStatus", s.currentStatus()).put("description", s.description());
            problems(status, "errors", s.errors());
            problems(status, "warnings", s.warnings());
        }
        return pretty(root);
    }

    /** HTTPProxy's error and warning sub-conditions, when there are any. */
    private static void problems(com.fasterxml.jackson.databind.node.ObjectNode status, String field, List<ObjectStatus.Problem> problems) {
        if (!problems.isEmpty()) {
            ArrayNode list = status.putArray(field);
            problems.forEach(p -> list.addObject().put("type", p.type()).put("reason", p.reason()).put("message", p.message()));
        }
    }

    /** Pretty JSON text, as {@code translate} prints it, ending with a newline. */
    public static String pretty(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** One message as canonical proto3 JSON; private keys in secrets are redacted. */
    public static JsonNode toJson(Message message) {
        try {
            JsonNode node = MAPPER.readTree(PRINTER.print(message));
            redact(node);
            return node;
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("every type we emit is in the registry: " + e.getMessage(), e);
        }
    }

    private static ArrayNode array(List<? extends Message> messages) {
        ArrayNode array = MAPPER.createArrayNode();
        messages.forEach(m -> array.add(toJson(m)));
        return array;
    }

    private static void redact(JsonNode secret) {
        JsonNode cert = secret.path("tlsCertificate");
        if (cert instanceof ObjectNode o && o.has("privateKey")) {
            o.put("privateKey", REDACTED);
        }
    }
}
