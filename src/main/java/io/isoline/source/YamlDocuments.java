package io.isoline.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Reader;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The documents of a YAML stream as JSON trees, with anchors, aliases and merge keys ({@code <<})
 * resolved, as {@code kubectl} reads them. Bounded against hostile input: at most
 * {@value #MAX_ALIASES} aliases to collections, {@value #MAX_NODES} values per document once
 * aliases are expanded, nesting {@value #MAX_DEPTH} deep, and {@link ManifestParser#MAX_YAML_CODE_POINTS}
 * code points. Plain scalars are typed as YAML 1.2's core schema does ({@code true}/{@code false},
 * decimal numbers, {@code null}/{@code ~}/empty); everything else, quoted values included, is text.
 * Syntax errors say what and where (line, column), never the source text (it may be a key).
 *
 * <p>Not thread-safe: one reader per stream.
 */
final class YamlDocuments {

    static final int MAX_ALIASES = 50;
    static final int MAX_NODES = 2_000_000;
    static final int MAX_DEPTH = 200;
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A problem with the YAML itself, described without its text. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private int nodes;

    private YamlDocuments() {
    }

    /** The documents of {@code reader}; iterating throws {@link SyntaxError} where the YAML is bad. */
    static Iterator<JsonNode> read(Reader reader) {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(ManifestParser.MAX_YAML_CODE_POINTS);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setAllowRecursiveKeys(false);
        DumperOptions d = new DumperOptions();
        Iterator<Node> docs = new Yaml(new SafeConstructor(o), new Representer(d), d, o).composeAll(reader).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return docs.hasNext();
                } catch (YAMLException e) {
                    throw new SyntaxError(describe(e));
                }
            }

            @Override
            public JsonNode next() {
                try {
                    Node n = docs.next();
                    return n == null ? null : new YamlDocuments().json(n, 0);
                } catch (YAMLException e) {
                    throw new SyntaxError(describe(e));
                }
            }
        };
    }

    private JsonNode json(Node n, int depth) {
        if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
            throw new SyntaxError("the document is too large once its aliases are expanded (more than " + MAX_NODES
                    + " values or " + MAX_DEPTH + " levels)");
        }
        if (n instanceof ScalarNode s) {
            return scalar(s);
        }
        if (n instanceof SequenceNode seq) {
            ArrayNode a = NODES.arrayNode();
            seq.getValue().forEach(v -> a.add(json(v, depth + 1)));
            return a;
        }
        ObjectNode o = NODES.objectNode();
        merge(o, (MappingNode) n, depth);
        return o;
    }

    /** A mapping's pairs into {@code o}: its own first, then merged ones ({@code <<}) where not set. */
    private void merge(ObjectNode o, MappingNode m, int depth) {
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || k.getTag().equals(Tag.MERGE)) {
                continue;
            }
            o.set(k.getValue(), json(t.getValueNode(), depth + 1));
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getTag().equals(Tag.MERGE)) {
                Node v = t.getValueNode();
                for (Node from : v instanceof SequenceNode seq ? seq.getValue() : java.util.List.of(v)) {
                    if (from instanceof MappingNode fm) {
                        ObjectNode merged = NODES.objectNode();
                        merge(merged, fm, depth + 1);
                        merged.properties().forEach(e -> {
                            if (!o.has(e.getKey())) {
                                o.set(e.getKey(), e.getValue());
                            }
                        });
                    }
                }
            }
        }
    }

    private static JsonNode scalar(ScalarNode s) {
        String v = s.getValue();
        if (!s.isPlain()) {
            return NODES.textNode(v);
        }
        switch (v) {
            case "", "~", "null", "Null", "NULL":
                return NODES.nullNode();
            case "true", "True", "TRUE":
                return NODES.booleanNode(true);
            case "false", "False", "FALSE":
                return NODES.booleanNode(false);
            default:
                break;
        }
        if (INT.matcher(v).matches()) {
            BigInteger i = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
            // (int where it fits, as Jackson's own YAML parser gives: fabric8's IntOrString wants one)
            return i.bitLength() < 32 ? NODES.numberNode(i.intValue())
                    : i.bitLength() < 64 ? NODES.numberNode(i.longValue()) : NODES.numberNode(i);
        }
        if (FLOAT.matcher(v).matches()) {
            return NODES.numberNode(Double.parseDouble(v));
        }
        return NODES.textNode(v);
    }

    private static String where(Mark at, String before, String after) {
        return at == null ? "" : before + "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + after;
    }

    private static String describe(YAMLException e) {
        if (e instanceof MarkedYAMLException m) {
            String context = m.getContext() == null ? "" : m.getContext() + where(m.getContextMark(), " (", ")") + ": ";
            return context + m.getProblem() + where(m.getProblemMark(), " at ", "");
        }
        // (limits: code points, aliases, nesting; their messages carry no source text)
        return e.getMessage();
    }
}
