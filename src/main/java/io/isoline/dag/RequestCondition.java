package io.isoline.dag;

import java.util.List;

/**
 * A request header or query parameter a route requires (HTTPProxy's header and query parameter
 * match conditions). Header names are compared case-insensitively (kept in lower case); query
 * parameter names are case-sensitive, as in Envoy.
 *
 * @param value               the string to compare with; null for {@code PRESENT} and {@code NOT_PRESENT};
 *                            for {@code REGEX} a regex {@link PathRegex} accepts, matched against the whole value
 * @param ignoreCase          compare {@code value} case-insensitively (not for {@code REGEX})
 * @param treatMissingAsEmpty for the negative header matches: a missing header counts as the empty string
 */
public record RequestCondition(Source source, String name, Match match, String value, boolean ignoreCase,
        boolean treatMissingAsEmpty) implements Comparable<RequestCondition> {

    /** What part of the request is matched. */
    public enum Source {
        HEADER, QUERY
    }

    /** How the value is matched; the {@code NOT_} forms are the inverted ones (headers only). */
    public enum Match {
        PRESENT, NOT_PRESENT, EXACT, NOT_EXACT, CONTAINS, NOT_CONTAINS, PREFIX, SUFFIX, REGEX;

        public boolean inverted() {
            return this == NOT_PRESENT || this == NOT_EXACT || this == NOT_CONTAINS;
        }
    }

    public RequestCondition {
        name = source == Source.HEADER ? name.toLowerCase(java.util.Locale.ROOT) : name;
    }

    /** A header condition. */
    static RequestCondition header(String name, Match match, String value, boolean ignoreCase, boolean treatMissingAsEmpty) {
        return new RequestCondition(Source.HEADER, name, match, value, ignoreCase, treatMissingAsEmpty);
    }

    /** How many of {@code conditions} match {@code source}. */
    static int count(List<RequestCondition> conditions, Source source) {
        return (int) conditions.stream().filter(c -> c.source == source).count();
    }

    /** For {@code REGEX}: the regex as Envoy gets it (anchored, which RE2 compiles to a smaller program). */
    public String envoyRegex() {
        return PathRegex.forEnvoy(value);
    }

    @Override
    public int compareTo(RequestCondition o) {
        return toString().compareTo(o.toString());
    }
}
