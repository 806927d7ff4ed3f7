package io.isoline.dag;

import io.isoline.k8s.HTTPProxySpec.HeaderMatch;
import io.isoline.k8s.HTTPProxySpec.MatchCondition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTTPProxy match conditions, checked and merged as Contour does: along an include chain the
 * path conditions are concatenated (doubled slashes collapsed; none at all is {@code /}), the last
 * one deciding prefix or exact and any regex making the whole a regex; header conditions add up.
 * An HTTPProxy prefix is a string prefix ({@code /api} also matches {@code /apis}).
 */
final class ProxyConditions {

    private ProxyConditions() {
    }

    /** Why the conditions of one route or include cannot be merged, or null (Contour's rules and messages). */
    static String pathProblem(List<MatchCondition> conditions) {
        int paths = 0;
        for (MatchCondition c : conditions) {
            if (c == null) {
                return "a condition is empty";
            }
            for (String[] p : new String[][] {{"prefix", c.prefix}, {"exact", c.exact}, {"regex", c.regex}}) {
                if (p[1] != null && !p[1].isEmpty()) {
                    paths++;
                    if (!p[1].startsWith("/")) {
                        return p[0] + " conditions must start with /, " + p[1] + " was supplied";
                    }
                    if (Names.pathProblem(p[1]) != null) {
                        return p[0] + " condition " + p[1] + " " + Names.pathProblem(p[1]);
                    }
                }
            }
        }
        return paths > 1 ? "more than one prefix, exact or regex is not allowed in a condition block" : null;
    }

    /** Why an include's conditions are not allowed (exact and regex are route-only), or null. */
    static String includeProblem(List<MatchCondition> conditions) {
        for (MatchCondition c : conditions) {
            if (c != null && c.exact != null && !c.exact.isEmpty()) {
                return "exact conditions are not allowed in includes block";
            }
            if (c != null && c.regex != null && !c.regex.isEmpty()) {
                return "regex conditions are not allowed in includes block";
            }
        }
        return null;
    }

    /** The merged path match of a chain of conditions (see the class comment); null with a problem for a bad regex. */
    static PathMatch path(List<MatchCondition> conditions, List<String> problems) {
        StringBuilder merged = new StringBuilder();
        boolean regex = false;
        MatchCondition last = null;
        for (MatchCondition c : conditions) {
            if (notEmpty(c.prefix)) {
                merged.append(c.prefix);
                last = c;
            } else if (notEmpty(c.exact)) {
                merged.append(c.exact);
                last = c;
            } else if (notEmpty(c.regex)) {
                merged.append(c.regex);
                regex = true;
                last = c;
            }
        }
        String path = merged.toString().replaceAll("//+", "/");
        if (path.isEmpty()) {
            return new PathMatch.StringPrefix("/");
        }
        if (regex) {
            String problem = PathRegex.problem(path);
            if (problem != null) {
                problems.add("regex " + path + " " + problem);
                return null;
            }
            return new PathMatch.Regex(path);
        }
        return notEmpty(last.exact) ? new PathMatch.Exact(path) : new PathMatch.StringPrefix(path);
    }

    /** The header conditions of a chain, in order; a header condition that matches nothing known is a problem. */
    static List<HeaderCondition> headers(List<MatchCondition> conditions, List<String> problems) {
        List<HeaderCondition> out = new ArrayList<>();
        for (MatchCondition c : conditions) {
            HeaderMatch h = c.header;
            if (h == null) {
                continue;
            }
            if (h.name == null || h.name.isBlank()) {
                problems.add("a header condition has no name");
                continue;
            }
            boolean ic = Boolean.TRUE.equals(h.ignoreCase);
            boolean empty = Boolean.TRUE.equals(h.treatMissingAsEmpty);
            HeaderCondition.Match match;
            String value = null;
            if (Boolean.TRUE.equals(h.present)) {
                match = HeaderCondition.Match.PRESENT;
            } else if (Boolean.TRUE.equals(h.notpresent)) {
                match = HeaderCondition.Match.NOT_PRESENT;
            } else if (notEmpty(h.contains)) {
                match = HeaderCondition.Match.CONTAINS;
                value = h.contains;
            } else if (notEmpty(h.notcontains)) {
                match = HeaderCondition.Match.NOT_CONTAINS;
                value = h.notcontains;
            } else if (notEmpty(h.exact)) {
                match = HeaderCondition.Match.EXACT;
                value = h.exact;
            } else if (notEmpty(h.notexact)) {
                match = HeaderCondition.Match.NOT_EXACT;
                value = h.notexact;
            } else {
                // Ignoring it would widen the route; a field Isoline does not read yet (regex) lands here too.
                problems.add("header condition \"" + h.name + "\" sets none of present, notpresent, contains, notcontains, "
                        + "exact, notexact");
                continue;
            }
            out.add(new HeaderCondition(h.name, match, value, ic, empty && match.inverted() && match != HeaderCondition.Match.NOT_PRESENT));
        }
        String contradiction = contradiction(out);
        if (contradiction != null) {
            problems.add(contradiction);
        }
        return out;
    }

    /** Contour's checks: one exact per header, and no condition beside its own negation. */
    private static String contradiction(List<HeaderCondition> headers) {
        Set<String> exact = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (HeaderCondition h : headers) {
            String key = h.name() + "|" + h.match() + "|" + h.value();
            if (h.match() == HeaderCondition.Match.EXACT && !exact.add(h.name())) {
                return "cannot specify duplicate header 'exact match' conditions in the same route";
            }
            HeaderCondition.Match opposite = switch (h.match()) {
                case PRESENT -> HeaderCondition.Match.NOT_PRESENT;
                case NOT_PRESENT -> HeaderCondition.Match.PRESENT;
                case EXACT -> HeaderCondition.Match.NOT_EXACT;
                case NOT_EXACT -> HeaderCondition.Match.EXACT;
                case CONTAINS -> HeaderCondition.Match.NOT_CONTAINS;
                case NOT_CONTAINS -> HeaderCondition.Match.CONTAINS;
            };
            if (seen.contains(h.name() + "|" + opposite + "|" + h.value())) {
                String word = h.match().name().toLowerCase(Locale.ROOT).replace("not_", "");
                return "cannot specify contradictory '" + word + "' and 'not" + word + "' conditions for the same route and header";
            }
            seen.add(key);
        }
        return null;
    }

    /** What makes two includes' conditions the same (Contour: a lone "/" never counts as a duplicate). */
    static String includeKey(List<MatchCondition> conditions) {
        List<String> ignored = new ArrayList<>();
        PathMatch path = path(conditions, ignored);
        List<String> headers = headers(conditions, ignored).stream().map(HeaderCondition::toString).sorted().toList();
        String p = path == null ? "" : path.path();
        return p.equals("/") && headers.isEmpty() ? null : p + headers;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
