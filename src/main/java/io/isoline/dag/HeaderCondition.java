package io.isoline.dag;

/**
 * A request header a route requires (HTTPProxy's header match conditions). Header names are
 * compared case-insensitively (kept in lower case).
 *
 * @param value               the string to compare with; null for {@code PRESENT} and {@code NOT_PRESENT}
 * @param ignoreCase          compare {@code value} case-insensitively
 * @param treatMissingAsEmpty for the negative matches: a missing header counts as the empty string
 */
public record HeaderCondition(String name, Match match, String value, boolean ignoreCase, boolean treatMissingAsEmpty)
        implements Comparable<HeaderCondition> {

    /** How the header is matched; the {@code NOT_} forms are the inverted ones. */
    public enum Match {
        PRESENT, NOT_PRESENT, EXACT, NOT_EXACT, CONTAINS, NOT_CONTAINS;

        public boolean inverted() {
            return this == NOT_PRESENT || this == NOT_EXACT || this == NOT_CONTAINS;
        }
    }

    public HeaderCondition {
        name = name.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int compareTo(HeaderCondition o) {
        return toString().compareTo(o.toString());
    }
}
