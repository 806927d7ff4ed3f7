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
     * A regular expression the whole path must match ({@link PathRegex}'s subset of RE2), as
     * Contour makes Ingress paths with regex characters.
     */
    record Regex(String path) implements PathMatch {
        /** As Envoy gets it ({@link PathRegex#forEnvoy}). */
        public String envoyRegex() {
            return PathRegex.forEnvoy(path);
        }
    }

    /**
     * Most specific first, as Contour orders them: exact paths, then regexes, then prefixes, each
     * longest first. Sorting a host's routes by this order makes the longest prefix win whatever
     * order the objects listed them in (an exact path is never shorter than a prefix matching it).
     */
    Comparator<PathMatch> SPECIFIC_FIRST = Comparator
            .comparingInt((PathMatch m) -> m instanceof Exact ? 0 : m instanceof Regex ? 1 : 2)
            .thenComparingInt(m -> -m.path().length())
            .thenComparing(PathMatch::path);
}
