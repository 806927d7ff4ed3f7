package io.isoline.dag;

import io.isoline.state.ClusterState;
import java.util.Map;

/**
 * The core's entry point: {@code ClusterState -> Dag}. Processors run in a fixed order over one
 * shared {@link BuildContext}: root IngressRoutes then root HTTPProxies claim their hosts, then
 * Ingresses, IngressRoutes and HTTPProxies are processed.
 *
 * <p>Pure: no I/O; the same input always gives an equal output, with or without a {@link DagCache}
 * (a cache is the caller's and is used by one build at a time; without one, a build is thread-safe).
 */
public final class DagBuilder {

    private DagBuilder() {
    }

    /**
     * Pays ahead, on the calling thread, for what the first build would otherwise do once per process
     * and is the same every time (the JDK's first P-256 signature, which checking a TLS Secret's key
     * pair needs). Optional: a build is the same without it, only slower the first time.
     */
    public static void prepare() {
        KeyPairCheck.warmUp();
    }

    public static Dag build(ClusterState state, DagOptions options) {
        return build(state, options, Map.of());
    }

    /**
     * Builds with some objects rejected up front: each gets an {@code invalid} status with the given
     * reason and contributes nothing, exactly as if the core had found the problem itself (so a
     * rejected delegate only loses its own routes).
     *
     * @param rejected reasons by owner ({@code Kind namespace/name}, as {@link Route#owner()})
     */
    public static Dag build(ClusterState state, DagOptions options, Map<String, String> rejected) {
        return build(state, options, rejected, new DagCache());
    }

    /**
     * Builds reusing what {@code cache} kept from the previous build where nothing it read has
     * changed; the result equals {@link #build(ClusterState, DagOptions, Map)}'s. Leaves this
     * build's results in the cache for the next.
     */
    public static Dag build(ClusterState state, DagOptions options, Map<String, String> rejected, DagCache cache) {
        Map<String, String> rejections = Map.copyOf(rejected);
        cache.begin(new BuildContext.Inputs(options, BuildContext.unshared(state)), state, rejections);
        Dag quick = QuickBuild.attempt(state, options, rejections, cache);
        if (quick != null) {
            cache.endQuick(quick);
            return quick;
        }
        cache.full();
        BuildContext ctx = new BuildContext(state, options, rejections, cache, cache.hosts);
        IngressRouteProcessor ingressRoutes = new IngressRouteProcessor(ctx);
        HTTPProxyProcessor proxies = new HTTPProxyProcessor(ctx);
        ingressRoutes.claimHosts();
        proxies.claimHosts();
        cache.ingressReads = ctx.reads.tracked(() -> new IngressProcessor(ctx).run());
        ingressRoutes.run();
        proxies.run();
        return ctx.finish();
    }
}
