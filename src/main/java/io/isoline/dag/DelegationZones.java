package io.isoline.dag;

import io.isoline.dag.DelegationWalker.PendingRoute;
import io.isoline.dag.DelegationWalker.Zone;
import java.util.List;

/**
 * A more specific delegation owns its subtree, like a DNS zone cut: an object reached through a
 * delegation of {@code /} cannot serve a path inside another delegation ({@code /blog}, given to
 * another team) or inside one of the root's own routes. Only zones more specific than the
 * object's own delegation count, so an object keeps the routes it defines beside a delegation of
 * its whole prefix. The root's own routes are never refused: the root decides its host. Pure.
 */
final class DelegationZones {

    private DelegationZones() {
    }

    /** Why {@code route} reaches into another object's zone, or null when it does not. */
    static String conflict(PendingRoute route, List<Zone> zones) {
        if (route.scope() == null) {
            return null;
        }
        for (Zone z : zones) {
            boolean inside = DelegationWalker.contains(z.prefix(), route.match())
                    && DelegationWalker.contains(route.scope(), z.prefix()) && !same(route.scope(), z.prefix());
            if (!inside) {
                continue;
            }
            if (z.exclusiveOwner() != null) {
                return "route \"" + route.match() + "\" is inside the root's own route \"" + z.prefix() + "\" and is not served";
            }
            if (!isPrefix(z.lineage(), route.lineage())) {
                String by = z.lineage().get(z.lineage().size() - 1);
                return "route \"" + route.match() + "\" is inside the delegation of \"" + z.prefix() + "\" by "
                        + by.substring(0, by.indexOf(' ')) + " and is not served";
            }
        }
        return null;
    }

    private static boolean same(String a, String b) {
        return DelegationWalker.contains(a, b) && DelegationWalker.contains(b, a);
    }

    private static boolean isPrefix(List<String> prefix, List<String> of) {
        return prefix.size() <= of.size() && of.subList(0, prefix.size()).equals(prefix);
    }
}
