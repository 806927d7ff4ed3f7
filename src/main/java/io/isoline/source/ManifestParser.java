package io.isoline.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.CustomResource;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.LenientDecoding;
import io.isoline.k8s.TLSCertificateDelegation;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (several documents per file allowed) or JSON manifests into the typed objects the core
 * reads. {@code kind: List} objects are unpacked. Kinds the core does not read are skipped; a known
 * kind at an API version we do not read is skipped with a warning. Unknown fields are ignored;
 * a missing {@code kind} or {@code metadata.name}, bad syntax, or a field of the wrong type is a
 * {@link ManifestException}.
 *
 * <p>Thread-safe: the mappers are immutable once built.
 */
public final class ManifestParser {

    /** apiVersion/kind -> model class, for every kind the core reads. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/Service", Service.class,
            "v1/Endpoints", Endpoints.class,
            "v1/Secret", Secret.class,
            "discovery.k8s.io/v1/EndpointSlice", EndpointSlice.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/IngressClass", IngressClass.class,
            IngressRoute.API_VERSION + "/" + IngressRoute.KIND, IngressRoute.class,
            IngressRoute.API_VERSION + "/" + TLSCertificateDelegation.KIND, TLSCertificateDelegation.class,
            io.isoline.k8s.HTTPProxy.API_VERSION + "/" + io.isoline.k8s.HTTPProxy.KIND, io.isoline.k8s.HTTPProxy.class,
            io.isoline.k8s.TLSCertificateDelegationV1.API_VERSION + "/" + TLSCertificateDelegation.KIND,
            io.isoline.k8s.TLSCertificateDelegationV1.class);

    /**
     * Largest YAML file read, in code points: a real cluster's {@code kubectl get ... -o yaml} runs to
     * tens of MB (SnakeYAML's default, 3 MiB, refused them), while a bound still keeps one file from
     * taking the heap.
     */
    static final int MAX_YAML_CODE_POINTS = 256 * 1024 * 1024;
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .loaderOptions(loaderOptions()).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setCodePointLimit(MAX_YAML_CODE_POINTS);
        return o;
    }
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The objects of one file, plus warnings about skipped objects. */
    public record Parsed(List<HasMetadata> objects, List<String> warnings) {
    }

    private ManifestParser() {
    }

    /**
     * Pays ahead for what the first parse of each kind costs once per process and is the same every
     * time (Jackson works out how to build each model class and the classes it holds), by reading a
     * minimal object of every kind the core reads from YAML. Optional: parsing is the same without it.
     */
    public static void prepare() {
        TYPES.forEach((key, type) -> {
            int slash = key.lastIndexOf('/');
            var doc = YAML.createObjectNode().put("apiVersion", key.substring(0, slash)).put("kind", key.substring(slash + 1));
            doc.putObject("metadata").put("name", "prepare");
            try {
                YAML.treeToValue(doc, type);
            } catch (JsonProcessingException e) {
                // nothing to pay ahead for this kind
            }
        });
    }

    public static Parsed parse(Path file) throws ManifestException {
        return parse(file, false);
    }

    /**
     * @param lenient an object whose fields have the wrong types is skipped with a warning instead of
     *                failing the file (what {@code serve} does; syntax errors always fail the file)
     */
    public static Parsed parse(Path file, boolean lenient) throws ManifestException {
        return parse(file, read(file), lenient);
    }

    /** A manifest file's bytes, refusing one larger than the parser takes. */
    static byte[] read(Path file) throws ManifestException {
        try {
            if (Files.size(file) > MAX_YAML_CODE_POINTS) {
                throw new ManifestException(file, -1, "is larger than " + (MAX_YAML_CODE_POINTS >> 20) + " MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ManifestException(file, -1, "cannot be read: " + e.getMessage());
        }
    }

    /** Parses a file's bytes ({@link #read}). */
    static Parsed parse(Path file, byte[] bytes, boolean lenient) throws ManifestException {
        return parse(file, new java.io.StringReader(utf8(file, bytes)), lenient);
    }

    /** The text of a file, or an error saying where the first byte that is not UTF-8 is (line and column). */
    static String utf8(Path file, byte[] bytes) throws ManifestException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ManifestException(file, -1, "is not UTF-8: byte " + (at + 1) + " (line " + line + ", column "
                    + (at - lineStart + 1) + ")");
        }
    }

    /** Parses manifests from {@code reader}; {@code file} names them in messages and picks JSON or YAML. */
    public static Parsed parse(Path file, Reader reader) throws ManifestException {
        return parse(file, reader, false);
    }

    static Parsed parse(Path file, Reader reader, boolean lenient) throws ManifestException {
        boolean json = file.getFileName().toString().endsWith(".json");
        ObjectMapper mapper = json ? JSON : YAML;
        List<HasMetadata> objects = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> jsonDocs = json ? mapper.readerFor(JsonNode.class).readValues(reader) : null) {
            // YAML through SnakeYAML's composer, so anchors, aliases and merge keys resolve as kubectl's do
            Iterator<JsonNode> docs = json ? jsonDocs : YamlDocuments.read(reader);
            while (true) {
                JsonNode doc;
                try {
                    if (!docs.hasNext()) {
                        break;
                    }
                    doc = docs.next();
                } catch (YamlDocuments.SyntaxError e) {
                    throw new ManifestException(file, index, "not valid YAML or JSON: " + e.getMessage());
                } catch (RuntimeException e) {
                    Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
                    throw new ManifestException(file, index, "not valid YAML or JSON: "
                            + withoutSource(cause instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage())));
                }
                // (an empty document, as after a trailing "---", reads as null or as an empty string)
                boolean empty = doc == null || doc.isNull() || doc.isMissingNode() || (doc.isTextual() && doc.asText().isEmpty());
                if (!empty) {
                    try {
                        addDocument(mapper, file, index, doc, objects, warnings);
                    } catch (ManifestException e) {
                        if (!lenient) {
                            throw e;
                        }
                        warnings.add(e.getMessage() + "; the object is skipped");
                    }
                }
                index++;
            }
        } catch (IOException e) {
            throw new ManifestException(file, index, "cannot be read: " + e.getMessage());
        }
        return new Parsed(objects, warnings);
    }

    private static void addDocument(ObjectMapper mapper, Path file, int index, JsonNode doc,
            List<HasMetadata> objects, List<String> warnings) throws ManifestException {
        if (!doc.isObject()) {
            throw new ManifestException(file, index, "expected an object with apiVersion and kind");
        }
        String kind = doc.path("kind").asText("");
        String apiVersion = doc.path("apiVersion").asText("");
        if (kind.isEmpty()) {
            throw new ManifestException(file, index, "object has no kind");
        }
        if (kind.equals("List") || kind.endsWith("List") && doc.has("items")) {
            int i = 0;
            for (JsonNode item : doc.path("items")) {
                try {
                    addDocument(mapper, file, index, item, objects, warnings);
                } catch (ManifestException e) {
                    throw new ManifestException(file, index, "items[" + i + "]: " + e.getMessage());
                }
                i++;
            }
            return;
        }
        if (LegacyIngress.isLegacy(apiVersion, kind) && doc instanceof com.fasterxml.jackson.databind.node.ObjectNode legacy) {
            String name = doc.path("metadata").path("name").asText("");
            try {
                doc = LegacyIngress.toV1(legacy);
            } catch (IllegalArgumentException e) {
                throw new ManifestException(file, index, kind + " " + name + ": " + e.getMessage());
            }
            warnings.add(file + " (document " + index + "): " + kind + " " + name + " " + apiVersion + " is read as " + LegacyIngress.V1);
            apiVersion = LegacyIngress.V1;
        }
        Class<? extends HasMetadata> type = TYPES.get(apiVersion + "/" + kind);
        if (type == null) {
            if (TYPES.keySet().stream().anyMatch(k -> k.endsWith("/" + kind))) {
                warnings.add(file + " (document " + index + "): " + kind + " " + apiVersion
                        + " is not read; use " + TYPES.keySet().stream().filter(k -> k.endsWith("/" + kind))
                        .map(k -> k.substring(0, k.length() - kind.length() - 1)).findFirst().orElseThrow());
            }
            return;
        }
        if (doc.path("metadata").path("name").asText("").isEmpty()) {
            throw new ManifestException(file, index, kind + " has no metadata.name");
        }
        String name = kind + " " + doc.path("metadata").path("name").asText();
        HasMetadata object;
        try {
            object = mapper.treeToValue(doc, type);
        } catch (JsonProcessingException e) {
            throw new ManifestException(file, index, name + ": " + LenientDecoding.describe(e, ""));
        }
        // A custom resource's spec is read leniently (one bad object must not stop an informer);
        // a file is the author's own, so here a spec of the wrong shape is an error, as for any kind.
        if (object instanceof CustomResource<?, ?> cr && cr.getSpec() instanceof LenientDecoding.Decoded d
                && d.decodeProblem() != null) {
            throw new ManifestException(file, index, name + ": " + d.decodeProblem());
        }
        objects.add(object);
    }

    /**
     * The parser's message without the source lines it quotes (indented lines and carets), which
     * could hold Secret data; the line and column stay.
     */
    static String withoutSource(String message) {
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !line.startsWith("    ")) {
                sb.append(sb.length() == 0 ? "" : " ").append(line.trim());
            }
        }
        return sb.toString();
    }

}
