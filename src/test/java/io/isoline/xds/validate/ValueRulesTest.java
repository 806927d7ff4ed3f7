package io.isoline.xds.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each family of Envoy's value rules, on both sides of every boundary, with the problem a user reads
 * in the object's status. A value Envoy accepts gives no problem; one it refuses gives exactly one,
 * naming the rule (never the value, which may be secret).
 */
class ValueRulesTest {

    private static final FieldDescriptor STRING = Cluster.getDescriptor().findFieldByName("name");
    private static final FieldDescriptor UINT32 = SocketAddress.getDescriptor().findFieldByName("port_value");
    private static final FieldDescriptor INT64 = Duration.getDescriptor().findFieldByName("seconds");
    private static final FieldDescriptor DURATION = Cluster.getDescriptor().findFieldByName("connect_timeout");
    private static final FieldDescriptor WRAPPED = Cluster.getDescriptor().findFieldByName("per_connection_buffer_limit_bytes");
    private static final FieldDescriptor BYTES = BytesValue.getDescriptor().findFieldByName("value");
    private static final FieldDescriptor ENUM = Cluster.getDescriptor().findFieldByName("lb_policy");
    private static final FieldDescriptor ANY = Cluster.getDescriptor().findFieldByName("typed_extension_protocol_options");

    /** Fresh caches per test (JUnit makes an instance per test). */
    private final ValueRules rules = new ValueRules();

    private List<String> check(FieldDescriptor f, FieldRules r, Object value) {
        List<String> out = new ArrayList<>();
        rules.check(f, r, value, "f", out);
        return out;
    }

    private List<String> u32(Validate.UInt32Rules.Builder r, int value) {
        return check(UINT32, FieldRules.newBuilder().setUint32(r).build(), value);
    }

    private List<String> str(Validate.StringRules.Builder r, String value) {
        return check(STRING, FieldRules.newBuilder().setString(r).build(), value);
    }

    private static Duration seconds(long s, int nanos) {
        return Duration.newBuilder().setSeconds(s).setNanos(nanos).build();
    }

    @Test
    void numericBoundsAreExactAtEachEdge() {
        assertThat(u32(Validate.UInt32Rules.newBuilder().setLte(65535), 65535)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().setLte(65535), 65536)).containsExactly("f: must be at most 65535");
        assertThat(u32(Validate.UInt32Rules.newBuilder().setLt(10), 9)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().setLt(10), 10)).containsExactly("f: must be less than 10");
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGt(0), 1)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGt(0), 0)).containsExactly("f: must be greater than 0");
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGte(1), 1)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGte(1), 0)).containsExactly("f: must be at least 1");
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGte(1).setLte(5), 6)).containsExactly("f: must be at least 1 and at most 5");
    }

    @Test
    void aReversedRangeMeansOutsideIt() {
        Validate.UInt32Rules.Builder outside = Validate.UInt32Rules.newBuilder().setGt(10).setLt(5);
        assertThat(u32(outside, 4)).isEmpty();
        assertThat(u32(outside, 11)).isEmpty();
        assertThat(u32(outside, 5)).containsExactly("f: must be greater than 10 or less than 5");
        assertThat(u32(outside, 10)).containsExactly("f: must be greater than 10 or less than 5");
    }

    @Test
    void unsignedValuesAreReadUnsigned() {
        // 0xFFFFFFFF is 4294967295 to Envoy, not -1.
        assertThat(u32(Validate.UInt32Rules.newBuilder().setLte(65535), -1)).containsExactly("f: must be at most 65535");
        assertThat(u32(Validate.UInt32Rules.newBuilder().setGt(100), -1)).isEmpty();
    }

    @Test
    void constInAndNotIn() {
        assertThat(u32(Validate.UInt32Rules.newBuilder().setConst(7), 7)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().setConst(7), 8)).containsExactly("f: must equal 7");
        assertThat(u32(Validate.UInt32Rules.newBuilder().addIn(1).addIn(3), 3)).isEmpty();
        assertThat(u32(Validate.UInt32Rules.newBuilder().addIn(1).addIn(3), 2)).containsExactly("f: must be one of the allowed values");
        assertThat(u32(Validate.UInt32Rules.newBuilder().addNotIn(0), 0)).containsExactly("f: is a value that is not allowed");
        assertThat(u32(Validate.UInt32Rules.newBuilder().addNotIn(0), 1)).isEmpty();
    }

    @Test
    void signedAndWrappedNumbers() {
        FieldRules positive = FieldRules.newBuilder().setInt64(Validate.Int64Rules.newBuilder().setGte(0)).build();
        assertThat(check(INT64, positive, -1L)).containsExactly("f: must be at least 0");
        assertThat(check(INT64, positive, 0L)).isEmpty();
        FieldRules wrapped = FieldRules.newBuilder().setUint32(Validate.UInt32Rules.newBuilder().setGte(1024)).build();
        assertThat(check(WRAPPED, wrapped, UInt32Value.of(1023))).containsExactly("f: must be at least 1024");
        assertThat(check(WRAPPED, wrapped, UInt32Value.of(1024))).isEmpty();
    }

    @Test
    void durationsCountNanoseconds() {
        FieldRules positive = FieldRules.newBuilder().setDuration(Validate.DurationRules.newBuilder().setGt(seconds(0, 0))).build();
        assertThat(check(DURATION, positive, seconds(0, 0))).containsExactly("f: must be greater than 0s");
        assertThat(check(DURATION, positive, seconds(0, 1))).isEmpty();
        FieldRules atMost = FieldRules.newBuilder().setDuration(Validate.DurationRules.newBuilder().setLte(seconds(1, 500_000_000))).build();
        assertThat(check(DURATION, atMost, seconds(1, 500_000_000))).isEmpty();
        assertThat(check(DURATION, atMost, seconds(1, 500_000_001))).containsExactly("f: must be at most 1.5s");
    }

    @Test
    void stringLengthsCountCharactersOrBytes() {
        assertThat(str(Validate.StringRules.newBuilder().setMinLen(1), "")).containsExactly("f: must not be empty");
        assertThat(str(Validate.StringRules.newBuilder().setMinLen(2), "é")).containsExactly("f: must be at least 2 characters long");
        assertThat(str(Validate.StringRules.newBuilder().setMaxLen(1), "é")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setMaxLen(1), "ab")).containsExactly("f: must be at most 1 characters long");
        assertThat(str(Validate.StringRules.newBuilder().setLen(2), "ab")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setLen(2), "abc")).containsExactly("f: must be exactly 2 characters long");
        assertThat(str(Validate.StringRules.newBuilder().setMaxBytes(1), "é")).containsExactly("f: has a length in bytes that is not allowed");
        assertThat(str(Validate.StringRules.newBuilder().setMinBytes(2), "é")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setLenBytes(2), "ab")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setMinLen(1).setIgnoreEmpty(true), "")).isEmpty();
    }

    @Test
    void stringContentRules() {
        assertThat(str(Validate.StringRules.newBuilder().setPrefix("/"), "/a")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setPrefix("/"), "a/")).containsExactly("f: does not have the required prefix, suffix or content");
        assertThat(str(Validate.StringRules.newBuilder().setSuffix(".com"), "a.com")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setSuffix(".com"), "a.org")).hasSize(1);
        assertThat(str(Validate.StringRules.newBuilder().setContains("@"), "a@b")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setContains("@"), "ab")).hasSize(1);
        assertThat(str(Validate.StringRules.newBuilder().setNotContains(".."), "a..b")).containsExactly("f: must not contain \"..\"");
        assertThat(str(Validate.StringRules.newBuilder().setConst("x"), "y")).containsExactly("f: must be \"x\"");
        assertThat(str(Validate.StringRules.newBuilder().addIn("a").addIn("b"), "c")).containsExactly("f: must be one of [a, b]");
        assertThat(str(Validate.StringRules.newBuilder().addNotIn("a"), "a")).containsExactly("f: must not be one of [a]");
        // RE2 patterns are searched, not anchored.
        assertThat(str(Validate.StringRules.newBuilder().setPattern("b+"), "abbc")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setPattern("^b+$"), "abbc")).containsExactly("f: must match the pattern ^b+$");
        // A pattern Java cannot compile is left to Envoy rather than refusing everyone.
        assertThat(str(Validate.StringRules.newBuilder().setPattern("(?P<x>a"), "zzz")).isEmpty();
    }

    @Test
    void wellKnownStringFormats() {
        assertThat(str(Validate.StringRules.newBuilder().setHostname(true), "a-1.example.com.")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setHostname(true), "-a.example.com")).containsExactly("f: must be a host name");
        assertThat(str(Validate.StringRules.newBuilder().setHostname(true), "a..example.com")).hasSize(1);
        assertThat(str(Validate.StringRules.newBuilder().setHostname(true), "x".repeat(64) + ".com")).hasSize(1);
        assertThat(str(Validate.StringRules.newBuilder().setHostname(true), "x".repeat(63) + ".com")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setIpv4(true), "10.0.0.255")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setIpv4(true), "10.0.0.256")).containsExactly("f: must be an IPv4 address");
        assertThat(str(Validate.StringRules.newBuilder().setIpv6(true), "fe80::1")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setIpv6(true), "10.0.0.1")).containsExactly("f: must be an IPv6 address");
        assertThat(str(Validate.StringRules.newBuilder().setIpv6(true), "fe80:::1")).hasSize(1);
        assertThat(str(Validate.StringRules.newBuilder().setIp(true), "::1")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setIp(true), "localhost")).containsExactly("f: must be an IP address");
        assertThat(str(Validate.StringRules.newBuilder().setAddress(true), "localhost")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setAddress(true), "a b")).containsExactly("f: must be a host name or IP address");
        assertThat(str(Validate.StringRules.newBuilder().setUri(true), "https://a.example.com/x")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setUri(true), "/x")).containsExactly("f: must be an absolute URI");
        assertThat(str(Validate.StringRules.newBuilder().setUriRef(true), "/x")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setUriRef(true), "a b")).containsExactly("f: must be a URI reference");
        assertThat(str(Validate.StringRules.newBuilder().setEmail(true), "ops@example.com")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setEmail(true), "ops")).containsExactly("f: must be an email address");
        assertThat(str(Validate.StringRules.newBuilder().setUuid(true), "123e4567-e89b-12d3-a456-426614174000")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setUuid(true), "123e4567")).containsExactly("f: must be a UUID");
    }

    @Test
    void headerNamesAndValuesStrictAndLoose() {
        Validate.StringRules.Builder name = Validate.StringRules.newBuilder().setWellKnownRegex(Validate.KnownRegex.HTTP_HEADER_NAME);
        assertThat(str(name, "x-request-id")).isEmpty();
        assertThat(str(name, ":authority")).isEmpty();
        assertThat(str(name, "x y")).containsExactly("f: must be a valid HTTP header name");
        Validate.StringRules.Builder value = Validate.StringRules.newBuilder().setWellKnownRegex(Validate.KnownRegex.HTTP_HEADER_VALUE);
        assertThat(str(value, "a\tb")).isEmpty();
        assertThat(str(value, "a\u0001b")).containsExactly("f: must be a valid HTTP header value (no control characters)");
        Validate.StringRules.Builder loose = value.clone().setStrict(false);
        assertThat(str(loose, "a\u0001b")).isEmpty();
        assertThat(str(loose, "a\nb")).containsExactly("f: must be a valid HTTP header value (no NUL, CR or LF)");
    }

    @Test
    void byteRules() {
        FieldRules min = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setMinLen(2)).build();
        assertThat(check(BYTES, min, ByteString.copyFromUtf8("ab"))).isEmpty();
        assertThat(check(BYTES, min, ByteString.copyFromUtf8("a"))).containsExactly("f: does not satisfy its byte rules");
        FieldRules prefix = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setPrefix(ByteString.copyFromUtf8("PK"))).build();
        assertThat(check(BYTES, prefix, ByteString.copyFromUtf8("PKzip"))).isEmpty();
        assertThat(check(BYTES, prefix, ByteString.copyFromUtf8("zip"))).hasSize(1);
        FieldRules pattern = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setPattern("^[a-z]+$")).build();
        assertThat(check(BYTES, pattern, ByteString.copyFromUtf8("abc"))).isEmpty();
        assertThat(check(BYTES, pattern, ByteString.copyFromUtf8("ab1"))).hasSize(1);
        FieldRules ip = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setIpv4(true)).build();
        assertThat(check(BYTES, ip, ByteString.copyFrom(new byte[] {10, 0, 0, 1}))).isEmpty();
        assertThat(check(BYTES, ip, ByteString.copyFrom(new byte[16]))).containsExactly("f: must be an IP address in binary form");
        FieldRules ignored = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setMinLen(2).setIgnoreEmpty(true)).build();
        assertThat(check(BYTES, ignored, ByteString.EMPTY)).isEmpty();
    }

    @Test
    void enumBoolAndAnyRules() {
        var roundRobin = Cluster.LbPolicy.ROUND_ROBIN.getValueDescriptor();
        var random = Cluster.LbPolicy.RANDOM.getValueDescriptor();
        FieldRules only = FieldRules.newBuilder().setEnum(Validate.EnumRules.newBuilder().addIn(roundRobin.getNumber())).build();
        assertThat(check(ENUM, only, roundRobin)).isEmpty();
        assertThat(check(ENUM, only, random)).containsExactly("f: RANDOM is not allowed here");
        FieldRules exact = FieldRules.newBuilder().setEnum(Validate.EnumRules.newBuilder().setConst(roundRobin.getNumber())).build();
        assertThat(check(ENUM, exact, random)).containsExactly("f: must be ROUND_ROBIN");
        FieldRules notRandom = FieldRules.newBuilder().setEnum(Validate.EnumRules.newBuilder().addNotIn(random.getNumber())).build();
        assertThat(check(ENUM, notRandom, random)).hasSize(1);
        assertThat(check(ENUM, notRandom, roundRobin)).isEmpty();

        FieldRules mustBeTrue = FieldRules.newBuilder().setBool(Validate.BoolRules.newBuilder().setConst(true)).build();
        assertThat(check(STRING, mustBeTrue, true)).isEmpty();
        assertThat(check(STRING, mustBeTrue, false)).containsExactly("f: must be true");

        Any duration = Any.pack(seconds(1, 0));
        FieldRules onlyDurations = FieldRules.newBuilder().setAny(Validate.AnyRules.newBuilder().addIn(duration.getTypeUrl())).build();
        assertThat(check(ANY, onlyDurations, duration)).isEmpty();
        assertThat(check(ANY, onlyDurations, Any.pack(UInt32Value.of(1))))
                .containsExactly("f: type type.googleapis.com/google.protobuf.UInt32Value is not allowed here");
        FieldRules noDurations = FieldRules.newBuilder().setAny(Validate.AnyRules.newBuilder().addNotIn(duration.getTypeUrl())).build();
        assertThat(check(ANY, noDurations, duration)).hasSize(1);
    }

    @Test
    void aRangeOfOneValueAndIgnoreEmptyNumbers() {
        Validate.UInt32Rules.Builder five = Validate.UInt32Rules.newBuilder().setGte(5).setLte(5);
        assertThat(u32(five, 5)).isEmpty();
        assertThat(u32(five, 4)).containsExactly("f: must be at least 5 and at most 5");
        assertThat(u32(five, 6)).hasSize(1);
        Validate.UInt32Rules.Builder unsetOrBig = Validate.UInt32Rules.newBuilder().setGte(1024).setIgnoreEmpty(true);
        assertThat(u32(unsetOrBig, 0)).isEmpty();
        assertThat(u32(unsetOrBig, 1)).containsExactly("f: must be at least 1024");
    }

    @Test
    void everyByteRule() {
        ByteString ab = ByteString.copyFromUtf8("ab");
        Object[][] cases = {
            {Validate.BytesRules.newBuilder().setConst(ab), "ab", "ba"},
            {Validate.BytesRules.newBuilder().setLen(2), "ab", "abc"},
            {Validate.BytesRules.newBuilder().setMaxLen(2), "ab", "abc"},
            {Validate.BytesRules.newBuilder().setMinLen(2), "ab", "a"},
            {Validate.BytesRules.newBuilder().setSuffix(ByteString.copyFromUtf8("z")), "az", "za"},
            {Validate.BytesRules.newBuilder().addIn(ab), "ab", "abc"},
            {Validate.BytesRules.newBuilder().addNotIn(ab), "abc", "ab"},
            {Validate.BytesRules.newBuilder().setContains(ByteString.copyFromUtf8("b")), "abc", "ac"},
            {Validate.BytesRules.newBuilder().setContains(ByteString.copyFromUtf8("a")), "abc", "bc"},
        };
        for (Object[] c : cases) {
            FieldRules r = FieldRules.newBuilder().setBytes((Validate.BytesRules.Builder) c[0]).build();
            assertThat(check(BYTES, r, ByteString.copyFromUtf8((String) c[1]))).as(r + " " + c[1]).isEmpty();
            assertThat(check(BYTES, r, ByteString.copyFromUtf8((String) c[2]))).as(r + " " + c[2])
                    .containsExactly("f: does not satisfy its byte rules");
        }
        FieldRules ip = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setIp(true)).build();
        FieldRules ipv6 = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setIpv6(true)).build();
        assertThat(check(BYTES, ip, ByteString.copyFrom(new byte[4]))).isEmpty();
        assertThat(check(BYTES, ip, ByteString.copyFrom(new byte[16]))).isEmpty();
        assertThat(check(BYTES, ip, ByteString.copyFrom(new byte[5]))).hasSize(1);
        assertThat(check(BYTES, ipv6, ByteString.copyFrom(new byte[16]))).isEmpty();
        assertThat(check(BYTES, ipv6, ByteString.copyFrom(new byte[4]))).containsExactly("f: must be an IP address in binary form");
        FieldRules notEmpty = FieldRules.newBuilder().setBytes(Validate.BytesRules.newBuilder().setMinLen(1)).build();
        assertThat(check(BYTES, notEmpty, ByteString.EMPTY)).as("ignore_empty unset").hasSize(1);
    }

    @Test
    void anAnyWithOnlyAForbiddenListTakesEverythingElse() {
        Any duration = Any.pack(seconds(1, 0));
        FieldRules noDurations = FieldRules.newBuilder().setAny(Validate.AnyRules.newBuilder().addNotIn(duration.getTypeUrl())).build();
        assertThat(check(ANY, noDurations, Any.pack(UInt32Value.of(1)))).isEmpty();
    }

    /** Host names as Envoy's validators read them: the length limit counts a trailing dot. */
    @Test
    void hostNameLengthAndEmptyLabels() {
        String label = "x".repeat(63);
        String name253 = label + "." + label + "." + label + "." + "x".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(ValueRules.hostname(name253)).isTrue();
        assertThat(ValueRules.hostname(name253 + ".")).isFalse();
        assertThat(ValueRules.hostname(name253 + "x")).isFalse();
        assertThat(ValueRules.hostname("a.")).isTrue();
        assertThat(ValueRules.hostname("")).isFalse();
        assertThat(ValueRules.hostname(".")).isFalse();
        assertThat(ValueRules.hostname(".a")).isFalse();
    }

    /** As inet_pton(AF_INET6), which Envoy's validators call; the JDK's parser differs on both sides. */
    @Test
    void ipv6AsEnvoyReadsIt() {
        for (String ok : new String[] {"::", "::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
                "FE80::aB:1", "::ffff:10.0.0.1", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::7:1.2.3.4"}) {
            assertThat(ValueRules.ipv6(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", ":", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "1::2::3",
                ":::", ":1::", "1::2:", "12345::", "g::1", "fe80::1%1", "fe80::1%eth0", "1.2.3.4", "1.2.3.4::",
                "::1.2.3.04", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "1::2:3:4:5:6:7:8"}) {
            assertThat(ValueRules.ipv6(bad)).as(bad).isFalse();
        }
    }

    /** Characters and UTF-8 bytes are different limits: "é" is one character and two bytes. */
    @Test
    void stringLengthsInBytes() {
        String tooLong = "f: has a length in bytes that is not allowed";
        assertThat(str(Validate.StringRules.newBuilder().setLenBytes(2), "é")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setLenBytes(2), "e")).containsExactly(tooLong);
        assertThat(str(Validate.StringRules.newBuilder().setMinBytes(2), "é")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setMinBytes(2), "e")).containsExactly(tooLong);
        assertThat(str(Validate.StringRules.newBuilder().setMaxBytes(2), "é")).isEmpty();
        assertThat(str(Validate.StringRules.newBuilder().setMaxBytes(2), "éa")).containsExactly(tooLong);
        assertThat(str(Validate.StringRules.newBuilder().setMaxLen(2), "éa")).as("two characters").isEmpty();
    }

    @Test
    void anUnknownWellKnownRegexChecksNothing() {
        Validate.StringRules.Builder unknown = Validate.StringRules.newBuilder().setWellKnownRegex(Validate.KnownRegex.UNKNOWN);
        assertThat(str(unknown, "bad\nvalue\u0000")).isEmpty();
    }

    @Test
    void timestampBounds() {
        FieldRules after100 = FieldRules.newBuilder().setTimestamp(Validate.TimestampRules.newBuilder()
                .setGt(Timestamp.newBuilder().setSeconds(100))).build();
        assertThat(check(DURATION, after100, Timestamp.newBuilder().setSeconds(100).setNanos(1).build())).isEmpty();
        assertThat(check(DURATION, after100, Timestamp.newBuilder().setSeconds(100).build()))
                .containsExactly("f: must be greater than 100s");
    }
}
