package io.isoline.xds.validate;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules on one value: scalars, strings, bytes, enums, durations, timestamps and {@code Any}
 * type URLs. Numeric, duration and timestamp rules share one implementation, as their rule messages
 * share field names ({@code const, lt, lte, gt, gte, in, not_in}). Problems never quote the value
 * itself (it may be secret); they quote the rule.
 *
 * <p>Thread-safe: compiled patterns and parsed bounds are cached per instance in concurrent maps
 * (per instance, so a test of a fresh one runs the code that fills them).
 */
final class ValueRules {

    private static final Pattern HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
    private static final Pattern HEADER_VALUE = Pattern.compile("^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F]*$");
    private static final Pattern LOOSE_HEADER = Pattern.compile("^[^\\u0000\\u000A\\u000D]*$");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
    private static final Pattern HEX_GROUP = Pattern.compile("^[0-9a-fA-F]{1,4}$");
    private static final Pattern LABEL = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    /** Rule messages come from Envoy's descriptors: a fixed, small set. */
    private final Map<Message, Bounds> boundsByRule = new ConcurrentHashMap<>();

    ValueRules() {
    }

    void check(FieldDescriptor f, FieldRules rules, Object value, String path, List<String> out) {
        Object v = value;
        FieldDescriptor vf = f;
        if (v instanceof Message m && isWrapper(m)) { // google.protobuf.UInt32Value and friends: rules apply to .value
            vf = m.getDescriptorForType().findFieldByName("value");
            v = m.getField(vf);
        }
        switch (rules.getTypeCase()) {
            case FLOAT -> bounds(rules.getFloat(), number(v, vf), path, out);
            case DOUBLE -> bounds(rules.getDouble(), number(v, vf), path, out);
            case INT32 -> bounds(rules.getInt32(), number(v, vf), path, out);
            case INT64 -> bounds(rules.getInt64(), number(v, vf), path, out);
            case UINT32 -> bounds(rules.getUint32(), number(v, vf), path, out);
            case UINT64 -> bounds(rules.getUint64(), number(v, vf), path, out);
            case SINT32 -> bounds(rules.getSint32(), number(v, vf), path, out);
            case SINT64 -> bounds(rules.getSint64(), number(v, vf), path, out);
            case FIXED32 -> bounds(rules.getFixed32(), number(v, vf), path, out);
            case FIXED64 -> bounds(rules.getFixed64(), number(v, vf), path, out);
            case SFIXED32 -> bounds(rules.getSfixed32(), number(v, vf), path, out);
            case SFIXED64 -> bounds(rules.getSfixed64(), number(v, vf), path, out);
            case DURATION -> bounds(rules.getDuration(), seconds((Message) v), path, out);
            case TIMESTAMP -> bounds(rules.getTimestamp(), seconds((Message) v), path, out);
            case BOOL -> {
                if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) v) {
                    out.add(path + ": must be " + rules.getBool().getConst());
                }
            }
            case STRING -> string(rules.getString(), (String) v, path, out);
            case BYTES -> bytes(rules.getBytes(), (ByteString) v, path, out);
            case ENUM -> enumValue(rules.getEnum(), (EnumValueDescriptor) v, path, out);
            case ANY -> any(rules.getAny(), (Any) v, path, out);
            default -> {
                // repeated and map rules are applied by ProtoConstraints; no type: nothing to check
            }
        }
    }

    static boolean isWrapperOrTime(Message m) {
        return isWrapper(m) || m instanceof Duration || m instanceof Timestamp;
    }

    private static boolean isWrapper(Message m) {
        Descriptor d = m.getDescriptorForType();
        return d.getFile().getName().equals("google/protobuf/wrappers.proto");
    }

    /**
     * Numeric, duration and timestamp rules, read once per rule message: {@code const}, ranges
     * (inside or, when reversed, outside), {@code in}, {@code not_in}.
     */
    private record Bounds(boolean ignoreEmpty, BigDecimal exact, BigDecimal lt, BigDecimal lte, BigDecimal gt,
            BigDecimal gte, List<BigDecimal> in, List<BigDecimal> notIn, String describe, String exactShown) {

        static Bounds of(Message r) {
            Descriptor d = r.getDescriptorForType();
            FieldDescriptor ignoreEmpty = d.findFieldByName("ignore_empty");
            BigDecimal gt = rule(r, "gt");
            BigDecimal lt = rule(r, "lt");
            BigDecimal upper = lt != null ? lt : rule(r, "lte");
            BigDecimal lower = gt != null ? gt : rule(r, "gte");
            boolean outside = upper != null && lower != null && lower.compareTo(upper) > 0;
            List<String> parts = new ArrayList<>();
            if (lower != null) {
                parts.add((gt != null ? "greater than " : "at least ") + show(r, gt != null ? "gt" : "gte"));
            }
            if (upper != null) {
                parts.add((lt != null ? "less than " : "at most ") + show(r, lt != null ? "lt" : "lte"));
            }
            return new Bounds(ignoreEmpty != null && (Boolean) r.getField(ignoreEmpty), rule(r, "const"), lt,
                    rule(r, "lte"), gt, rule(r, "gte"), rules(r, "in"), rules(r, "not_in"),
                    String.join(outside ? " or " : " and ", parts), rule(r, "const") == null ? null : show(r, "const"));
        }

        void check(BigDecimal v, String path, List<String> out) {
            if (ignoreEmpty && v.signum() == 0) {
                return;
            }
            if (exact != null && exact.compareTo(v) != 0) {
                out.add(path + ": must equal " + exactShown);
            }
            BigDecimal upper = lt != null ? lt : lte;
            BigDecimal lower = gt != null ? gt : gte;
            boolean belowUpper = upper == null || (lt != null ? v.compareTo(lt) < 0 : v.compareTo(lte) <= 0);
            boolean aboveLower = lower == null || (gt != null ? v.compareTo(gt) > 0 : v.compareTo(gte) >= 0);
            boolean outside = upper != null && lower != null && lower.compareTo(upper) > 0;
            if (outside ? !(belowUpper || aboveLower) : !(belowUpper && aboveLower)) {
                out.add(path + ": must be " + describe);
            }
            if (!in.isEmpty() && in.stream().noneMatch(x -> x.compareTo(v) == 0)) {
                out.add(path + ": must be one of the allowed values");
            }
            if (notIn.stream().anyMatch(x -> x.compareTo(v) == 0)) {
                out.add(path + ": is a value that is not allowed");
            }
        }
    }

    private void bounds(Message r, BigDecimal v, String path, List<String> out) {
        boundsByRule.computeIfAbsent(r, Bounds::of).check(v, path, out);
    }

    private static BigDecimal rule(Message r, String name) {
        FieldDescriptor f = r.getDescriptorForType().findFieldByName(name);
        return f != null && r.hasField(f) ? number(r.getField(f), f) : null;
    }

    private static List<BigDecimal> rules(Message r, String name) {
        FieldDescriptor f = r.getDescriptorForType().findFieldByName(name);
        if (f == null || r.getRepeatedFieldCount(f) == 0) {
            return List.of();
        }
        List<BigDecimal> out = new ArrayList<>();
        for (int i = 0; i < r.getRepeatedFieldCount(f); i++) {
            out.add(number(r.getRepeatedField(f, i), f));
        }
        return List.copyOf(out);
    }

    private static String show(Message r, String name) {
        FieldDescriptor f = r.getDescriptorForType().findFieldByName(name);
        BigDecimal n = number(r.getField(f), f).stripTrailingZeros();
        return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? n.toPlainString() + "s" : n.toPlainString();
    }

    private static BigDecimal number(Object v, FieldDescriptor f) {
        return switch (f.getType()) {
            case UINT32, FIXED32 -> BigDecimal.valueOf(Integer.toUnsignedLong((Integer) v));
            case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) v));
            case INT32, SINT32, SFIXED32 -> BigDecimal.valueOf((Integer) v);
            case INT64, SINT64, SFIXED64 -> BigDecimal.valueOf((Long) v);
            case FLOAT -> BigDecimal.valueOf((Float) v);
            case DOUBLE -> BigDecimal.valueOf((Double) v);
            case MESSAGE -> seconds((Message) v);
            default -> throw new IllegalArgumentException("not a number: " + f.getFullName());
        };
    }

    /** A Duration or Timestamp as (possibly fractional) seconds. */
    private static BigDecimal seconds(Message m) {
        Descriptor d = m.getDescriptorForType();
        long s = (Long) m.getField(d.findFieldByName("seconds"));
        int n = (Integer) m.getField(d.findFieldByName("nanos"));
        return BigDecimal.valueOf(s).add(BigDecimal.valueOf(n, 9));
    }

    private void string(Validate.StringRules r, String s, String path, List<String> out) {
        if (r.getIgnoreEmpty() && s.isEmpty()) {
            return;
        }
        if (r.hasConst() && !s.equals(r.getConst())) {
            out.add(path + ": must be \"" + r.getConst() + "\"");
        }
        int chars = s.codePointCount(0, s.length());
        if (r.hasLen() && chars != r.getLen()) {
            out.add(path + ": must be exactly " + r.getLen() + " characters long");
        }
        if (r.hasMinLen() && chars < r.getMinLen()) {
            out.add(path + (r.getMinLen() == 1 ? ": must not be empty" : ": must be at least " + r.getMinLen() + " characters long"));
        }
        if (r.hasMaxLen() && chars > r.getMaxLen()) {
            out.add(path + ": must be at most " + r.getMaxLen() + " characters long");
        }
        if (r.hasLenBytes() || r.hasMinBytes() || r.hasMaxBytes()) {
            int bytes = s.getBytes(StandardCharsets.UTF_8).length;
            if ((r.hasLenBytes() && bytes != r.getLenBytes()) || (r.hasMinBytes() && bytes < r.getMinBytes())
                    || (r.hasMaxBytes() && bytes > r.getMaxBytes())) {
                out.add(path + ": has a length in bytes that is not allowed");
            }
        }
        if (r.hasPattern() && !matches(r.getPattern(), s)) {
            out.add(path + ": must match the pattern " + r.getPattern());
        }
        if ((r.hasPrefix() && !s.startsWith(r.getPrefix())) || (r.hasSuffix() && !s.endsWith(r.getSuffix()))
                || (r.hasContains() && !s.contains(r.getContains()))) {
            out.add(path + ": does not have the required prefix, suffix or content");
        }
        if (r.hasNotContains() && s.contains(r.getNotContains())) {
            out.add(path + ": must not contain \"" + r.getNotContains() + "\"");
        }
        if (r.getInCount() > 0 && !r.getInList().contains(s)) {
            out.add(path + ": must be one of " + r.getInList());
        }
        if (r.getNotInList().contains(s)) {
            out.add(path + ": must not be one of " + r.getNotInList());
        }
        String format = switch (r.getWellKnownCase()) {
            case EMAIL -> EMAIL.matcher(s).matches() ? null : "an email address";
            case HOSTNAME -> hostname(s) ? null : "a host name";
            case IP -> ipv4(s) || ipv6(s) ? null : "an IP address";
            case IPV4 -> ipv4(s) ? null : "an IPv4 address";
            case IPV6 -> ipv6(s) ? null : "an IPv6 address";
            case ADDRESS -> hostname(s) || ipv4(s) || ipv6(s) ? null : "a host name or IP address";
            case URI -> uri(s, true) ? null : "an absolute URI";
            case URI_REF -> uri(s, false) ? null : "a URI reference";
            case UUID -> UUID.matcher(s).matches() ? null : "a UUID";
            case WELL_KNOWN_REGEX -> header(r, s);
            default -> null;
        };
        if (format != null) {
            out.add(path + ": must be " + format);
        }
    }

    /** Envoy's header rules: strict (the default) follows RFC 7230; loose only forbids NUL, CR and LF. */
    private static String header(Validate.StringRules r, String s) {
        boolean name = r.getWellKnownRegex() == Validate.KnownRegex.HTTP_HEADER_NAME;
        if (r.getWellKnownRegex() == Validate.KnownRegex.UNKNOWN) {
            return null;
        }
        Pattern p = !r.getStrict() ? LOOSE_HEADER : name ? HEADER_NAME : HEADER_VALUE;
        if (p.matcher(s).matches()) {
            return null;
        }
        String what = name ? "a valid HTTP header name" : "a valid HTTP header value";
        return what + (!r.getStrict() ? " (no NUL, CR or LF)" : name ? "" : " (no control characters)");
    }

    private void bytes(Validate.BytesRules r, ByteString b, String path, List<String> out) {
        if (r.getIgnoreEmpty() && b.isEmpty()) {
            return;
        }
        if ((r.hasConst() && !b.equals(r.getConst())) || (r.hasLen() && b.size() != r.getLen())
                || (r.hasMinLen() && b.size() < r.getMinLen()) || (r.hasMaxLen() && b.size() > r.getMaxLen())
                || (r.hasPrefix() && !b.startsWith(r.getPrefix())) || (r.hasSuffix() && !b.endsWith(r.getSuffix()))
                || (r.getInCount() > 0 && !r.getInList().contains(b)) || r.getNotInList().contains(b)
                || (r.hasPattern() && !matches(r.getPattern(), b.toString(StandardCharsets.ISO_8859_1)))
                || (r.hasContains() && b.toString(StandardCharsets.ISO_8859_1)
                        .indexOf(r.getContains().toString(StandardCharsets.ISO_8859_1)) < 0)) {
            out.add(path + ": does not satisfy its byte rules");
        }
        boolean ipOk = switch (r.getWellKnownCase()) {
            case IP -> b.size() == 4 || b.size() == 16;
            case IPV4 -> b.size() == 4;
            case IPV6 -> b.size() == 16;
            default -> true;
        };
        if (!ipOk) {
            out.add(path + ": must be an IP address in binary form");
        }
    }

    private static void enumValue(Validate.EnumRules r, EnumValueDescriptor v, String path, List<String> out) {
        if (r.hasConst() && v.getNumber() != r.getConst()) {
            out.add(path + ": must be " + name(v, r.getConst()));
        }
        if (r.getDefinedOnly() && v.getType().findValueByNumber(v.getNumber()) == null) {
            out.add(path + ": " + v.getNumber() + " is not a value of " + v.getType().getName());
        }
        if ((r.getInCount() > 0 && !r.getInList().contains(v.getNumber())) || r.getNotInList().contains(v.getNumber())) {
            out.add(path + ": " + v.getName() + " is not allowed here");
        }
    }

    private static String name(EnumValueDescriptor v, int number) {
        EnumValueDescriptor wanted = v.getType().findValueByNumber(number);
        return wanted == null ? Integer.toString(number) : wanted.getName();
    }

    private static void any(Validate.AnyRules r, Any v, String path, List<String> out) {
        if ((r.getInCount() > 0 && !r.getInList().contains(v.getTypeUrl())) || r.getNotInList().contains(v.getTypeUrl())) {
            out.add(path + ": type " + v.getTypeUrl() + " is not allowed here");
        }
    }

    /** RE2 patterns as Java patterns (the syntax Envoy's rules use is common to both); searched, as RE2 does. */
    private boolean matches(String regex, String s) {
        Pattern p = patterns.computeIfAbsent(regex, ValueRules::compile);
        return p == null || p.matcher(s).find();
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return null; // cannot be checked here; Envoy will
        }
    }

    /** As Envoy's validators: at most 253 characters (a trailing dot counted), labels of 1 to 63. */
    static boolean hostname(String s) {
        String h = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (h.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv4(String s) {
        return IPV4.matcher(s).matches();
    }

    /**
     * As {@code inet_pton(AF_INET6)}, which Envoy's validators call: colon-separated groups of one to
     * four hex digits, at most one {@code ::} standing for at least one zero group, an optional dotted
     * IPv4 address as the last two groups, and no zone ({@code %eth0}).
     */
    static boolean ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap < 0) {
            return groups(s, true) == 8;
        }
        if (s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int head = groups(s.substring(0, gap), false);
        int tail = groups(s.substring(gap + 2), true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** How many 16-bit groups {@code part} holds, or -1 when it is not a run of groups. */
    private static int groups(String part, boolean ipv4Last) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] pieces = part.split(":", -1);
        int n = 0;
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (ipv4Last && i == pieces.length - 1 && p.indexOf('.') >= 0) {
                if (!ipv4(p)) {
                    return -1;
                }
                n += 2;
            } else if (HEX_GROUP.matcher(p).matches()) {
                n++;
            } else {
                return -1;
            }
        }
        return n;
    }

    private static boolean uri(String s, boolean absolute) {
        try {
            java.net.URI u = new java.net.URI(s);
            return !absolute || u.isAbsolute();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
