package io.isoline.state;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of a namespaced object: {@code namespace/name}. Ordered by namespace, then name, so
 * every map keyed by it iterates in the same order on every run.
 */
public record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {

    private static final Comparator<ObjectKey> ORDER =
            Comparator.comparing(ObjectKey::namespace).thenComparing(ObjectKey::name);

    public ObjectKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** Parses {@code ns/name}, or {@code name} in {@code defaultNamespace}. */
    public static ObjectKey parse(String ref, String defaultNamespace) {
        int slash = ref.indexOf('/');
        return slash < 0 ? new ObjectKey(defaultNamespace, ref)
                : new ObjectKey(ref.substring(0, slash), ref.substring(slash + 1));
    }

    /** {@code name} in {@code namespace}, or in {@code defaultNamespace} when that is null or blank (a reference's rule). */
    public static ObjectKey of(String namespace, String name, String defaultNamespace) {
        return new ObjectKey(namespace == null || namespace.isBlank() ? defaultNamespace : namespace, name == null ? "" : name);
    }

    @Override
    public int compareTo(ObjectKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
