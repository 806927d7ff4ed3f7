package io.isoline.dag;

import io.isoline.k8s.HTTPProxySpec.HeaderMatch;
import io.isoline.k8s.HTTPProxySpec.MatchCondition;
import io.isoline.k8s.HTTPProxySpec.QueryParameterMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTTPProxy match conditions, checked and merged as Contour does: along an include chain the
 * path conditions are concatenated (doubled slashes collapsed; none at all is {@code /}), the last
 * one deciding prefix or exact and any regex making the whole a regex; header and query parameter
 * conditions add up.
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
    static List<RequestCondition> headers(List<MatchCondition> conditions, List<String> problems) {
        List<RequestCondition> out = new ArrayList<>();
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
            RequestCondition.Match match;
            String value = null;
            if (Boolean.TRUE.equals(h.present)) {
                match = RequestCondition.Match.PRESENT;
            } else if (Boolean.TRUE.equals(h.notpresent)) {
                match = RequestCondition.Match.NOT_PRESENT;
            } else if (notEmpty(h.contains)) {
                match = RequestCondition.Match.CONTAINS;
                value = h.contains;
            } else if (notEmpty(h.notcontains)) {
                match = RequestCondition.Match.NOT_CONTAINS;
                value = h.notcontains;
            } else if (notEmpty(h.exact)) {
                match = RequestCondition.Match.EXACT;
                value = h.exact;
            } else if (notEmpty(h.notexact)) {
                match = RequestCondition.Match.NOT_EXACT;
                value = h.notexact;
            } else if (notEmpty(h.regex)) {
                String problem = PathRegex.problem(h.regex);
                if (problem != null) {
                    problems.add("invalid regular expression specified for 'regex' condition on header \"" + h.name + "\": "
                            + problem);
                    continue;
                }
                match = RequestCondition.Match.REGEX;
                value = h.regex;
                ic = false;
            } else {
                // Ignoring it would widen the route.
                problems.add("header condition \"" + h.name + "\" sets none of present, notpresent, contains, notcontains, "
                        + "exact, notexact, regex");
                continue;
            }
            out.add(RequestCondition.header(h.name, match, value, ic,
                    empty && match.inverted() && match != RequestCondition.Match.NOT_PRESENT));
        }
        String contradiction = contradiction(out);
        if (contradiction != null) {
            problems.add(contradiction);
        }
        return out;
    }

    /** The query parameter conditions of a chain, in order (Contour's checks: exactly one match each, one exact per name). */
    static List<RequestCondition> queries(List<MatchCondition> conditions, List<String> problems) {
        List<RequestCondition> out = new ArrayList<>();
        Set<String> exact = new HashSet<>();
        for (MatchCondition c : conditions) {
            QueryParameterMatch q = c.queryParameter;
            if (q == null) {
                continue;
            }
            if (q.name == null || q.name.isEmpty()) {
                problems.add("a query parameter condition has no name");
                continue;
            }
            if (q.name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
                problems.add("a query parameter name is longer than Envoy's 1024 bytes");
                continue;
            }
            List<RequestCondition> set = new ArrayList<>();
            boolean ic = Boolean.TRUE.equals(q.ignoreCase);
            String[][] values = {{"EXACT", q.exact}, {"PREFIX", q.prefix}, {"SUFFIX", q.suffix}, {"REGEX", q.regex},
                    {"CONTAINS", q.contains}};
            for (String[] v : values) {
                if (notEmpty(v[1])) {
                    RequestCondition.Match match = RequestCondition.Match.valueOf(v[0]);
                    set.add(new RequestCondition(RequestCondition.Source.QUERY, q.name, match, v[1],
                            ic && match != RequestCondition.Match.REGEX, false));
                }
            }
            if (Boolean.TRUE.equals(q.present)) {
                set.add(new RequestCondition(RequestCondition.Source.QUERY, q.name, RequestCondition.Match.PRESENT, null, false, false));
            }
            if (set.isEmpty()) {
                problems.add("must specify at least one query parameter condition");
                continue;
            }
            if (set.size() > 1) {
                problems.add("cannot specify more than one condition in the same match condition branch");
                continue;
            }
            RequestCondition one = set.get(0);
            if (one.match() == RequestCondition.Match.EXACT && !exact.add(q.name.toLowerCase(Locale.ROOT))) {
                problems.add("cannot specify duplicate query parameter 'exact match' conditions in the same route");
                continue;
            }
            String problem = one.match() == RequestCondition.Match.REGEX ? PathRegex.problem(one.value()) : null;
            if (problem != null) {
                problems.add("invalid regular expression specified for 'regex' condition on query parameter \"" + q.name
                        + "\": " + problem);
                continue;
            }
            out.add(one);
        }
        return out;
    }

    /** Contour's checks: one exact per header, and no condition beside its own negation. */
    private static String contradiction(List<RequestCondition> headers) {
        Set<String> exact = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (RequestCondition h : headers) {
            String key = h.name() + "|" + h.match() + "|" + h.value();
            if (h.match() == RequestCondition.Match.EXACT && !exact.add(h.name())) {
                return "cannot specify duplicate header 'exact match' conditions in the same route";
            }
            RequestCondition.Match opposite = switch (h.match()) {
                case PRESENT -> RequestCondition.Match.NOT_PRESENT;
                case NOT_PRESENT -> RequestCondition.Match.PRESENT;
                case EXACT -> RequestCondition.Match.NOT_EXACT;
                case NOT_EXACT -> RequestCondition.Match.EXACT;
                case CONTAINS -> RequestCondition.Match.NOT_CONTAINS;
                case NOT_CONTAINS -> RequestCondition.Match.CONTAINS;
                case PREFIX, SUFFIX, REGEX -> null;
            };
            if (opposite != null && seen.contains(h.name() + "|" + opposite + "|" + h.value())) {
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
        List<String> headers = concat(headers(conditions, ignored), queries(conditions, ignored)).stream()
                .map(RequestCondition::toString).sorted().toList();
        String p = path == null ? "" : path.path();
        return p.equals("/") && headers.isEmpty() ? null : p + headers;
    }

    /** The header and query parameter conditions of a chain, headers first. */
    static List<RequestCondition> concat(List<RequestCondition> headers, List<RequestCondition> queries) {
        List<RequestCondition> all = new ArrayList<>(headers);
        all.addAll(queries);
        return all;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
