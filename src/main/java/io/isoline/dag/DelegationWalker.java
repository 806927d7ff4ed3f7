package io.isoline.dag;

import io.isoline.dag.RouteAction.WeightedCluster;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteSpec;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Walks one root IngressRoute's delegation tree. Each visit returns what it would contribute (its
 * routes and its descendants' outcomes) without touching the build, so the caller commits it only
 * when the visit is valid: an invalid object never changes what is served.
 *
 * <p>Rules: a child's matches must lie inside the delegating route's prefix by whole path
 * elements; the object whose route closes a cycle is invalid; a route with both services and a
 * delegate is invalid; a delegate that does not exist drops that route with a note.
 */
final class DelegationWalker {

    /**
     * A route ready for the host table. {@code lineage} names the delegations its object was
     * reached through ({@code "ns/name /prefix"} of each delegating route, from the root), and
     * {@code scope} is the prefix of the last one (null for the root's own routes).
     */
    record PendingRoute(String match, RouteAction action, boolean permitInsecure, ObjectKey owner, List<String> lineage,
            String scope) {
    }

    /**
     * A zone of the path space: a delegated prefix (given to the objects whose lineage starts with
     * {@code lineage}), or one of the root's own routes ({@code exclusiveOwner}: the root).
     */
    record Zone(String prefix, List<String> lineage, ObjectKey exclusiveOwner) {
    }

    /** What a visit contributes if it is committed. */
    static final class Visit {
        final List<PendingRoute> routes = new ArrayList<>();
        final List<Zone> zones = new ArrayList<>();
        final Set<ObjectKey> valid = new HashSet<>();
        final Map<ObjectKey, String> invalid = new HashMap<>();
        final Map<ObjectKey, List<String>> notes = new HashMap<>();

        void note(ObjectKey key, String note) {
            notes.computeIfAbsent(key, k -> new ArrayList<>()).add(note);
        }

        void absorb(Visit child) {
            routes.addAll(child.routes);
            zones.addAll(child.zones);
            valid.addAll(child.valid);
            child.invalid.forEach(invalid::putIfAbsent);
            child.notes.forEach((k, v) -> notes.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
    }

    private final Map<ObjectKey, IngressRoute> objects;
    private final RouteServices services;
    private final Map<String, String> rejected;

    DelegationWalker(Map<ObjectKey, IngressRoute> objects, RouteServices services, Map<String, String> rejected) {
        this.objects = objects;
        this.services = services;
        this.rejected = rejected;
    }

    /**
     * Visits {@code key} reached through {@code chain} (ending with {@code key}) under
     * {@code parentMatch} (null for a root).
     *
     * @throws InvalidObject when {@code key} itself is invalid in this visit
     */
    Visit visit(ObjectKey key, String parentMatch, List<ObjectKey> chain) throws InvalidObject {
        visits = 0;
        return visit(key, parentMatch, chain, List.of());
    }

    /**
     * Objects one root's tree may visit: delegations can form a diamond (each level delegating two
     * prefixes to the next), which followed blindly grows exponentially with a tenant's few objects.
     */
    static final int MAX_VISITS_PER_ROOT = 10_000;
    private int visits;

    /** The tree is too large: the root is invalid (not the object where the budget ran out). */
    static final class TreeTooLarge extends InvalidObject {
        TreeTooLarge() {
            super("the delegation tree is larger than " + MAX_VISITS_PER_ROOT + " delegated objects");
        }
    }

    private Visit visit(ObjectKey key, String parentMatch, List<ObjectKey> chain, List<String> lineage) throws InvalidObject {
        if (++visits > MAX_VISITS_PER_ROOT) {
            throw new TreeTooLarge();
        }
        String rejection = rejected.get(IngressRoute.KIND + " " + key);
        if (rejection != null) {
            throw new InvalidObject(rejection);
        }
        IngressRoute ir = objects.get(key);
        if (ir.getSpec() != null && ir.getSpec().decodeProblem() != null) {
            throw new InvalidObject(ir.getSpec().decodeProblem());
        }
        Visit visit = new Visit();
        List<IngressRouteSpec.Route> routes = ir.getSpec() == null || ir.getSpec().routes == null
                ? List.of() : ir.getSpec().routes;
        for (int i = 0; i < routes.size(); i++) {
            IngressRouteSpec.Route route = routes.get(i);
            if (route == null) {
                throw new InvalidObject("spec.routes[" + i + "] is empty");
            }
            String where = "route \"" + (route.match == null ? "" : route.match) + "\"";
            if (route.match == null || !route.match.startsWith("/")) {
                throw new InvalidObject(where + ": match must be a path prefix starting with /");
            }
            if (Names.pathProblem(route.match) != null) {
                throw new InvalidObject(where + ": match " + Names.pathProblem(route.match));
            }
            if (route.prefixRewrite != null && Names.pathProblem(route.prefixRewrite) != null) {
                throw new InvalidObject(where + ": prefixRewrite " + Names.pathProblem(route.prefixRewrite));
            }
            if (parentMatch != null && !contains(parentMatch, route.match)) {
                throw new InvalidObject("the path prefix \"" + route.match + "\" does not match the parent's path prefix \""
                        + parentMatch + "\"");
            }
            boolean hasServices = route.services != null && !route.services.isEmpty();
            if (hasServices && route.delegate != null) {
                throw new InvalidObject(where + ": cannot specify services and delegate in the same route");
            }
            if (hasServices) {
                List<WeightedCluster> clusters = services.clusters(key, route.services, where);
                RoutePolicy policy = services.policy(route, route.services, where, n -> visit.note(key, n));
                visit.routes.add(new PendingRoute(route.match, new RouteAction.Forward(clusters, policy),
                        Boolean.TRUE.equals(route.permitInsecure), key, lineage, parentMatch));
                if (parentMatch == null) {
                    visit.zones.add(new Zone(route.match, lineage, key));
                }
            } else if (route.delegate != null) {
                List<String> deeper = new ArrayList<>(lineage);
                deeper.add(key + " " + route.match);
                visit.zones.add(new Zone(route.match, List.copyOf(deeper), null));
                delegate(key, route, where, chain, deeper, visit);
            } else {
                // Contour skips such a route and keeps the object: it claims no path and serves nothing.
                visit.note(key, where + ": has neither services nor a delegate, the route is not served");
            }
        }
        visit.valid.add(key);
        return visit;
    }

    private void delegate(ObjectKey key, IngressRouteSpec.Route route, String where, List<ObjectKey> chain, List<String> lineage,
            Visit visit) throws InvalidObject {
        ObjectKey target = target(key, route.delegate);
        if (chain.contains(target)) {
            throw new InvalidObject("route creates a delegation cycle: " + chain.stream().map(ObjectKey::toString)
                    .collect(Collectors.joining(" -> ")) + " -> " + target);
        }
        if (!objects.containsKey(target)) {
            visit.note(key, where + ": delegate " + target + " not found, the route is not served");
            return;
        }
        IngressRouteSpec targetSpec = objects.get(target).getSpec();
        if (targetSpec != null && targetSpec.virtualhost != null) {
            // Contour refuses it too: another team's root would be served under this host, over
            // plain HTTP, past its own TLS redirect. The target root is not affected.
            visit.note(key, where + ": delegate " + target + " is a root IngressRoute; a root cannot be delegated to, the route is not served");
            return;
        }
        List<ObjectKey> next = new ArrayList<>(chain);
        next.add(target);
        try {
            visit.absorb(visit(target, route.match, next, List.copyOf(lineage)));
        } catch (TreeTooLarge e) {
            throw e;
        } catch (InvalidObject e) {
            visit.invalid.putIfAbsent(target, e.getMessage());
        }
    }

    static ObjectKey target(ObjectKey from, IngressRouteSpec.Delegate delegate) {
        return ObjectKey.of(delegate.namespace, delegate.name, from.namespace());
    }

    /** Whole-path-element containment: {@code /foo} contains {@code /foo} and {@code /foo/bar}, not {@code /foobar}. */
    static boolean contains(String parent, String child) {
        String p = parent.length() > 1 && parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
        if (p.equals("/")) {
            return child.startsWith("/");
        }
        return child.equals(p) || child.startsWith(p + "/");
    }
}
