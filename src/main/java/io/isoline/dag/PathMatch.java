package io.isoline.dag;

import java.util.Comparator;

/** How a route matches the request path. */
public sealed interface PathMatch {

    /** The path as written in the rule (without a trailing slash for prefixes). */
    String path();

    /** The exact path, case-sensitive: {@code /foo} does not match {@code /foo/}. */
    record Exact(String path) implements PathMatch {
    }

    /**
     * Path-element prefix: {@code /foo} matches {@code /foo}, {@code /foo/} and {@code /foo/bar},
     * not {@code /foobar}. {@code /} matches everything.
     */
    record SegmentPrefix(String path) implements PathMatch {
        public SegmentPrefix {
            while (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
        }
    }

    /** A plain string prefix, as IngressRoute's {@code match}: {@code /foo} also matches {@code /foobar}. */
    record StringPrefix(String path) implements PathMatch {
    }

    /**
     * Most specific first: longer paths before shorter ones, and at equal length an exact match
     * before a prefix. Sorting a host's routes by this order makes the longest match win whatever
     * order the objects listed them in.
     */
    Comparator<PathMatch> SPECIFIC_FIRST = Comparator
            .comparingInt((PathMatch m) -> -m.path().length())
            .thenComparingInt(m -> m instanceof Exact ? 0 : 1)
            .thenComparing(PathMatch::path);
}
