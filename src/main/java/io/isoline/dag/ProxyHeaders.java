package io.isoline.dag;

import io.isoline.k8s.HTTPProxySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an HTTPProxy headers policy and turns it into a {@link HeaderPolicy}, as Contour does:
 * header names are HTTP tokens and never pseudo-headers; {@code Host} may be set on the request
 * (a host rewrite) but not removed, and not touched on the response; values may not hold control
 * characters; and a value's {@code %} is escaped ({@code %%}) unless it starts one of the
 * variables Contour allows: {@code %REQ(name)%} (a request header) and the ones of
 * {@link #dynamic}. Anything Envoy would reject for every tenant is refused here with a reason.
 */
final class ProxyHeaders {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$&'*+.^_`|~-]+");
    private static final Pattern VARIABLE = Pattern.compile("%(REQ\\(([A-Za-z0-9!#$&'*+.^_`|~-]+)\\)|[A-Z_]+)%");
    /** Envoy's own variables Contour lets a tenant use (no certificates, no addresses of Envoy's). */
    private static final java.util.Set<String> ENVOY_VARIABLES = java.util.Set.of("DOWNSTREAM_REMOTE_ADDRESS",
            "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_LOCAL_ADDRESS", "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT",
            "DOWNSTREAM_LOCAL_PORT", "HOSTNAME", "PROTOCOL", "REQUESTED_SERVER_NAME", "START_TIME", "UPSTREAM_REMOTE_ADDRESS");

    private ProxyHeaders() {
    }

    /** A request and a response header policy (either null for none). */
    record Pair(HeaderPolicy request, HeaderPolicy response) {
    }

    /**
     * Both policies of a route or service, or null with the error reported as {@code type} and
     * Contour's reasons ({@code responseReason}: Contour spells it differently for routes and services).
     */
    static Pair both(ProxyReport r, String type, String responseReason, HTTPProxySpec.HeadersPolicy request,
            HTTPProxySpec.HeadersPolicy response, Map<String, String> dynamic) {
        List<String> problems = new ArrayList<>();
        HeaderPolicy req = policy(request, true, dynamic, problems);
        if (!problems.isEmpty()) {
            r.error(type, "RequestHeadersPolicyInvalid", problems.get(0) + " on request headers");
            return null;
        }
        HeaderPolicy resp = policy(response, false, dynamic, problems);
        if (!problems.isEmpty()) {
            r.error(type, responseReason, problems.get(0) + " on response headers");
            return null;
        }
        return new Pair(req, resp);
    }

    /**
     * The policy, or null with the reason added to {@code problems}.
     *
     * @param dynamic Contour's own variables ({@code CONTOUR_NAMESPACE}, ...) and their values
     */
    static HeaderPolicy policy(HTTPProxySpec.HeadersPolicy p, boolean request, Map<String, String> dynamic, List<String> problems) {
        if (p == null) {
            return null;
        }
        Map<String, String> set = new LinkedHashMap<>();
        String host = null;
        for (HTTPProxySpec.HeaderValue h : p.set == null ? List.<HTTPProxySpec.HeaderValue>of() : p.set) {
            String name = h == null || h.name == null ? "" : h.name.trim();
            String problem = nameProblem(name);
            if (problem == null && (h.value == null || h.value.isEmpty())) {
                problem = "header \"" + name + "\" has no value";
            }
            if (problem == null && h.value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                problem = "header \"" + name + "\" has a control character in its value";
            }
            if (problem != null) {
                problems.add(problem);
                return null;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host")) {
                if (!request) {
                    problems.add("rewriting the Host header is not supported on response headers");
                    return null;
                }
                host = h.value;
                continue;
            }
            if (set.containsKey(lower)) {
                problems.add("duplicate header addition: \"" + name + "\"");
                return null;
            }
            set.put(lower, escape(h.value, dynamic));
        }
        List<String> remove = new ArrayList<>();
        for (String r : p.remove == null ? List.<String>of() : p.remove) {
            String name = r == null ? "" : r.trim();
            String problem = nameProblem(name);
            if (problem == null && name.equalsIgnoreCase("host")) {
                problem = "the Host header cannot be removed";
            }
            if (problem != null) {
                problems.add(problem);
                return null;
            }
            if (!remove.contains(name.toLowerCase(Locale.ROOT))) {
                remove.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return new HeaderPolicy(set, remove, host);
    }

    private static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "a header has no name";
        }
        if (name.startsWith(":")) {
            return "pseudo-header \"" + name + "\" cannot be set or removed";
        }
        return TOKEN.matcher(name).matches() ? null : "header name \"" + name + "\" is not an HTTP header name";
    }

    /** {@code %} as {@code %%}, except the allowed variables; Contour's own ones replaced by their values. */
    static String escape(String value, Map<String, String> dynamic) {
        StringBuilder out = new StringBuilder();
        Matcher m = VARIABLE.matcher(value);
        int at = 0;
        while (m.find()) {
            out.append(value.substring(at, m.start()).replace("%", "%%"));
            String name = m.group(1);
            if (dynamic.containsKey(name)) {
                out.append(dynamic.get(name).replace("%", "%%"));
            } else if (m.group(2) != null || ENVOY_VARIABLES.contains(name)) {
                out.append(m.group());
            } else {
                out.append(m.group().replace("%", "%%"));
            }
            at = m.end();
        }
        return out.append(value.substring(at).replace("%", "%%")).toString();
    }
}
