package io.isoline.dag;

import java.util.List;
import java.util.Map;

/**
 * Headers a route sets and removes on the request or the response (HTTPProxy's
 * {@code requestHeadersPolicy} / {@code responseHeadersPolicy}). Values are Envoy header
 * formatter strings: every {@code %} is escaped except the variables Contour allows
 * ({@link ProxyHeaders}).
 *
 * @param set         header name (lower case) -> value, replacing what the request or response had
 * @param remove      header names (lower case) to remove
 * @param hostRewrite the request's new Host ({@code set} of {@code Host}, request side only); null = keep it
 */
public record HeaderPolicy(Map<String, String> set, List<String> remove, String hostRewrite) {

    public HeaderPolicy {
        set = Map.copyOf(new java.util.TreeMap<>(set));
        remove = List.copyOf(remove);
    }

    /** Sorted, so the same policy always serializes the same. */
    public java.util.SortedMap<String, String> sortedSet() {
        return new java.util.TreeMap<>(set);
    }
}
