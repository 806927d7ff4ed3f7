package io.isoline.dag;

import io.isoline.k8s.HTTPProxy;
import io.isoline.state.ObjectKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What one build found about one HTTPProxy, as Contour reports it: errors and warnings of its
 * {@code Valid} condition, and whether a root reached it. {@code valid} with no errors, {@code
 * invalid} with any (the parts without errors may still be served, as in Contour), {@code
 * orphaned} when nothing reached it.
 */
final class ProxyReport {

    static final String VALID = "Valid HTTPProxy";
    static final String ORPHANED = "this HTTPProxy is not part of a delegation chain from a root HTTPProxy";

    private final ObjectKey key;
    private final Reads reads;
    private final List<ObjectStatus.Problem> errors = new ArrayList<>();
    private final List<ObjectStatus.Problem> warnings = new ArrayList<>();
    private boolean reached;

    /** @param reads every finding is an effect on the build (see {@link Reads}), replayed when a root's walk is reused */
    ProxyReport(ObjectKey key, Reads reads) {
        this.key = key;
        this.reads = reads;
    }

    /** A finding on {@code key}'s report: an error or a warning, or (no problem) that a root reached it. */
    record Finding(ObjectKey key, ObjectStatus.Problem problem, boolean error) implements Reads.Effect {
        @Override
        public void apply(BuildContext ctx) {
            ProxyReport r = ctx.proxyReports.apply(key);
            if (problem == null) {
                r.reached = true;
            } else {
                r.add(problem, error);
            }
        }
    }

    void error(String type, String reason, String message) {
        reads.effect(new Finding(key, new ObjectStatus.Problem(type, reason, message), true));
    }

    void warning(String type, String reason, String message) {
        reads.effect(new Finding(key, new ObjectStatus.Problem(type, reason, message), false));
    }

    /** A root reached this object. */
    void reach() {
        reads.effect(new Finding(key, null, false));
    }

    private void add(ObjectStatus.Problem p, boolean error) {
        List<ObjectStatus.Problem> list = error ? errors : warnings;
        if (!list.contains(p)) {
            list.add(p);
        }
    }

    ObjectStatus status() {
        String state;
        String description;
        if (!errors.isEmpty()) {
            state = ObjectStatus.INVALID;
            description = String.join("; ", errors.stream().map(ObjectStatus.Problem::message).toList());
        } else if (reached) {
            state = ObjectStatus.VALID;
            description = VALID;
        } else {
            state = ObjectStatus.ORPHANED;
            description = ORPHANED;
            return new ObjectStatus(HTTPProxy.API_VERSION, HTTPProxy.KIND, key.namespace(), key.name(), state, description,
                    List.of(new ObjectStatus.Problem("Orphaned", "Orphaned", ORPHANED)), warnings);
        }
        return new ObjectStatus(HTTPProxy.API_VERSION, HTTPProxy.KIND, key.namespace(), key.name(), state, description,
                errors, warnings);
    }
}
