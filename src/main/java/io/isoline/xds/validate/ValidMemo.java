package io.isoline.xds.validate;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import java.util.HashSet;
import java.util.Set;

/**
 * Which parts of the last configuration checked were valid, so a rebuild only checks what changed:
 * whole resources, and inside them virtual hosts, routes and filter chains (validity depends on
 * content alone, and equal protobuf messages have equal content). One generation is kept: what
 * {@link #next()} looks up is what the previous check saw, which is no more than what is published.
 *
 * <p>Not thread-safe: one instance per check. A finished instance is only read (by {@link #next()}),
 * so one may be shared by several threads starting checks.
 */
public final class ValidMemo {

    private static final Set<String> UNITS = Set.of(
            "envoy.config.listener.v3.Listener", "envoy.config.listener.v3.FilterChain",
            "envoy.config.route.v3.RouteConfiguration", "envoy.config.route.v3.VirtualHost",
            "envoy.config.route.v3.Route", "envoy.config.cluster.v3.Cluster",
            "envoy.config.endpoint.v3.ClusterLoadAssignment", "envoy.extensions.transport_sockets.tls.v3.Secret");

    private Set<Message> previous;
    private final Set<Message> current = new HashSet<>();

    private ValidMemo(Set<Message> previous) {
        this.previous = previous;
    }

    /** A memo that knows nothing yet. */
    public static ValidMemo empty() {
        return new ValidMemo(Set.of());
    }

    /** A memo for the next check, knowing what this one found valid. */
    public ValidMemo next() {
        return new ValidMemo(current);
    }

    /** Drops what the previous generation knew (call when the check is done). */
    public void finish() {
        previous = Set.of();
    }

    static boolean isUnit(Descriptor d) {
        return UNITS.contains(d.getFullName());
    }

    boolean isKnownValid(Message m) {
        if (current.contains(m)) {
            return true;
        }
        if (previous.contains(m)) {
            current.add(m);
            return true;
        }
        return false;
    }

    void validated(Message m) {
        current.add(m);
    }
}
