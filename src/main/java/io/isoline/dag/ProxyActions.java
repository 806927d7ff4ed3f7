package io.isoline.dag;

import io.isoline.k8s.HTTPProxySpec;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTPProxy routes that answer without a backend: {@code directResponsePolicy} and
 * {@code requestRedirectPolicy}, checked so that Envoy accepts them (it rejects the whole route
 * table, every tenant's, for a direct-response body above 4096 bytes or a status outside 200-599).
 */
final class ProxyActions {

    /** Envoy's default {@code max_direct_response_body_size_bytes}. */
    static final int MAX_BODY_BYTES = 4096;

    private ProxyActions() {
    }

    /** The action, or null with the reason added to {@code problems}. */
    static RouteAction action(HTTPProxySpec.Route route, List<String> problems) {
        HTTPProxySpec.DirectResponsePolicy direct = route.directResponsePolicy;
        if (direct != null) {
            long status = direct.statusCode == null ? 0 : direct.statusCode;
            if (status < 200 || status > 599) {
                problems.add("route.directResponsePolicy.statusCode must be in the range 200-599");
                return null;
            }
            if (direct.body != null && direct.body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                problems.add("route.directResponsePolicy.body is longer than " + MAX_BODY_BYTES + " bytes");
                return null;
            }
            return new RouteAction.DirectResponse((int) status, direct.body);
        }
        HTTPProxySpec.RequestRedirectPolicy r = route.requestRedirectPolicy;
        if (r.path != null && r.prefix != null) {
            problems.add("route.requestRedirectPolicy is invalid: cannot specify both redirect path and redirect prefix");
            return null;
        }
        if (r.scheme != null && !r.scheme.equals("http") && !r.scheme.equals("https")) {
            problems.add("route.requestRedirectPolicy.scheme must be http or https");
            return null;
        }
        if (r.hostname != null && Names.hostProblem(r.hostname.toLowerCase(java.util.Locale.ROOT)) != null) {
            problems.add("route.requestRedirectPolicy.hostname \"" + r.hostname + "\" " + Names.hostProblem(r.hostname.toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        if (r.port != null && (r.port < 1 || r.port > 65535)) {
            problems.add("route.requestRedirectPolicy.port must be in the range 1-65535");
            return null;
        }
        if (r.statusCode != null && r.statusCode != 301 && r.statusCode != 302) {
            problems.add("route.requestRedirectPolicy.statusCode must be 301 or 302");
            return null;
        }
        for (String p : new String[] {r.path, r.prefix}) {
            if (p != null && Names.pathProblem(p) != null) {
                problems.add("route.requestRedirectPolicy path \"" + p + "\" " + Names.pathProblem(p));
                return null;
            }
        }
        return new RouteAction.Redirect(r.scheme, r.hostname == null ? null : r.hostname.toLowerCase(java.util.Locale.ROOT),
                r.port == null ? null : r.port.intValue(), r.statusCode == null ? 301 : r.statusCode.intValue(), r.path, r.prefix);
    }
}
