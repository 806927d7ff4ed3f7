package io.isoline.dag;

import io.isoline.dag.RoutePolicy.HashPolicy;
import io.isoline.k8s.HTTPProxySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An HTTPProxy route's {@code loadBalancerPolicy}, as Contour reads it: the strategy of its
 * clusters and, for Cookie and RequestHash (a ring hash), what each request is hashed on. Invalid
 * hash policies are ignored with a warning; when none is left, RoundRobin is used (Contour's rule).
 *
 * @param strategy the cluster strategy in {@link ServiceCluster.LoadBalancing}'s names; null = RoundRobin
 */
record ProxyLoadBalancing(String strategy, List<HashPolicy> hashPolicies) {

    private static final Set<String> PLAIN = Set.of("RoundRobin", "WeightedLeastRequest", "Random");

    static ProxyLoadBalancing of(ProxyReport r, HTTPProxySpec.LoadBalancerPolicy policy) {
        String s = policy == null ? null : policy.strategy;
        if (s == null || s.isEmpty() || PLAIN.contains(s)) {
            return new ProxyLoadBalancing(s, List.of());
        }
        if (s.equals("Cookie")) {
            return new ProxyLoadBalancing("Cookie", List.of(HashPolicy.AFFINITY));
        }
        if (!s.equals("RequestHash")) {
            r.warning("SpecError", "IgnoredField", "loadBalancerPolicy.strategy \"" + s + "\" is not a strategy; RoundRobin is used");
            return new ProxyLoadBalancing(null, List.of());
        }
        List<HashPolicy> hashes = requestHash(r, policy.requestHashPolicies == null ? List.of() : policy.requestHashPolicies);
        if (hashes.isEmpty()) {
            r.warning("SpecError", "IgnoredField",
                    "ignoring invalid request hash policy options, setting load balancer strategy to default RoundRobin");
            return new ProxyLoadBalancing(null, List.of());
        }
        return new ProxyLoadBalancing("RingHash", hashes);
    }

    private static List<HashPolicy> requestHash(ProxyReport r, List<HTTPProxySpec.RequestHashPolicy> policies) {
        List<HashPolicy> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (HTTPProxySpec.RequestHashPolicy p : policies) {
            HashPolicy h = p == null ? null : one(p);
            String problem = h == null ? "must set exactly one of hashSourceIP or headerHashOptions or queryParameterHashOptions"
                    : h.kind() == HashPolicy.Kind.HEADER && !Names.HTTP_TOKEN.matcher(h.name()).matches() ? "invalid header name \"" + h.name() + "\""
                    : h.kind() == HashPolicy.Kind.QUERY_PARAMETER && h.name().isEmpty() ? "an empty query parameter name"
                    : h.kind() == HashPolicy.Kind.QUERY_PARAMETER && h.name().length() > 1024 ? "a query parameter name over 1024 bytes"
                    : !seen.add(h.kind() + "|" + h.name()) ? duplicate(h) : null;
            if (problem != null) {
                r.warning("SpecError", "IgnoredField", "ignoring invalid request hash policy: " + problem);
                continue;
            }
            out.add(h);
        }
        return out;
    }

    private static String duplicate(HashPolicy h) {
        return switch (h.kind()) {
            case SOURCE_IP -> "hashSourceIP specified multiple times";
            case HEADER -> "duplicated header name " + h.name();
            default -> "duplicated query parameter name " + h.name();
        };
    }

    /** The one hash a policy names, or null when it names none or several. */
    private static HashPolicy one(HTTPProxySpec.RequestHashPolicy p) {
        boolean terminal = Boolean.TRUE.equals(p.terminal);
        List<HashPolicy> set = new ArrayList<>();
        if (Boolean.TRUE.equals(p.hashSourceIP)) {
            set.add(new HashPolicy(HashPolicy.Kind.SOURCE_IP, null, terminal));
        }
        if (p.headerHashOptions != null) {
            String name = p.headerHashOptions.headerName == null ? "" : p.headerHashOptions.headerName;
            set.add(new HashPolicy(HashPolicy.Kind.HEADER, name.toLowerCase(Locale.ROOT), terminal));
        }
        if (p.queryParameterHashOptions != null) {
            // Contour lower-cases the name ("everyone assumes query parameter names are case-insensitive").
            String name = p.queryParameterHashOptions.parameterName == null ? "" : p.queryParameterHashOptions.parameterName;
            set.add(new HashPolicy(HashPolicy.Kind.QUERY_PARAMETER, name.toLowerCase(Locale.ROOT), terminal));
        }
        return set.size() == 1 ? set.get(0) : null;
    }
}
