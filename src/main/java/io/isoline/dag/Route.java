package io.isoline.dag;

/**
 * One route of a virtual host: requests whose path satisfies {@code match} and that carry the
 * {@code conditions} (headers, query parameters) get {@code action}.
 *
 * @param conditions   header and query parameter conditions, all required (sorted; empty for Ingress and IngressRoute)
 * @param wildcardHost when not null (a {@code *.suffix} host), the route also requires the request's
 *                     host to be exactly one DNS label followed by {@code .suffix}: Envoy's own
 *                     wildcard domains would also accept deeper names
 * @param owner        the object that contributed the route ({@code Kind ns/name}), for status and debugging
 */
public record Route(PathMatch match, java.util.List<RequestCondition> conditions, String wildcardHost, RouteAction action, String owner) {

    public Route {
        conditions = conditions == null ? java.util.List.of() : java.util.List.copyOf(conditions);
    }

    /** A route on the path alone. */
    public Route(PathMatch match, String wildcardHost, RouteAction action, String owner) {
        this(match, java.util.List.of(), wildcardHost, action, owner);
    }

    /** The same route without a host restriction. */
    public Route withWildcardHost(String host) {
        return new Route(match, conditions, host, action, owner);
    }
}
