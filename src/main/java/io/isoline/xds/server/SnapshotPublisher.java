package io.isoline.xds.server;

import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.isoline.xds.translate.XdsResources;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Publishes translated resources to every connected xDS stream through java-control-plane's
 * {@link SimpleCache}, one snapshot per node group ({@link NodeGroups}). Each publish is checked with {@link Snapshot#ensureConsistent()} first, so
 * Envoy is never sent a listener whose route table, or a cluster whose endpoints, are missing.
 * Per-type versions come from content, so only the types that changed are re-sent.
 *
 * Snapshots are assembled by {@link SnapshotAssembler}, which reuses what the previous publish made
 * for every type that did not change.
 *
 * <p>Thread-safe: publishes are serialised (one rebuild thread makes them in practice), and
 * {@link SimpleCache#setSnapshot} is synchronized.
 */
@ApplicationScoped
public class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);
    /** How long one step of a transition waits for the clients; a stuck client must not stall the others. */
    private static final java.time.Duration STEP_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final SimpleCache<String> cache = new SimpleCache<>(new NodeGroups());
    private final EndpointUpdates endpointUpdates = new EndpointUpdates(new LenientAdsWatcher(new NackAwareWatcher(cache)));
    private final AtomicReference<XdsResources> current = new AtomicReference<>();
    private final AtomicLong publishes = new AtomicLong();
    private final StreamProgress progress = new StreamProgress();
    /** Used under {@link #publish}'s lock. */
    private final SnapshotAssembler assembler = new SnapshotAssembler();

    /** The cache the xDS server watches. */
    public SimpleCache<String> cache() {
        return cache;
    }

    /** Callback that tells the publisher which clients have answered (register with the xDS server). */
    StreamProgress progress() {
        return progress;
    }

    /**
     * What the xDS server watches: the cache, with NACKs handled ({@link NackAwareWatcher}) and EDS
     * sent cluster by cluster ({@link EndpointUpdates}, which must also be registered as a callback).
     */
    EndpointUpdates watcher() {
        return endpointUpdates;
    }

    /**
     * Publishes {@code resources} to every node group, unless they equal what is already published.
     *
     * @param buildNanos how long the rebuild took, for the log line
     * @return true if a new version was published
     */
    public synchronized boolean publish(XdsResources resources, long buildNanos) {
        XdsResources previous = current.get();
        if (previous != null && previous.version().equals(resources.version())) {
            return false;
        }
        long start = System.nanoTime();
        Snapshot snapshot = assembler.envoy(resources);
        try {
            assembler.ensureConsistent(snapshot);
        } catch (SnapshotConsistencyException e) {
            // A translator bug, never bad input: keep serving the last good configuration.
            LOG.errorf("not publishing version %s, it is inconsistent: %s", resources.version(), e.getMessage());
            return false;
        }
        List<XdsResources> steps = Transition.steps(previous, resources);
        for (int i = 0; i < steps.size() - 1; i++) {
            long mark = progress.now();
            set(steps.get(i), assembler.envoy(steps.get(i)));
            try {
                if (!progress.awaitReplies(mark, STEP_TIMEOUT)) {
                    LOG.warnf("publishing version %s: not every xDS client answered step %d of %d within %d s; going on",
                            resources.version(), i + 1, steps.size(), STEP_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        set(resources, snapshot);
        current.set(resources);
        publishes.incrementAndGet();
        long setNanos = System.nanoTime() - start;
        LOG.infof("published version %s: %d listeners, %d routes, %d clusters, %d endpoints, %d secrets in %.1f ms (built in %.1f, set in %.1f)",
                resources.version(), resources.listeners().size(), resources.routes().size(),
                resources.clusters().size(), resources.endpoints().size(), resources.secrets().size(),
                (buildNanos + setNanos) / 1e6, buildNanos / 1e6, setNanos / 1e6);
        return true;
    }

    private void set(XdsResources resources, Snapshot snapshot) {
        Snapshot grpc = assembler.grpc(resources);
        endpointUpdates.record(snapshot);
        endpointUpdates.record(grpc);
        cache.setSnapshot(NodeGroups.ENVOY, snapshot);
        cache.setSnapshot(NodeGroups.GRPC, grpc);
    }

    /** What was last published, or null before the first publish. */
    public XdsResources current() {
        return current.get();
    }

    public long publishCount() {
        return publishes.get();
    }

    /** The java-control-plane snapshot for a set of resources, with per-type versions. */
    public static Snapshot toSnapshot(XdsResources r) {
        return new SnapshotAssembler().envoy(r);
    }
}
