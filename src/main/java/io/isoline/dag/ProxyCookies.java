package io.isoline.dag;

import io.isoline.dag.RoutePolicy.CookieRewrite;
import io.isoline.k8s.HTTPProxySpec.CookieRewritePolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * HTTPProxy's {@code cookieRewritePolicies}, checked as Contour checks them, and so that no value can
 * add an attribute or a header of its own to a Set-Cookie line: a cookie name is an HTTP token, a
 * path has no {@code ;} or control character, a domain is a DNS name.
 */
final class ProxyCookies {

    private static final Pattern PATH = Pattern.compile("[^;\\x00-\\x1f\\x7f]{1,4096}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Set<String> SAME_SITE = Set.of("Strict", "Lax", "None");

    private ProxyCookies() {
    }

    /** The rewrites, or null with the reason added to {@code problems}. */
    static List<CookieRewrite> rewrites(List<CookieRewritePolicy> policies, List<String> problems) {
        List<CookieRewrite> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CookieRewritePolicy p : policies == null ? List.<CookieRewritePolicy>of() : policies) {
            String problem = p == null || p.name == null || p.name.length() > 4096 || !Names.HTTP_TOKEN.matcher(p.name).matches() ? "a cookie name must be an HTTP token"
                    : !names.add(p.name) ? "duplicate cookie rewrite rule for cookie \"" + p.name + "\""
                    : p.pathRewrite == null && p.domainRewrite == null && p.secure == null && p.sameSite == null
                            ? "no attributes rewritten for cookie \"" + p.name + "\""
                    : p.pathRewrite != null && (p.pathRewrite.value == null || !PATH.matcher(p.pathRewrite.value).matches())
                            ? "cookie \"" + p.name + "\": pathRewrite.value must be a path without ';' or control characters"
                    : p.domainRewrite != null && (p.domainRewrite.value == null || !DOMAIN.matcher(p.domainRewrite.value).matches())
                            ? "cookie \"" + p.name + "\": domainRewrite.value must be a DNS name"
                    : p.sameSite != null && !SAME_SITE.contains(p.sameSite)
                            ? "cookie \"" + p.name + "\": sameSite must be Strict, Lax or None"
                    : null;
            if (problem != null) {
                problems.add(problem);
                return null;
            }
            out.add(new CookieRewrite(p.name, p.pathRewrite == null ? null : p.pathRewrite.value,
                    p.domainRewrite == null ? null : p.domainRewrite.value, p.secure, p.sameSite));
        }
        return out;
    }
}
