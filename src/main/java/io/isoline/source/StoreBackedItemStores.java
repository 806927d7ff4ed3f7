package io.isoline.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.TLSCertificateDelegation;
import io.quarkus.arc.Arc;
import java.util.stream.Stream;

/**
 * Informer caches for the primary resources that are the {@link StateStore}'s per-kind stores.
 * JOSDK instantiates an {@code @Informer(itemStore = ...)} class by its no-argument constructor,
 * so each one looks the store up in the CDI container, once, when first used.
 */
public final class StoreBackedItemStores {

    private StoreBackedItemStores() {
    }

    /**
     * Delegates every call to the store's item store for {@code kind}, looked up on first use: the
     * operator extension also instantiates these classes at build time, when there is no container.
     */
    abstract static class Delegating<T extends HasMetadata> implements ItemStore<T> {
        private final Class<T> kind;
        private volatile ItemStore<T> delegate;

        Delegating(Class<T> kind) {
            this.kind = kind;
        }

        private ItemStore<T> delegate() {
            ItemStore<T> d = delegate;
            if (d == null) {
                d = Arc.container().instance(StateStore.class).get().itemStore(kind);
                delegate = d;
            }
            return d;
        }

        @Override
        public String getKey(T obj) {
            return delegate().getKey(obj);
        }

        @Override
        public T put(String key, T obj) {
            return delegate().put(key, obj);
        }

        @Override
        public T remove(String key) {
            return delegate().remove(key);
        }

        @Override
        public Stream<String> keySet() {
            return delegate().keySet();
        }

        @Override
        public Stream<T> values() {
            return delegate().values();
        }

        @Override
        public int size() {
            return delegate().size();
        }

        @Override
        public T get(String key) {
            return delegate().get(key);
        }
    }

    public static final class IngressRoutes extends Delegating<IngressRoute> {
        public IngressRoutes() {
            super(IngressRoute.class);
        }
    }

    public static final class Ingresses extends Delegating<Ingress> {
        public Ingresses() {
            super(Ingress.class);
        }
    }

    public static final class Delegations extends Delegating<TLSCertificateDelegation> {
        public Delegations() {
            super(TLSCertificateDelegation.class);
        }
    }

    public static final class HTTPProxies extends Delegating<io.isoline.k8s.HTTPProxy> {
        public HTTPProxies() {
            super(io.isoline.k8s.HTTPProxy.class);
        }
    }

    public static final class DelegationsV1 extends Delegating<io.isoline.k8s.TLSCertificateDelegationV1> {
        public DelegationsV1() {
            super(io.isoline.k8s.TLSCertificateDelegationV1.class);
        }
    }
}
