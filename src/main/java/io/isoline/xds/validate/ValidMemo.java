package io.isoline.xds.validate;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which parts of the configurations checked were valid, so a rebuild only checks what changed:
 * whole resources, and inside them virtual hosts, routes and filter chains (validity depends on
 * content alone, and equal protobuf messages have equal content), and whole resource lists by their
 * content digest (a type whose list is the very content a check found clean is not walked again).
 *
 * <p>Knowledge of the parts (virtual hosts, routes, filter chains, clusters, assignments) is kept by
 * generation: a check adds what it found valid to the current generation,
 * and only when a generation has grown by as much as it held at its start (replaced resources
 * pile up) does a check start a new one, consulting the old one once and keeping only what that
 * check saw; lists are then all walked again so the new generation learns everything in use. So a
 * rebuild costs the changed parts, not a copy of everything valid, and what is kept stays within
 * about twice what is published.
 *
 * <p>Not thread-safe: one check at a time ({@link #next()} hands the same knowledge to the next one).
 */
public final class ValidMemo {

    private static final Set<String> UNITS = Set.of(
            "envoy.config.listener.v3.Listener", "envoy.config.listener.v3.FilterChain",
            "envoy.config.route.v3.RouteConfiguration", "envoy.config.route.v3.VirtualHost",
            "envoy.config.route.v3.Route", "envoy.config.cluster.v3.Cluster",
            "envoy.config.endpoint.v3.ClusterLoadAssignment", "envoy.extensions.transport_sockets.tls.v3.Secret");

    /** The least a generation may grow by before a new one starts. */
    private final int minimumGrowth;
    private Set<Message> known = new HashSet<>();
    /**
     * Whole route tables, listeners and Secrets: only the last check's (a route table is replaced by
     * every change to any of its hosts and holds them all, so keeping replaced ones until a
     * generation ends would keep thousands of copies of the table; a Secret holds a private key,
     * kept no longer than it is published).
     */
    private Set<Message> wholes = new HashSet<>();
    private Set<Message> lastWholes = Set.of();
    /** The generation before, while the first check of a new one runs. */
    private Set<Message> older = Set.of();
    /** Lists found entirely valid: their slot (a resource type) and content digest. */
    private Map<String, String> cleanLists = new HashMap<>();
    /** The content digests of this check's lists, by slot. */
    private Map<String, String> lists = Map.of();
    /** By list slot: the last check's list, each message where it was found valid (null where not). */
    private Map<String, Object[]> validAt = new HashMap<>();
    private int atStart;
    private int added;

    private ValidMemo(int minimumGrowth) {
        this.minimumGrowth = minimumGrowth;
    }

    /** A memo that knows nothing yet. */
    public static ValidMemo empty() {
        return new ValidMemo(4096);
    }

    /** As {@link #empty()}, starting a new generation once one grows by {@code minimumGrowth} (tests). */
    static ValidMemo withGeneration(int minimumGrowth) {
        return new ValidMemo(minimumGrowth);
    }

    /** This memo, ready for the next check: a new generation starts here when this one has grown enough. */
    public ValidMemo next() {
        return next(Map.of());
    }

    /**
     * As {@link #next()}, for a check of lists whose full content digests are {@code listDigests}
     * (by slot: a resource type), so a list found clean before is not walked again.
     */
    public ValidMemo next(Map<String, String> listDigests) {
        older = Set.of();
        lastWholes = wholes;
        wholes = new HashSet<>();
        lists = listDigests;
        if (added > Math.max(minimumGrowth, atStart)) {
            older = known;
            known = new HashSet<>();
            cleanLists = new HashMap<>();
            validAt = new HashMap<>();
            added = 0;
        }
        return this;
    }

    /**
     * The last check's list of {@code slot}, by position: the message where it was valid, null
     * where it was not; null when there was none (or a new generation must learn every message).
     */
    public Object[] validAt(String slot) {
        return validAt.get(slot);
    }

    /** This check's list of {@code slot}: see {@link #validAt(String)}. */
    public void validAt(String slot, Object[] messages) {
        validAt.put(slot, messages);
    }

    /** Ends a check: the generation before is no longer consulted. */
    public void finish() {
        lastWholes = Set.of();
        if (!older.isEmpty() || atStart == 0) { // the first check of a generation: its size to grow from
            older = Set.of();
            atStart = known.size();
            added = 0;
        }
    }

    /** Whether this check's list of {@code slot} has the very content of one a check found entirely valid. */
    public boolean isCleanList(String slot) {
        String digest = lists.get(slot);
        return digest != null && digest.equals(cleanLists.get(slot));
    }

    /** This check found its list of {@code slot} entirely valid. */
    public void cleanList(String slot) {
        String digest = lists.get(slot);
        if (digest != null) {
            cleanLists.put(slot, digest);
        }
    }

    static boolean isUnit(Descriptor d) {
        return UNITS.contains(d.getFullName());
    }

    /** Kept for one check only (see {@link #wholes}). */
    private static boolean whole(Message m) {
        return m instanceof RouteConfiguration || m instanceof Listener || m instanceof Secret;
    }

    boolean isKnownValid(Message m) {
        return whole(m) ? known(wholes, lastWholes, m) : known(known, older, m);
    }

    /** Whether {@code m} is in {@code now}, or in {@code before} (then it is in {@code now} too: it is still in use). */
    private static boolean known(Set<Message> now, Set<Message> before, Message m) {
        if (now.contains(m)) {
            return true;
        }
        if (before.contains(m)) {
            now.add(m);
            return true;
        }
        return false;
    }

    void validated(Message m) {
        if (whole(m)) {
            wholes.add(m);
        } else if (known.add(m)) {
            added++;
        }
    }
}
