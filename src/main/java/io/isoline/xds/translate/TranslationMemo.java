package io.isoline.xds.translate;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.isoline.dag.ContentHash;
import io.isoline.dag.LastUse;
import java.util.function.Function;

/**
 * The previous translation's Envoy messages by the Dag part they were made from (a cluster, an
 * endpoint group, a virtual host), and the digest of each message published: a rebuild makes new
 * messages only for what changed. Reusing the very same message instances is what keeps the rest of
 * the path cheap: protobuf caches a message's hash code and size, and an instance equals itself at
 * once, so the guard's {@code ValidMemo} and the digests cost nothing for them.
 *
 * <p>Only the previous generation is kept: {@link #next()} drops what the last translation did not
 * use. The translators are pure functions of their Dag part, so a memo only saves work. Not
 * thread-safe: one translation at a time.
 */
final class TranslationMemo {

    private final LastUse<Object, Message> instances = LastUse.byInstance();
    private final LastUse<Object, Message> values = LastUse.byValue();
    private final LastUse<Message, String> digests = LastUse.byInstance();

    /** A memo that remembers nothing: every translation is a full one. */
    static TranslationMemo none() {
        return new TranslationMemo();
    }

    /**
     * The message for {@code part}, a Dag part the core reuses from build to build (a cluster, an
     * endpoint group: see {@code DagCache}), found by instance, which costs no hashing of the part.
     */
    @SuppressWarnings("unchecked")
    <K, M extends Message> M byInstance(K part, Function<K, M> translate) {
        return (M) instances.get(part, p -> translate.apply((K) p));
    }

    /**
     * The message for {@code part} (a record made anew by every build: a virtual host, a filter
     * chain's inputs), compared by value; each type of part has one translation.
     */
    @SuppressWarnings("unchecked")
    <K, M extends Message> M byValue(K part, Function<K, M> translate) {
        return (M) values.get(part, p -> translate.apply((K) p));
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
            return composite(rc.toBuilder().clearVirtualHosts().build(), rc.getVirtualHostsList());
        }
        if (m instanceof Listener l) {
            return composite(l.toBuilder().clearFilterChains().build(), l.getFilterChainsList());
        }
        return ContentHash.sha256(XdsResources.serialized(m));
    }

    /** The digest of a message made of {@code rest} and the repeated {@code parts} (fixed-length digests, in order). */
    private String composite(Message rest, java.util.List<? extends Message> parts) {
        StringBuilder all = new StringBuilder(16 + 65 * (parts.size() + 1)).append(rest.getDescriptorForType().getFullName())
                .append(':').append(ContentHash.sha256(XdsResources.serialized(rest)));
        parts.forEach(p -> all.append(',').append(digest(p)));
        return ContentHash.sha256(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Starts the next translation: what this one used is what the next can reuse. */
    void next() {
        instances.next(true);
        values.next(true);
        digests.next(true);
    }
}
