package io.isoline.xds.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard's repeated, map, required and nesting rules on message types made for the test (see
 * {@link RuleSchemas}): Envoy refuses a resource that breaks any of them, so each must be found, at
 * the path a user reads in the status, and a value that keeps them must pass.
 */
class RuleFamiliesTest {

    private static final FieldRules NON_EMPTY = FieldRules.newBuilder()
            .setString(Validate.StringRules.newBuilder().setMinLen(1)).build();
    private static final FieldRules SHORT = FieldRules.newBuilder()
            .setString(Validate.StringRules.newBuilder().setMaxLen(3)).build();

    private static final FileDescriptor FILE;

    static {
        RuleSchemas s = RuleSchemas.file();
        s.message("Item").scalar("id", Type.TYPE_STRING, NON_EMPTY);
        s.message("Lists")
                .repeated("names", Type.TYPE_STRING, null, FieldRules.newBuilder().setRepeated(Validate.RepeatedRules.newBuilder()
                        .setMinItems(1).setMaxItems(2).setUnique(true).setItems(NON_EMPTY)).build())
                .repeated("items", Type.TYPE_MESSAGE, "Item", null)
                .repeated("free", Type.TYPE_STRING, null, null)
                .repeated("optional", Type.TYPE_STRING, null, FieldRules.newBuilder().setRepeated(Validate.RepeatedRules.newBuilder()
                        .setIgnoreEmpty(true).setMinItems(2)).build())
                .repeated("counted", Type.TYPE_STRING, null, FieldRules.newBuilder().setRepeated(Validate.RepeatedRules.newBuilder()
                        .setMaxItems(1)).build());
        s.message("Maps")
                .map("labels", Type.TYPE_STRING, null, FieldRules.newBuilder().setMap(Validate.MapRules.newBuilder()
                        .setMinPairs(1).setMaxPairs(2).setKeys(NON_EMPTY).setValues(SHORT)).build())
                .map("items", Type.TYPE_MESSAGE, "Item", FieldRules.newBuilder().setMap(Validate.MapRules.newBuilder()
                        .setNoSparse(true)).build())
                .map("plain", Type.TYPE_MESSAGE, "Item", null)
                .map("optional", Type.TYPE_STRING, null, FieldRules.newBuilder().setMap(Validate.MapRules.newBuilder()
                        .setIgnoreEmpty(true).setMinPairs(2)).build())
                .map("loose", Type.TYPE_STRING, null, null);
        s.message("Required")
                .message("item", "Item", FieldRules.newBuilder().setMessage(Validate.MessageRules.newBuilder().setRequired(true)).build())
                .message("duration", ".google.protobuf.Duration", FieldRules.newBuilder()
                        .setDuration(Validate.DurationRules.newBuilder().setRequired(true)).build())
                .message("timestamp", ".google.protobuf.Timestamp", FieldRules.newBuilder()
                        .setTimestamp(Validate.TimestampRules.newBuilder().setRequired(true)).build())
                .message("any", ".google.protobuf.Any", FieldRules.newBuilder()
                        .setAny(Validate.AnyRules.newBuilder().setRequired(true)).build())
                .message("skipped", "Item", FieldRules.newBuilder().setMessage(Validate.MessageRules.newBuilder().setSkip(true)).build());
        // Only a required oneof, reached through fields without rules: the walk must still get there.
        s.message("Choice").oneof("kind", true, "a", "b");
        s.message("Optional").oneof("kind", false, "a", "b");
        s.message("Holder").message("choice", "Choice", null).message("optional", "Optional", null);
        // A cycle: Loop holds Back, Back holds Loop; only Loop has a rule of its own.
        s.message("Loop").scalar("name", Type.TYPE_STRING, NON_EMPTY).message("back", "Back", null);
        s.message("Back").message("loop", "Loop", null);
        s.message("LoopRoot").message("loop", "Loop", null);
        s.message("BackRoot").message("back", "Back", null);
        s.message("Off").scalar("name", Type.TYPE_STRING, NON_EMPTY).disabled();
        s.message("HasOff").message("off", "Off", null);
        s.message("Numbers")
                .scalar("f_float", Type.TYPE_FLOAT, FieldRules.newBuilder().setFloat(Validate.FloatRules.newBuilder().setGte(1)).build())
                .scalar("f_double", Type.TYPE_DOUBLE, FieldRules.newBuilder().setDouble(Validate.DoubleRules.newBuilder().setGte(1)).build())
                .scalar("f_int32", Type.TYPE_INT32, FieldRules.newBuilder().setInt32(Validate.Int32Rules.newBuilder().setGte(1)).build())
                .scalar("f_int64", Type.TYPE_INT64, FieldRules.newBuilder().setInt64(Validate.Int64Rules.newBuilder().setGte(1)).build())
                .scalar("f_uint32", Type.TYPE_UINT32, FieldRules.newBuilder().setUint32(Validate.UInt32Rules.newBuilder().setGte(1)).build())
                .scalar("f_uint64", Type.TYPE_UINT64, FieldRules.newBuilder().setUint64(Validate.UInt64Rules.newBuilder().setGte(1)).build())
                .scalar("f_sint32", Type.TYPE_SINT32, FieldRules.newBuilder().setSint32(Validate.SInt32Rules.newBuilder().setGte(1)).build())
                .scalar("f_sint64", Type.TYPE_SINT64, FieldRules.newBuilder().setSint64(Validate.SInt64Rules.newBuilder().setGte(1)).build())
                .scalar("f_fixed32", Type.TYPE_FIXED32, FieldRules.newBuilder().setFixed32(Validate.Fixed32Rules.newBuilder().setGte(1)).build())
                .scalar("f_fixed64", Type.TYPE_FIXED64, FieldRules.newBuilder().setFixed64(Validate.Fixed64Rules.newBuilder().setGte(1)).build())
                .scalar("f_sfixed32", Type.TYPE_SFIXED32, FieldRules.newBuilder().setSfixed32(Validate.SFixed32Rules.newBuilder().setGte(1)).build())
                .scalar("f_sfixed64", Type.TYPE_SFIXED64, FieldRules.newBuilder().setSfixed64(Validate.SFixed64Rules.newBuilder().setGte(1)).build());
        FILE = s.build();
    }

    private final ProtoConstraints constraints = new ProtoConstraints();

    private static DynamicMessage.Builder of(String type) {
        return DynamicMessage.newBuilder(RuleSchemas.type(FILE, type));
    }

    private static Message item(String id) {
        return of("Item").setField(field("Item", "id"), id).build();
    }

    private static com.google.protobuf.Descriptors.FieldDescriptor field(String type, String name) {
        return RuleSchemas.type(FILE, type).findFieldByName(name);
    }

    private static Message lists(List<String> names, List<Message> items, List<String> optional) {
        DynamicMessage.Builder b = of("Lists");
        names.forEach(n -> b.addRepeatedField(field("Lists", "names"), n));
        items.forEach(i -> b.addRepeatedField(field("Lists", "items"), i));
        optional.forEach(o -> b.addRepeatedField(field("Lists", "optional"), o));
        return b.build();
    }

    private static void put(DynamicMessage.Builder maps, String field, String key, Object value) {
        Descriptor entry = field("Maps", field).getMessageType();
        DynamicMessage.Builder e = DynamicMessage.newBuilder(entry).setField(entry.findFieldByNumber(1), key);
        if (value != null) {
            e.setField(entry.findFieldByNumber(2), value);
        }
        maps.addRepeatedField(field("Maps", field), e.build());
    }

    @Test
    void repeatedItemCountsUniquenessAndItemRules() {
        assertThat(constraints.violations(lists(List.of("a"), List.of(), List.of()))).isEmpty();
        assertThat(constraints.violations(lists(List.of("a", "b"), List.of(), List.of()))).isEmpty();
        assertThat(constraints.violations(lists(List.of(), List.of(), List.of())))
                .containsExactly("names: must have at least 1 item(s)");
        assertThat(constraints.violations(lists(List.of("a", "b", "c"), List.of(), List.of())))
                .containsExactly("names: must have at most 2 item(s)");
        assertThat(constraints.violations(lists(List.of("a", "a"), List.of(), List.of())))
                .containsExactly("names: items must be unique");
        assertThat(constraints.violations(lists(List.of("a", ""), List.of(), List.of())))
                .containsExactly("names[1]: must not be empty");
        // Three equal items are one problem, not two.
        Message thrice = of("Lists").addRepeatedField(field("Lists", "names"), "x").addRepeatedField(field("Lists", "names"), "x")
                .addRepeatedField(field("Lists", "names"), "x").build();
        assertThat(constraints.violations(thrice)).contains("names: items must be unique").doesNotHaveDuplicates();
    }

    @Test
    void repeatedMessagesAreCheckedEvenWithoutRulesOfTheirOwn() {
        assertThat(constraints.violations(lists(List.of("a"), List.of(item("x"), item("")), List.of())))
                .containsExactly("items[1].id: must not be empty");
    }

    @Test
    void ignoreEmptySkipsOnlyAnEmptyList() {
        assertThat(constraints.violations(lists(List.of("a"), List.of(), List.of("x"))))
                .containsExactly("optional: must have at least 2 item(s)");
        assertThat(constraints.violations(lists(List.of("a"), List.of(), List.of("x", "y")))).isEmpty();
        Message two = of("Lists").addRepeatedField(field("Lists", "names"), "a")
                .addRepeatedField(field("Lists", "counted"), "x").addRepeatedField(field("Lists", "counted"), "y").build();
        assertThat(constraints.violations(two)).containsExactly("counted: must have at most 1 item(s)");
    }

    @Test
    void mapPairCountsKeysAndValues() {
        DynamicMessage.Builder ok = of("Maps");
        put(ok, "labels", "team", "a");
        assertThat(constraints.violations(ok.build())).isEmpty();

        assertThat(constraints.violations(of("Maps").build())).containsExactly("labels: must have at least 1 entries");
        DynamicMessage.Builder three = of("Maps");
        put(three, "labels", "a", "1");
        put(three, "labels", "b", "2");
        assertThat(constraints.violations(three.build())).isEmpty();
        put(three, "labels", "c", "3");
        assertThat(constraints.violations(three.build())).containsExactly("labels: must have at most 2 entries");

        DynamicMessage.Builder bad = of("Maps");
        put(bad, "labels", "", "toolong");
        assertThat(constraints.violations(bad.build()))
                .containsExactly("labels[] (key): must not be empty", "labels[]: must be at most 3 characters long");
    }

    @Test
    void mapMessageValuesAreCheckedAndAMissingValueIsCheckedAsTheDefault() {
        DynamicMessage.Builder m = of("Maps");
        put(m, "labels", "team", "a");
        put(m, "items", "one", item("x"));
        put(m, "plain", "two", item(""));
        assertThat(constraints.violations(m.build())).containsExactly("plain[two].id: must not be empty");

        DynamicMessage.Builder sparse = of("Maps");
        put(sparse, "labels", "team", "a");
        put(sparse, "items", "empty", null);
        put(sparse, "plain", "empty", null);
        put(sparse, "loose", "k", "");
        // As in Envoy's C++: an entry without a value holds the default message, rules and all.
        assertThat(constraints.violations(sparse.build()))
                .containsExactly("items[empty].id: must not be empty", "plain[empty].id: must not be empty");
    }

    @Test
    void mapIgnoreEmptySkipsOnlyAnEmptyMap() {
        DynamicMessage.Builder one = of("Maps");
        put(one, "labels", "team", "a");
        assertThat(constraints.violations(one.build())).isEmpty();
        put(one, "optional", "k", "v");
        assertThat(constraints.violations(one.build())).containsExactly("optional: must have at least 2 entries");
    }

    @Test
    void everyKindOfRequiredMessage() {
        assertThat(constraints.violations(of("Required").build())).containsExactly(
                "item: is required", "duration: is required", "timestamp: is required", "any: is required");
        DynamicMessage full = of("Required").setField(field("Required", "item"), item(""))
                .setField(field("Required", "duration"), com.google.protobuf.Duration.newBuilder().setSeconds(1).build())
                .setField(field("Required", "timestamp"), com.google.protobuf.Timestamp.newBuilder().setSeconds(1).build())
                .setField(field("Required", "any"), com.google.protobuf.Any.pack(com.google.protobuf.Duration.getDefaultInstance()))
                .setField(field("Required", "skipped"), item("")).build();
        // skip: the held message's own rules are not applied.
        assertThat(constraints.violations(full)).containsExactly("item.id: must not be empty");
    }

    @Test
    void aRequiredOneofIsFoundThroughFieldsWithoutRules() {
        assertThat(constraints.violations(of("Holder").build())).isEmpty(); // unset messages hold nothing to check
        Message unset = of("Holder").setField(field("Holder", "choice"), of("Choice").build())
                .setField(field("Holder", "optional"), of("Optional").build()).build();
        assertThat(constraints.violations(unset)).containsExactly("choice.kind: one of its fields must be set");
        Message set = of("Holder").setField(field("Holder", "choice"), of("Choice").setField(field("Choice", "b"), "x").build()).build();
        assertThat(constraints.violations(set)).isEmpty();
    }

    @Test
    void rulesBehindACycleAreFoundWhicheverTypeIsCheckedFirst() {
        Message emptyLoop = of("Loop").build();
        Message viaLoop = of("LoopRoot").setField(field("LoopRoot", "loop"), of("Loop").setField(field("Loop", "name"), "n")
                .setField(field("Loop", "back"), of("Back").setField(field("Back", "loop"), emptyLoop).build()).build()).build();
        assertThat(constraints.violations(viaLoop)).containsExactly("loop.back.loop.name: must not be empty");
        // Back was first met inside the cycle, where "no rules" is not yet known to be true.
        Message viaBack = of("BackRoot").setField(field("BackRoot", "back"),
                of("Back").setField(field("Back", "loop"), emptyLoop).build()).build();
        assertThat(constraints.violations(viaBack)).containsExactly("back.loop.name: must not be empty");
    }

    @Test
    void everyNumericTypeHasItsOwnRulesApplied() {
        List<String> zeros = constraints.violations(of("Numbers").build());
        assertThat(zeros).hasSize(12).allMatch(p -> p.endsWith(": must be at least 1"));
        DynamicMessage.Builder ones = of("Numbers");
        for (var f : RuleSchemas.type(FILE, "Numbers").getFields()) {
            Object one = switch (f.getJavaType()) {
                case FLOAT -> 1f;
                case DOUBLE -> 1d;
                case INT -> 1;
                default -> 1L;
            };
            ones.setField(f, one);
        }
        assertThat(constraints.violations(ones.build())).isEmpty();
        // The unsigned kinds read all ones as 2^32-1 and 2^64-1, above the bound; the signed ones as -1.
        DynamicMessage.Builder allOnes = ones.clone();
        for (var f : RuleSchemas.type(FILE, "Numbers").getFields()) {
            if (f.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.INT) {
                allOnes.setField(f, -1);
            } else if (f.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.LONG) {
                allOnes.setField(f, -1L);
            }
        }
        assertThat(constraints.violations(allOnes.build())).containsExactly("f_int32: must be at least 1",
                "f_int64: must be at least 1", "f_sint32: must be at least 1", "f_sint64: must be at least 1",
                "f_sfixed32: must be at least 1", "f_sfixed64: must be at least 1");
    }

    @Test
    void aDisabledMessageIsNotChecked() {
        Message m = of("HasOff").setField(field("HasOff", "off"), of("Off").build()).build();
        assertThat(constraints.violations(m)).isEmpty();
    }
}
