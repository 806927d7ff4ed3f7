package io.isoline.dag;

import io.isoline.state.ClusterState;

/**
 * The core's entry point: {@code ClusterState -> Dag}. Processors run in a fixed order (Ingress,
 * then IngressRoute) over one shared {@link BuildContext}.
 *
 * <p>Pure and thread-safe: no I/O, no shared state; the same input always gives an equal output.
 */
public final class DagBuilder {

    private DagBuilder() {
    }

    public static Dag build(ClusterState state, DagOptions options) {
        BuildContext ctx = new BuildContext(state, options);
        new IngressProcessor(ctx).run();
        new IngressRouteProcessor(ctx).run();
        return ctx.finish();
    }
}
