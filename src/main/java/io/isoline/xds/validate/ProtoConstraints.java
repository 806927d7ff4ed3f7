package io.isoline.xds.validate;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a protobuf message against the {@code validate.rules} constraints declared on Envoy's API
 * (protoc-gen-validate annotations), the checks Envoy runs on every resource it receives before
 * accepting it. The rules are read from the message descriptors at run time, so every Envoy type is
 * covered without generated validators; {@code Any} fields holding a type from {@link EnvoyTypes}
 * are unpacked and checked too.
 *
 * <p>Supported: message {@code required}/{@code skip}, required oneofs, {@code disabled} and
 * {@code ignored} messages, and the string, bytes, bool, enum, numeric, duration, timestamp, any,
 * repeated and map rules (well-known string formats and Envoy's HTTP header regexes included).
 * Rules relative to the current time ({@code lt_now}, {@code gt_now}, {@code within}) are not
 * checked; Envoy's resources do not use them.
 *
 * <p>Thread-safe: the per-type plans are cached in concurrent maps (per instance: {@link #shared()}
 * in production, a fresh one where a test must run the code that fills them); checks allocate only
 * on violations.
 */
public final class ProtoConstraints {

    /** How a field holds its values, worked out once (descriptor queries are not cheap). */
    private enum Shape { MAP, REPEATED, MESSAGE, OPTIONAL_SCALAR, SCALAR }

    /** A field worth visiting: it has rules, or it holds messages that may have some. */
    private record Step(FieldDescriptor field, FieldRules rules, Shape shape, boolean inOneof, boolean required) {
        static Step of(FieldDescriptor f, FieldRules rules) {
            Shape shape = f.isMapField() ? Shape.MAP : f.isRepeated() ? Shape.REPEATED
                    : f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? Shape.MESSAGE
                    : f.hasPresence() ? Shape.OPTIONAL_SCALAR : Shape.SCALAR;
            return new Step(f, rules, shape, f.getContainingOneof() != null, rules != null && ProtoConstraints.required(rules));
        }
    }

    /** What to check in one message type. */
    private record Plan(boolean disabled, List<Step> steps, List<OneofDescriptor> requiredOneofs, boolean unit) {
    }

    private static final ProtoConstraints SHARED = new ProtoConstraints();

    private final Map<Descriptor, Plan> plans = new ConcurrentHashMap<>();
    private final Map<Descriptor, Boolean> relevant = new ConcurrentHashMap<>();
    private final ValueRules values = new ValueRules();

    /** A checker with its own (empty) caches; {@link #shared()} is the one to use. */
    public ProtoConstraints() {
    }

    /** The checker every translation uses: its per-type plans are worked out once per process. */
    public static ProtoConstraints shared() {
        return SHARED;
    }

    /**
     * Works out ahead what checking messages of these types needs and is the same every time: their
     * descriptors (loading Envoy's API files) and which of the types they can reach have rules.
     */
    public void prepare(List<? extends Message> types) {
        for (Message type : types) {
            violations(type.getDefaultInstanceForType());
        }
    }

    /**
     * Every constraint {@code message} breaks, as {@code "field.path: problem"}; empty when Envoy
     * would accept it.
     */
    public List<String> violations(Message message) {
        return violations(message, null);
    }

    /**
     * As {@link #violations(Message)}, skipping the parts {@code memo} knows are valid and telling it
     * which parts were found valid.
     */
    public List<String> violations(Message message, ValidMemo memo) {
        List<String> out = new ArrayList<>(0);
        check(message, null, out, memo);
        return out;
    }

    /**
     * Where a value is, rendered only when there is a problem to report (building path strings for
     * every field visited would cost more than the checks).
     */
    record Path(Path parent, String name, int index) {
        Path field(String field) {
            return new Path(this, field, -1);
        }

        Path at(int i) {
            return new Path(this, null, i);
        }

        Path key(Object key) {
            return new Path(this, "[" + key + "]", -2);
        }

        @Override
        public String toString() {
            String up = parent == null ? "" : parent.toString();
            if (index >= 0) {
                return up + "[" + index + "]";
            }
            if (index == -2) {
                return up + name;
            }
            return up.isEmpty() ? name : up + "." + name;
        }
    }

    private void check(Message m, Path path, List<String> out, ValidMemo memo) {
        Plan plan = plans.computeIfAbsent(m.getDescriptorForType(), this::plan);
        if (plan.disabled()) {
            return;
        }
        boolean unit = memo != null && plan.unit();
        if (unit && memo.isKnownValid(m)) {
            return;
        }
        int before = out.size();
        if (EnvoySemantics.checks(m.getDescriptorForType().getFullName())) {
            EnvoySemantics.check(m, path, out);
        }
        for (OneofDescriptor oneof : plan.requiredOneofs()) {
            if (!m.hasOneof(oneof)) {
                out.add(field(path, oneof.getName()) + ": one of its fields must be set");
            }
        }
        for (Step step : plan.steps()) {
            field(m, step, path, out, memo);
        }
        if (unit && out.size() == before) {
            memo.validated(m);
        }
    }

    private static Path field(Path parent, String name) {
        return parent == null ? new Path(null, name, -1) : parent.field(name);
    }

    private Plan plan(Descriptor d) {
        var options = d.getOptions();
        boolean disabled = options.getExtension(Validate.disabled) || options.getExtension(Validate.ignored);
        List<Step> steps = new ArrayList<>();
        for (FieldDescriptor f : d.getFields()) {
            FieldRules rules = f.getOptions().hasExtension(Validate.rules) ? f.getOptions().getExtension(Validate.rules) : null;
            if (rules != null || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && mayHaveRules(f.getMessageType(), new HashSet<>()))) {
                steps.add(Step.of(f, rules));
            }
        }
        List<OneofDescriptor> oneofs = d.getRealOneofs().stream()
                .filter(o -> o.getOptions().getExtension(Validate.required)).toList();
        return new Plan(disabled, List.copyOf(steps), oneofs, ValidMemo.isUnit(d));
    }

    /** Whether any message reachable from {@code d} has rules (an {@code Any} may hold anything). */
    private boolean mayHaveRules(Descriptor d, Set<Descriptor> visiting) {
        Boolean known = relevant.get(d);
        if (known != null) {
            return known;
        }
        if (d.getFullName().equals(Any.getDescriptor().getFullName()) || EnvoySemantics.checks(d.getFullName())) {
            return true;
        }
        if (!visiting.add(d)) {
            return false; // a cycle adds nothing the first visit does not find
        }
        boolean found = d.getRealOneofs().stream().anyMatch(o -> o.getOptions().getExtension(Validate.required));
        for (FieldDescriptor f : d.getFields()) {
            found |= f.getOptions().hasExtension(Validate.rules)
                    || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && mayHaveRules(f.getMessageType(), visiting));
        }
        visiting.remove(d);
        if (found || visiting.isEmpty()) {
            relevant.put(d, found); // "false" inside a cycle is only final at the top
        }
        return found;
    }

    private void field(Message m, Step step, Path parent, List<String> out, ValidMemo memo) {
        FieldDescriptor f = step.field();
        switch (step.shape()) {
            case MAP -> map(m, f, step.rules(), field(parent, f.getName()), out, memo);
            case REPEATED -> repeated(m, f, step.rules(), parent, out, memo);
            case MESSAGE -> {
                if (m.hasField(f)) {
                    element(f, step.rules(), m.getField(f), field(parent, f.getName()), out, memo);
                } else if (step.required() && !step.inOneof()) {
                    out.add(field(parent, f.getName()) + ": is required");
                }
            }
            case OPTIONAL_SCALAR -> { // unset optional and oneof members are not checked
                if (m.hasField(f)) {
                    element(f, step.rules(), m.getField(f), field(parent, f.getName()), out, memo);
                }
            }
            case SCALAR -> element(f, step.rules(), m.getField(f), field(parent, f.getName()), out, memo);
        }
    }

    private static boolean required(FieldRules rules) {
        return (rules.hasMessage() && rules.getMessage().getRequired())
                || (rules.hasDuration() && rules.getDuration().getRequired())
                || (rules.hasTimestamp() && rules.getTimestamp().getRequired())
                || (rules.hasAny() && rules.getAny().getRequired());
    }

    /** One value: the field's own rules (or its items' rules), then the message it holds. */
    private void element(FieldDescriptor f, FieldRules rules, Object value, Path path, List<String> out,
            ValidMemo memo) {
        if (rules != null) {
            int before = out.size();
            values.check(f, rules, value, "\0", out);
            for (int i = before; i < out.size(); i++) { // rendered now that there is something to report
                out.set(i, path + out.get(i).substring(1));
            }
        }
        if (value instanceof Message msg && (rules == null || !rules.getMessage().getSkip())) {
            if (msg instanceof Any any) {
                Message unpacked = unpack(any, path, out);
                if (unpacked != null) {
                    check(unpacked, path, out, memo);
                }
            } else if (!ValueRules.isWrapperOrTime(msg)) {
                check(msg, path, out, memo);
            } else if (EnvoySemantics.checks(msg.getDescriptorForType().getFullName())) {
                EnvoySemantics.check(msg, path, out);
            }
        }
    }

    private Message unpack(Any any, Path path, List<String> out) {
        Message type = EnvoyTypes.forTypeUrl(any.getTypeUrl());
        if (type == null) {
            return null;
        }
        try {
            return type.getParserForType().parseFrom(any.getValue());
        } catch (InvalidProtocolBufferException e) {
            out.add(path + ": does not hold a valid " + type.getDescriptorForType().getFullName());
            return null;
        }
    }

    private void repeated(Message m, FieldDescriptor f, FieldRules rules, Path parent, List<String> out,
            ValidMemo memo) {
        int count = m.getRepeatedFieldCount(f);
        if (count == 0 && rules == null) {
            return;
        }
        Path path = field(parent, f.getName());
        FieldRules items = null;
        if (rules != null && rules.hasRepeated()) {
            Validate.RepeatedRules r = rules.getRepeated();
            if (r.getIgnoreEmpty() && count == 0) {
                return;
            }
            if (r.hasMinItems() && count < r.getMinItems()) {
                out.add(path + ": must have at least " + r.getMinItems() + " item(s)");
            }
            if (r.hasMaxItems() && count > r.getMaxItems()) {
                out.add(path + ": must have at most " + r.getMaxItems() + " item(s)");
            }
            if (r.getUnique()) {
                Set<Object> seen = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    if (!seen.add(m.getRepeatedField(f, i))) {
                        out.add(path + ": items must be unique");
                        break;
                    }
                }
            }
            items = r.hasItems() ? r.getItems() : null;
        }
        if (items == null && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return;
        }
        for (int i = 0; i < count; i++) {
            element(f, items, m.getRepeatedField(f, i), path.at(i), out, memo);
        }
    }

    private void map(Message m, FieldDescriptor f, FieldRules rules, Path path, List<String> out, ValidMemo memo) {
        int count = m.getRepeatedFieldCount(f);
        Validate.MapRules r = rules != null && rules.hasMap() ? rules.getMap() : null;
        if (r != null) {
            if (r.getIgnoreEmpty() && count == 0) {
                return;
            }
            if (r.hasMinPairs() && count < r.getMinPairs()) {
                out.add(path + ": must have at least " + r.getMinPairs() + " entries");
            }
            if (r.hasMaxPairs() && count > r.getMaxPairs()) {
                out.add(path + ": must have at most " + r.getMaxPairs() + " entries");
            }
        }
        FieldDescriptor keyField = f.getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = f.getMessageType().findFieldByNumber(2);
        for (int i = 0; i < count; i++) {
            Message entry = (Message) m.getRepeatedField(f, i);
            Object key = entry.getField(keyField);
            Path at = path.key(key);
            if (r != null && r.hasKeys()) {
                values.check(keyField, r.getKeys(), key, at + " (key)", out);
            }
            // no_sparse is not checked: Envoy's C++ maps cannot be sparse (a missing message value
            // parses as the default instance, and that is what gets validated), nor can protobuf-java's.
            Object value = entry.getField(valueField);
            if ((r != null && r.hasValues()) || valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                element(valueField, r != null && r.hasValues() ? r.getValues() : null, value, at, out, memo);
            }
        }
    }

}
