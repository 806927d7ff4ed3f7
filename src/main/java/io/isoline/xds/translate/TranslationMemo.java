package io.isoline.xds.translate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.isoline.dag.ContentHash;
import io.isoline.dag.LastUse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The previous translation's Envoy messages by the Dag part they were made from (a cluster, an
 * endpoint group, a virtual host, a TLS host's filter chain, an API listener), and the digest of each message published: a rebuild makes new
 * messages only for what changed. Reusing the very same message instances is what keeps the rest of
 * the path cheap: protobuf caches a message's hash code and size, and an instance equals itself at
 * once, so the guard's {@code ValidMemo} and the digests cost nothing for them.
 *
 * <p>Only the previous generation is kept: {@link #next()} drops what the last translation did not
 * use. The translators are pure functions of their Dag part (and of the listener options, which
 * are the same for the memo's whole life), so a memo only saves work. Not
 * thread-safe: one translation at a time.
 */
final class TranslationMemo {

    /**
     * One translation (one kind of Dag part to one kind of message), memoized: by position first
     * (a list's part at the index where the previous list had the very same instance), then by
     * instance (the core hands back the same part while it is unchanged), then by value. Nothing is
     * dropped per translation (that would touch every entry each time): what the last translation
     * did not use is dropped once it is more than an eighth of the table.
     */
    static final class Table<K, M extends Message> {
        private static final Object[] NONE = new Object[0];
        private Map<K, M> instances = new java.util.IdentityHashMap<>();
        private Map<K, M> values = new HashMap<>();
        /** The parts and messages the last {@link #all} call had, by position. */
        private Object[] lastParts = NONE;
        private Object[] lastMessages = NONE;
        /** What this translation used beside its {@link #all} list (single look-ups). */
        private final List<Object[]> used = new java.util.ArrayList<>();

        M get(K part, Function<? super K, ? extends M> translate) {
            M m = find(part, translate);
            used.add(new Object[] {part, m});
            return m;
        }

        private M find(K part, Function<? super K, ? extends M> translate) {
            M m = instances.get(part);
            if (m == null) {
                m = values.computeIfAbsent(part, translate);
                instances.put(part, m);
            }
            return m;
        }

        /** The messages of {@code parts}, in order (one list per table and translation). */
        @SuppressWarnings("unchecked")
        List<M> all(List<? extends K> parts, Function<? super K, ? extends M> translate) {
            Object[] now = parts.toArray();
            Object[] out = new Object[now.length];
            boolean aligned = now.length == lastParts.length;
            for (int i = 0; i < now.length; i++) {
                out[i] = aligned && now[i] == lastParts[i] ? lastMessages[i] : find((K) now[i], translate);
            }
            lastParts = now;
            lastMessages = out;
            return (List<M>) (List<?>) java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
        }

        /** How many parts the table remembers. */
        int size() {
            return instances.size();
        }

        @SuppressWarnings("unchecked")
        void next(boolean keep) {
            int live = lastParts.length + used.size();
            if (!keep) {
                instances = new java.util.IdentityHashMap<>();
                values = new HashMap<>();
                lastParts = NONE;
                lastMessages = NONE;
            } else if (instances.size() > live + Math.max(64, live / 8)) {
                Map<K, M> byInstance = new java.util.IdentityHashMap<>(live * 4 / 3 + 1);
                Map<K, M> byValue = new HashMap<>(live * 4 / 3 + 1);
                for (int i = 0; i < lastParts.length; i++) {
                    byInstance.put((K) lastParts[i], (M) lastMessages[i]);
                    byValue.put((K) lastParts[i], (M) lastMessages[i]);
                }
                for (Object[] u : used) {
                    byInstance.put((K) u[0], (M) u[1]);
                    byValue.put((K) u[0], (M) u[1]);
                }
                instances = byInstance;
                values = byValue;
            }
            used.clear();
        }
    }

    final Table<io.isoline.dag.ServiceCluster, io.envoyproxy.envoy.config.cluster.v3.Cluster> clusters = new Table<>();
    final Table<io.isoline.dag.EndpointGroup, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment> assignments = new Table<>();
    /** Plain-HTTP virtual hosts. */
    final Table<io.isoline.dag.VirtualHost, io.envoyproxy.envoy.config.route.v3.VirtualHost> hosts = new Table<>();
    /** TLS hosts' virtual hosts (their own route configurations). */
    final Table<io.isoline.dag.SecureVirtualHost, io.envoyproxy.envoy.config.route.v3.VirtualHost> tlsHosts = new Table<>();
    /** TLS hosts' filter chains (the listener options are the memo's: see {@link ConfigTranslator}). */
    final Table<io.isoline.dag.SecureVirtualHost, io.envoyproxy.envoy.config.listener.v3.FilterChain> chains = new Table<>();
    /** SDS secrets (a certificate and its key) by the TLS secret they carry. */
    final Table<io.isoline.dag.TlsSecret, io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets = new Table<>();
    /** Proxyless clients' API listeners, by host name. */
    final Table<String, Listener> apiListeners = new Table<>();
    /** Listeners made from the listener options alone (the plain-HTTP one), by name. */
    final Table<String, Listener> fixedListeners = new Table<>();
    private final LastUse<Message, String> digests = LastUse.byInstance();
    /** Messages per list digest, in chunks of this many: a list's unchanged chunks keep their digests. */
    static final int CHUNK = 64;
    /** The lists digested by the previous translation, and by this one, by slot (a type, or a message's repeated field). */
    private Map<String, Digested> lists = new HashMap<>();
    private Map<String, Digested> listsNow = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();

    /** A digested list: its messages by position, each one's digest, and each chunk's. */
    private record Digested(Message[] messages, String[] digests, String[] chunks) {
    }

    /** A memo that remembers nothing: every translation is a full one. */
    static TranslationMemo none() {
        return new TranslationMemo();
    }

    /**
     * A digest of {@code m}'s content (SHA-256, hex), computed once per message instance. A route
     * configuration's is made of its virtual hosts' digests and a listener's of its filter chains',
     * so one changed host costs its own serialization, not the whole table's.
     */
    String digest(Message m) {
        return digests.get(m, this::compute);
    }

    private String compute(Message m) {
        if (m instanceof RouteConfiguration rc) {
            return composite(rc.toBuilder().clearVirtualHosts().build(), rc.getName(), rc.getVirtualHostsList());
        }
        if (m instanceof Listener l) {
            return composite(l.toBuilder().clearFilterChains().build(), l.getName(), l.getFilterChainsList());
        }
        return ContentHash.sha256(XdsResources.serialized(m));
    }

    /** The digest of a message made of {@code rest} and the repeated {@code parts} (of the message named {@code name}). */
    private String composite(Message rest, String name, List<? extends Message> parts) {
        String type = rest.getDescriptorForType().getFullName();
        return sha256(type + ':' + ContentHash.sha256(XdsResources.serialized(rest)) + ',' + listDigest(type + ' ' + name, parts));
    }

    /**
     * A digest of {@code messages}' contents, in order: the digest of the digests of its chunks of
     * {@link #CHUNK} messages, each chunk's the digest of its messages' digests. A chunk whose every
     * position holds the very instance the previous translation's list of the same {@code slot} had
     * there (and as many of them) keeps its digest, so one changed message among 10,000 costs one
     * chunk, not the list. The value depends on the contents alone, never on what was reused.
     */
    String listDigest(String slot, List<? extends Message> messages) {
        Digested before = lists.get(slot);
        int size = messages.size();
        Message[] now = messages.toArray(new Message[0]);
        String[] digests = new String[size];
        String[] chunks = new String[(size + CHUNK - 1) / CHUNK];
        for (int c = 0; c < chunks.length; c++) {
            int from = c * CHUNK;
            int to = Math.min(size, from + CHUNK);
            boolean same = before != null && Math.min(before.messages.length, from + CHUNK) == to;
            for (int i = from; i < to; i++) {
                boolean kept = before != null && i < before.messages.length && before.messages[i] == now[i];
                same &= kept;
                digests[i] = kept ? before.digests[i] : digest(now[i]);
            }
            if (same) {
                chunks[c] = before.chunks[c];
            } else {
                StringBuilder chunk = new StringBuilder(65 * (to - from));
                for (int i = from; i < to; i++) {
                    chunk.append(digests[i]).append(',');
                }
                chunks[c] = sha256(chunk.toString());
            }
        }
        if (size > CHUNK) { // a shorter list is one chunk: nothing to reuse
            listsNow.put(slot, new Digested(now, digests, chunks));
        }
        return sha256(String.join(",", chunks));
    }

    /** {@link #listDigest} of one resource type's list, remembered for {@link #typeDigests()}. */
    String typeDigest(String type, List<? extends Message> messages) {
        String digest = listDigest(type, messages);
        types.put(type, digest);
        return digest;
    }

    /** The full content digests of this translation's resource lists, by type (for the guard's {@code ValidMemo}). */
    Map<String, String> typeDigests() {
        return Map.copyOf(types);
    }

    private static String sha256(String s) {
        return ContentHash.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the next translation: what this one used is what the next can reuse ({@code keep} false: nothing is). */
    void next(boolean keep) {
        for (Table<?, ?> t : List.of(clusters, assignments, hosts, tlsHosts, chains, secrets, apiListeners, fixedListeners)) {
            t.next(keep);
        }
        digests.next(keep);
        lists = keep ? listsNow : new HashMap<>();
        listsNow = new HashMap<>();
        types.clear();
    }
}
