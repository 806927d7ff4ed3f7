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

    public Builder toBuilder() {
        Builder b = new Builder();
        b.services.putAll(services);
        b.endpoints.putAll(endpoints);
        b.endpointSlices.putAll(endpointSlices);
        b.secrets.putAll(secrets);
        b.ingressClasses.putAll(ingressClasses);
        b.ingresses.putAll(ingresses);
        b.ingressRoutes.putAll(ingressRoutes);
        b.tlsCertificateDelegations.putAll(tlsCertificateDelegations);
        b.httpProxies.putAll(httpProxies);
        b.tlsCertificateDelegationsV1.putAll(tlsCertificateDelegationsV1);
        return b;
    }

    /** Number of objects of all kinds. */
    public int size() {
        return services.size() + endpoints.size() + endpointSlices.size() + secrets.size()
                + ingressClasses.size() + ingresses.size() + ingressRoutes.size() + tlsCertificateDelegations.size()
                + httpProxies.size() + tlsCertificateDelegationsV1.size();
    }

    private static <K, V> NavigableMap<K, V> frozen(Map<K, V> map) {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(map));
    }

    /** Accumulates objects; the last object added under a key wins. Not thread-safe. */
    public static final class Builder {
        private final TreeMap<ObjectKey, Service> services = new TreeMap<>();
        private final TreeMap<ObjectKey, Endpoints> endpoints = new TreeMap<>();
        private final TreeMap<ObjectKey, EndpointSlice> endpointSlices = new TreeMap<>();
        private final TreeMap<ObjectKey, Secret> secrets = new TreeMap<>();
        private final TreeMap<String, IngressClass> ingressClasses = new TreeMap<>();
        private final TreeMap<ObjectKey, Ingress> ingresses = new TreeMap<>();
        private final TreeMap<ObjectKey, IngressRoute> ingressRoutes = new TreeMap<>();
        private final TreeMap<ObjectKey, TLSCertificateDelegation> tlsCertificateDelegations = new TreeMap<>();
        private final TreeMap<ObjectKey, HTTPProxy> httpProxies = new TreeMap<>();
        private final TreeMap<ObjectKey, TLSCertificateDelegationV1> tlsCertificateDelegationsV1 = new TreeMap<>();

        /**
         * Records an object of a kind the core reads; objects without a namespace land in
         * {@code default}.
         *
         * @return false if the core does not read this kind (the object is not kept)
         */
        public boolean add(HasMetadata object) {
            if (object instanceof IngressClass c) {
                ingressClasses.put(c.getMetadata().getName(), c);
                return true;
            }
            ObjectKey key = keyOf(object);
            if (object instanceof Service s) {
                services.put(key, s);
            } else if (object instanceof Endpoints e) {
                endpoints.put(key, e);
            } else if (object instanceof EndpointSlice e) {
                endpointSlices.put(key, e);
            } else if (object instanceof Secret s) {
                secrets.put(key, s);
            } else if (object instanceof Ingress i) {
                ingresses.put(key, i);
            } else if (object instanceof IngressRoute r) {
                ingressRoutes.put(key, r);
            } else if (object instanceof TLSCertificateDelegation d) {
                tlsCertificateDelegations.put(key, d);
            } else if (object instanceof HTTPProxy p) {
                httpProxies.put(key, p);
            } else if (object instanceof TLSCertificateDelegationV1 d) {
                tlsCertificateDelegationsV1.put(key, d);
            } else {
                return false;
            }
            return true;
        }

        public ClusterState build() {
            return new ClusterState(services, endpoints, endpointSlices, secrets, ingressClasses,
                    ingresses, ingressRoutes, tlsCertificateDelegations, httpProxies, tlsCertificateDelegationsV1);
        }
    }

    /** The key of a namespaced object; a missing namespace means {@code default}. */
    public static ObjectKey keyOf(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return new ObjectKey(ns == null || ns.isEmpty() ? "default" : ns, object.getMetadata().getName());
    }
}
