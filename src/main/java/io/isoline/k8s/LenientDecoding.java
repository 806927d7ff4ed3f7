package io.isoline.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decoding a custom resource so that a value of the wrong type spoils only its own object. An API
 * server holds whatever a CRD's schema lets through (an older CRD, Contour's own, or one without a
 * schema lets anything through); fabric8 decodes a whole list or watch event at once, so one bad
 * field used to stop an informer for every object of the kind. A {@link Lenient} deserializer on
 * the {@code spec} property catches the failure and gives a spec that {@link Decoded#decodeProblem()
 * says what was wrong}, naming the field; the core reports the object invalid with that. Messages
 * never quote the value (it may be huge, or a secret) and never name Java types.
 */
public final class LenientDecoding {

    private LenientDecoding() {
    }

    /** A spec that may not have been readable. */
    public interface Decoded {
        /** Null when the spec was read; else what was wrong, e.g. {@code spec.routes[0].services[0].port must be an integer}. */
        String decodeProblem();
    }

    /** A spec class that can stand in, empty, for one that could not be read. */
    public abstract static class Spec implements Decoded {
        private String decodeProblem;

        @Override
        public final String decodeProblem() {
            return decodeProblem;
        }
    }

    /** Reads a {@code T} from its JSON tree; when that fails, {@link #unreadable} stands in for it. */
    abstract static class Tolerant<T> extends StdDeserializer<T> {

        Tolerant(Class<T> type) {
            super(type);
        }

        abstract T unreadable(JsonProcessingException e);

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonNode tree = p.readValueAsTree();
            try {
                return (T) ctx.readTreeAsValue(tree, handledType());
            } catch (JsonProcessingException e) {
                return unreadable(e);
            }
        }
    }

    /**
     * Reads a spec; when that fails, an empty one says why. Subclasses only name the type (Jackson
     * instantiates them by their no-argument constructor).
     */
    public abstract static class Lenient<T extends Spec> extends Tolerant<T> {

        private final Supplier<T> empty;

        protected Lenient(Class<T> type, Supplier<T> empty) {
            super(type);
            this.empty = empty;
        }

        @Override
        T unreadable(JsonProcessingException e) {
            T spec = empty.get();
            ((Spec) spec).decodeProblem = describe(e, "spec");
            return spec;
        }
    }

    /** Reads a status; one that cannot be read is none (the next status write replaces it). */
    public abstract static class LenientStatus<T> extends Tolerant<T> {

        protected LenientStatus(Class<T> type) {
            super(type);
        }

        @Override
        T unreadable(JsonProcessingException e) {
            return null;
        }
    }

    /**
     * What a decoding failure means to the object's owner: the field (from {@code root}) and what it
     * must be, e.g. {@code spec.rules[0].host must be a string}.
     */
    public static String describe(JsonProcessingException e, String root) {
        StringBuilder path = new StringBuilder(root);
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        String where = path.length() == 0 ? "the object" : path.toString();
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return where + " must be " + expected(mismatch.getTargetType());
        }
        return where + " cannot be read";
    }

    private static String expected(Class<?> type) {
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) ? "a map" : "an object";
    }
}
