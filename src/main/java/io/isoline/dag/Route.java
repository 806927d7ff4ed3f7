package io.isoline.dag;

/**
 * One route of a virtual host: requests whose path satisfies {@code match} get {@code action}.
 *
 * @param wildcardHost when not null (a {@code *.suffix} host), the route also requires the request's
 *                     host to be exactly one DNS label followed by {@code .suffix}: Envoy's own
 *                     wildcard domains would also accept deeper names
 * @param owner        the object that contributed the route ({@code Kind ns/name}), for status and debugging
 */
public record Route(PathMatch match, String wildcardHost, RouteAction action, String owner) {

    /** The same route without a host restriction. */
    public Route withWildcardHost(String host) {
        return new Route(match, host, action, owner);
    }
}
