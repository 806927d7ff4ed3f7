package io.isoline.state;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.isoline.k8s.HTTPProxy;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.TLSCertificateDelegationV1;
import io.isoline.k8s.TLSCertificateDelegation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of every Kubernetes object the core reads, keyed and ordered by
 * {@link ObjectKey} so that iteration order never depends on arrival order.
 *
 * <p>Thread-safety: immutable once built; the maps are unmodifiable and the fabric8 objects in them
 * are treated as read-only by every reader (nothing in the core mutates them). Build a new state for
 * every change with {@link #builder()} or {@link #toBuilder()}.
 *
 * @param ingressClasses cluster-scoped, keyed by name
 */
public record ClusterState(
        NavigableMap<ObjectKey, Service> services,
        NavigableMap<ObjectKey, Endpoints> endpoints,
        NavigableMap<ObjectKey, EndpointSlice> endpointSlices,
        NavigableMap<ObjectKey, Secret> secrets,
        NavigableMap<String, IngressClass> ingressClasses,
        NavigableMap<ObjectKey, Ingress> ingresses,
        NavigableMap<ObjectKey, IngressRoute> ingressRoutes,
        NavigableMap<ObjectKey, TLSCertificateDelegation> tlsCertificateDelegations,
        NavigableMap<ObjectKey, HTTPProxy> httpProxies,
        NavigableMap<ObjectKey, TLSCertificateDelegationV1> tlsCertificateDelegationsV1) {

    /** The kinds held, in the record's component order. */
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(Service.class, Endpoints.class,
            EndpointSlice.class, Secret.class, IngressClass.class, Ingress.class, IngressRoute.class,
            TLSCertificateDelegation.class, HTTPProxy.class, TLSCertificateDelegationV1.class);
    @SuppressWarnings("rawtypes")
    private static final NavigableMap EMPTY_MAP = Collections.unmodifiableNavigableMap(new TreeMap<>());
    /** What {@link #frozen} makes; such a map is another state's and is shared, not copied. */
    @SuppressWarnings("rawtypes")
    private static final Class<? extends NavigableMap> FROZEN = Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass();

    public static final ClusterState EMPTY = builder().build();

    public ClusterState {
        services = frozen(services);
        endpoints = frozen(endpoints);
        endpointSlices = frozen(endpointSlices);
        secrets = frozen(secrets);
        ingressClasses = frozen(ingressClasses);
        ingresses = frozen(ingresses);
        ingressRoutes = frozen(ingressRoutes);
        tlsCertificateDelegations = frozen(tlsCertificateDelegations);
        httpProxies = frozen(httpProxies);
        tlsCertificateDelegationsV1 = frozen(tlsCertificateDelegationsV1);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this state's objects (each kind copied when first changed). */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Number of objects of all kinds. */
    public int size() {
        return services.size() + endpoints.size() + endpointSlices.size() + secrets.size()
                + ingressClasses.size() + ingresses.size() + ingressRoutes.size() + tlsCertificateDelegations.size()
                + httpProxies.size() + tlsCertificateDelegationsV1.size();
    }


    /**
     * An unmodifiable copy; a map that is already an unmodifiable navigable view is taken as it is.
     * Only this class hands out such views (another state's maps, which never change).
     */
    @SuppressWarnings("unchecked")
    private static <K, V> NavigableMap<K, V> frozen(Map<K, V> map) {
        if (map.getClass() == FROZEN) {
            return (NavigableMap<K, V>) map;
        }
        return Collections.unmodifiableNavigableMap(new TreeMap<>(map));
    }

    /**
     * This state with {@code put} objects added (or replacing the object under the same key) and the
     * keys of {@code removed} objects gone. Kinds neither touches are this state's maps, shared; a
     * touched kind is copied once (a linear copy: its keys are the same instances), so a change costs
     * its kind's size in copying and nothing in sorting.
     */
    public ClusterState patched(Iterable<? extends HasMetadata> put, Iterable<? extends HasMetadata> removed) {
        Builder b = new Builder(this);
        removed.forEach(b::remove);
        put.forEach(b::add);
        return b.share();
    }

    /**
     * Accumulates objects; the last object added under a key wins. Started from a state, each kind is
     * that state's map until the first object of its kind is added or removed. Not thread-safe.
     */
    public static final class Builder {
        /** One map per kind, in the record's order; null: still the base state's (see {@link #map}). */
        private final TreeMap<?, ?>[] maps = new TreeMap<?, ?>[KINDS.size()];
        private final ClusterState base;

        private Builder() {
            this(null);
        }

        private Builder(ClusterState base) {
            this.base = base;
        }

        /**
         * Records an object of a kind the core reads; objects without a namespace land in
         * {@code default}.
         *
         * @return false if the core does not read this kind (the object is not kept)
         */
        public boolean add(HasMetadata object) {
            int kind = kindOf(object);
            if (kind < 0) {
                return false;
            }
            map(kind).put(keyFor(object), object);
            return true;
        }

        private void remove(HasMetadata object) {
            int kind = kindOf(object);
            if (kind >= 0) {
                map(kind).remove(keyFor(object));
            }
        }

        /** IngressClasses are cluster-scoped, keyed by name; the rest by {@link #keyOf}. */
        private static Object keyFor(HasMetadata object) {
            return object instanceof IngressClass ? object.getMetadata().getName() : keyOf(object);
        }

        @SuppressWarnings("unchecked")
        private TreeMap<Object, Object> map(int kind) {
            if (maps[kind] == null) {
                maps[kind] = base == null ? new TreeMap<>() : new TreeMap<>(base.kind(kind));
            }
            return (TreeMap<Object, Object>) maps[kind];
        }

        public ClusterState build() {
            return assemble(false);
        }

        /** The state without copying this builder's maps again: the builder must not be used afterwards. */
        private ClusterState share() {
            return assemble(true);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private ClusterState assemble(boolean share) {
            NavigableMap[] m = new NavigableMap[KINDS.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = maps[i] == null ? (base == null ? EMPTY_MAP : base.kind(i))
                        : share ? Collections.unmodifiableNavigableMap(maps[i]) : maps[i];
            }
            return new ClusterState(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9]);
        }
    }


    private static int kindOf(HasMetadata object) {
        for (int i = 0; i < KINDS.size(); i++) {
            if (KINDS.get(i).isInstance(object)) {
                return i;
            }
        }
        return -1;
    }

    private NavigableMap<?, ?> kind(int i) {
        return switch (i) {
            case 0 -> services;
            case 1 -> endpoints;
            case 2 -> endpointSlices;
            case 3 -> secrets;
            case 4 -> ingressClasses;
            case 5 -> ingresses;
            case 6 -> ingressRoutes;
            case 7 -> tlsCertificateDelegations;
            case 8 -> httpProxies;
            case 9 -> tlsCertificateDelegationsV1;
            default -> throw new IllegalArgumentException("kind " + i);
        };
    }

    /** The key of a namespaced object; a missing namespace means {@code default}. */
    public static ObjectKey keyOf(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return new ObjectKey(ns == null || ns.isEmpty() ? "default" : ns, object.getMetadata().getName());
    }
}
