package io.isoline.dag;

import io.isoline.k8s.HTTPProxySpec.ReplacePrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTPProxy's {@code pathRewritePolicy.replacePrefix}, as Contour applies it: the replacement
 * whose {@code prefix} is exactly the route's routing prefix (the include chain's prefixes
 * together), else the one without a {@code prefix}. A prefix route {@code /foo} with a rewrite is
 * then served as {@code /foo} and {@code /foo/}, so that neither {@code /foo/v1} becomes
 * {@code //v1} nor {@code /foosball} something half-replaced (Contour's expansion).
 */
final class ProxyRewrites {

    private ProxyRewrites() {
    }

    /** The rewrite for {@code match}, null when none applies; a problem when the replacements are invalid. */
    static String replacement(PathMatch match, List<ReplacePrefix> replacements, List<String> problems) {
        if (!(match instanceof PathMatch.StringPrefix)) {
            problems.add("cannot specify prefix replacements without a prefix condition");
            return null;
        }
        Set<String> prefixes = new HashSet<>();
        String fallback = null;
        String exact = null;
        for (ReplacePrefix p : replacements) {
            if (p == null || p.replacement == null || p.replacement.isEmpty()) {
                problems.add("prefix replacement is empty");
                return null;
            }
            if (Names.pathProblem(p.replacement) != null) {
                problems.add("prefix replacement \"" + p.replacement + "\" " + Names.pathProblem(p.replacement));
                return null;
            }
            String prefix = p.prefix == null ? "" : p.prefix;
            if (!prefixes.add(prefix)) {
                problems.add(prefix.isEmpty() ? "ambiguous prefix replacement" : "duplicate replacement prefix '" + prefix + "'");
                return null;
            }
            if (prefix.isEmpty()) {
                fallback = p.replacement;
            } else if (prefix.equals(match.path())) {
                exact = p.replacement;
            }
        }
        return exact != null ? exact : fallback;
    }

    /** Contour's expansion of a rewritten prefix {@code /foo} into {@code /foo} and {@code /foo/} (see the class comment). */
    static List<IncludeWalker.ProxyRoute> expand(List<IncludeWalker.ProxyRoute> routes) {
        Map<String, List<IncludeWalker.ProxyRoute>> byPrefix = new LinkedHashMap<>();
        for (IncludeWalker.ProxyRoute r : routes) {
            if (r.match() instanceof PathMatch.StringPrefix p) {
                String trimmed = p.path().equals("/") ? "/" : p.path().replaceAll("/+$", "");
                byPrefix.computeIfAbsent(trimmed + "|" + r.conditions(), k -> new ArrayList<>()).add(r);
            }
        }
        List<IncludeWalker.ProxyRoute> out = new ArrayList<>();
        for (IncludeWalker.ProxyRoute r : routes) {
            String rewrite = r.action() instanceof RouteAction.Forward f ? f.policy().prefixRewrite() : null;
            if (rewrite == null || !(r.match() instanceof PathMatch.StringPrefix p) || p.path().equals("/")) {
                out.add(r);
                continue;
            }
            String trimmed = p.path().replaceAll("/+$", "");
            if (byPrefix.get(trimmed + "|" + r.conditions()).size() > 1) {
                out.add(r); // routes on both /foo and /foo/: no implicit forms
                continue;
            }
            String base = rewrite.replaceAll("/+$", "");
            out.add(withPrefix(r, trimmed, base.isEmpty() ? "/" : base));
            out.add(withPrefix(r, trimmed + "/", base + "/"));
        }
        return out;
    }

    private static IncludeWalker.ProxyRoute withPrefix(IncludeWalker.ProxyRoute r, String prefix, String rewrite) {
        RouteAction.Forward f = (RouteAction.Forward) r.action();
        return new IncludeWalker.ProxyRoute(new PathMatch.StringPrefix(prefix), r.conditions(),
                new RouteAction.Forward(f.clusters(), f.policy().withPrefixRewrite(rewrite)), r.permitInsecure(), r.owner());
    }
}
