package io.isoline.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.isoline.k8s.LenientDecoding;
import io.isoline.state.ClusterState;
import io.isoline.text.LogText;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The reconciled-state store in Kubernetes mode: one {@link ItemStore} per kind, used by the
 * informers as their cache, so each object is held once, deletions are seen, and once the
 * informers have synced the store is complete. Every change notifies the listeners (the rebuild
 * scheduler marks the state dirty); {@link #snapshot()} gives an immutable {@link ClusterState}.
 *
 * <p>Only what the core reads is kept: every object loses its {@code managedFields} and kubectl's
 * last-applied annotation (a copy of the whole object, written by client-side apply), which nothing
 * reads; Secrets are kept with only {@code tls.crt}, {@code tls.key} and {@code ca.crt} and without
 * annotations: unrelated Secrets such as Helm releases cost only their metadata.
 *
 * <p>Thread-safe: informer threads write, the rebuild thread reads; the maps are concurrent.
 */
@ApplicationScoped
public class StateStore {

    private static final Logger LOG = Logger.getLogger(StateStore.class);
    static final Set<String> SECRET_KEYS = Set.of("tls.crt", "tls.key", "ca.crt");

    private final Map<Class<?>, KindStore<?>> kinds = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Namespaces whose objects are kept; empty = all. Cluster-scoped objects are always kept. */
    private volatile Set<String> namespaces = Set.of();
    /** The last {@link #snapshot()}; guarded by this. */
    private ClusterState last = ClusterState.EMPTY;

    /**
     * {@code --watch-namespaces}: keep only objects of {@code watched} (empty = all). The informers
     * list and watch cluster-wide and this filters: JOSDK gives every per-namespace informer of a
     * kind the same item store, and fabric8's relist of one namespace removes every key it did not
     * list, so per-namespace informers would drop each other's objects. Call before the informers start.
     */
    public void restrictTo(Set<String> watched) {
        // Blank names are dropped: OLM's olm.targetNamespaces is "" for AllNamespaces.
        namespaces = watched.stream().map(String::trim).filter(ns -> !ns.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private boolean kept(HasMetadata obj) {
        String ns = obj.getMetadata() == null ? null : obj.getMetadata().getNamespace();
        return namespaces.isEmpty() || ns == null || namespaces.contains(ns);
    }

    /** Called after every change, on the informer's thread: keep it cheap. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The informer cache for {@code kind}; the same instance for every call. */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> ItemStore<T> itemStore(Class<T> kind) {
        return (ItemStore<T>) kinds.computeIfAbsent(kind, k -> new KindStore<T>(
                k == Secret.class ? s -> (T) trimSecret((Secret) s) : StateStore::trimMetadata));
    }

    /**
     * An immutable snapshot of everything recorded: the previous snapshot with the objects changed
     * since then put in or taken out, so a change costs its kind's size, not the cluster's.
     */
    public synchronized ClusterState snapshot() {
        java.util.List<HasMetadata> put = new java.util.ArrayList<>();
        java.util.List<HasMetadata> removed = new java.util.ArrayList<>();
        kinds.values().forEach(store -> store.drain(put, removed));
        if (!put.isEmpty() || !removed.isEmpty()) {
            last = last.patched(put, removed);
        }
        return last;
    }

    /** Objects held, by kind name: for logs, metrics and the memory benchmark. */
    public Map<String, Integer> sizes() {
        return kinds.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().getSimpleName(), e -> e.getValue().size()));
    }

    /** Objects held whose spec could not be read ({@link LenientDecoding}), by kind name. */
    public Map<String, Integer> unreadable() {
        return kinds.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().getSimpleName(), e -> e.getValue().unreadable.size()));
    }

    /** What was wrong with {@code obj}'s spec, or null when it was read (or is not a custom resource). */
    static String decodeProblem(Object obj) {
        return obj instanceof CustomResource<?, ?> cr && cr.getSpec() instanceof LenientDecoding.Decoded d ? d.decodeProblem() : null;
    }

    /** kubectl's client-side apply keeps the whole previous object here. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /**
     * Drops what no reader needs from an object the informer has just decoded (it is this store's
     * own copy): the field managers and the last-applied copy, often larger than the object itself.
     */
    static <T extends HasMetadata> T trimMetadata(T obj) {
        var meta = obj.getMetadata();
        if (meta != null) {
            meta.setManagedFields(null);
            if (meta.getAnnotations() != null && meta.getAnnotations().containsKey(LAST_APPLIED)) {
                Map<String, String> kept = new java.util.LinkedHashMap<>(meta.getAnnotations());
                kept.remove(LAST_APPLIED);
                meta.setAnnotations(kept);
            }
        }
        return obj;
    }

    static Secret trimSecret(Secret s) {
        Map<String, String> data = s.getData() == null ? Map.of() : s.getData().entrySet().stream()
                .filter(e -> SECRET_KEYS.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new SecretBuilder()
                .withNewMetadata().withName(s.getMetadata().getName()).withNamespace(s.getMetadata().getNamespace())
                .withUid(s.getMetadata().getUid()).withResourceVersion(s.getMetadata().getResourceVersion())
                .withLabels(s.getMetadata().getLabels()).endMetadata()
                .withType(s.getType()).withData(data).build();
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    /** One kind's objects by {@code namespace/name} (or {@code name} when cluster-scoped). */
    private final class KindStore<T extends HasMetadata> implements ItemStore<T> {
        private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
        /** key -> what was wrong with its spec, for the objects whose spec could not be read. */
        private final ConcurrentHashMap<String, String> unreadable = new ConcurrentHashMap<>();
        private final UnaryOperator<T> trim;
        /** Keys changed since the last {@link #snapshot()}, each with the object put or removed. */
        private final ConcurrentHashMap<String, T> dirty = new ConcurrentHashMap<>();

        KindStore(UnaryOperator<T> trim) {
            this.trim = trim;
        }

        @Override
        public String getKey(T obj) {
            return Cache.metaNamespaceKeyFunc(obj);
        }

        @Override
        public T put(String key, T obj) {
            if (!kept(obj)) {
                return null; // another namespace: never held, never served
            }
            T kept = trim.apply(obj);
            T previous = items.put(key, kept);
            dirty.put(key, kept);
            String problem = decodeProblem(obj);
            if (problem == null) {
                if (unreadable.remove(key) != null) {
                    LOG.infof("%s %s: spec read again", obj.getKind(), LogText.escape(key, 512));
                }
            } else if (!problem.equals(unreadable.put(key, problem))) {
                // Once per object and problem; the object is invalid (its status says the same).
                LOG.warnf("%s %s: %s; the object is invalid until it is fixed", obj.getKind(), LogText.escape(key, 512), problem);
            }
            changed();
            return previous;
        }

        @Override
        public T remove(String key) {
            unreadable.remove(key);
            T previous = items.remove(key);
            if (previous != null) {
                dirty.put(key, previous);
                changed();
            }
            return previous;
        }

        /**
         * Moves the changes recorded since the last call into {@code put} (objects held now) and
         * {@code removed} (objects gone). Each key is taken out of {@link #dirty} before the object is
         * read, so a change made meanwhile is recorded again and seen by the next call.
         */
        void drain(java.util.List<HasMetadata> put, java.util.List<HasMetadata> removed) {
            for (String key : dirty.keySet()) {
                T was = dirty.remove(key);
                T now = items.get(key);
                if (now != null) {
                    put.add(now);
                } else if (was != null) {
                    removed.add(was);
                }
            }
        }

        @Override
        public Stream<String> keySet() {
            return items.keySet().stream();
        }

        @Override
        public Stream<T> values() {
            return items.values().stream();
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public T get(String key) {
            return items.get(key);
        }
    }
}
