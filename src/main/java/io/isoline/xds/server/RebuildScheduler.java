package io.isoline.xds.server;

import io.isoline.config.IsolineConfig;
import io.isoline.metrics.IsolineMetrics;
import io.isoline.state.ClusterState;
import io.isoline.xds.translate.ConfigTranslator;
import io.isoline.xds.translate.TranslateOptions;
import io.isoline.xds.translate.TranslationResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The one rebuild path. Sources call {@link #markDirty()} on every change; one thread rebuilds
 * from the whole current state at once when the system was quiet, or after a holdoff under bursts
 * (coalescing them), never later than the maximum delay after the first change waiting (the
 * policy is {@link Holdoff}); it translates, publishes, and hands the statuses on.
 *
 * <p>Nothing is published before {@link #start}: changes made while caches are still syncing only
 * mark the state dirty, so Envoy never gets a partial configuration from a starting controller.
 *
 * <p>Thread-safe: {@code markDirty} may be called from any thread; rebuilds run on one thread.
 */
@ApplicationScoped
public class RebuildScheduler {

    private static final Logger LOG = Logger.getLogger(RebuildScheduler.class);

    private final SnapshotPublisher publisher;
    /** Keeps each build's results for the next one; used only on the executor's thread. */
    private final ConfigTranslator translator = ConfigTranslator.incremental();
    private final IsolineMetrics metrics; // null outside the container (benchmarks)
    private final Holdoff holdoff; // guarded by this

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "isoline-rebuild");
        t.setDaemon(true);
        return t;
    });
    // Guarded by this.
    private boolean started;
    private ScheduledFuture<?> pending;
    // Set once in start(), read on the rebuild thread.
    private volatile Supplier<ClusterState> state;
    private volatile TranslateOptions options;
    private volatile Consumer<TranslationResult> onBuilt;
    private volatile List<String> lastWarnings = List.of();

    @Inject
    public RebuildScheduler(SnapshotPublisher publisher, IsolineConfig config, IsolineMetrics metrics) {
        this(publisher, config.rebuild().holdoff(), config.rebuild().maxDelay(), metrics);
    }

    public RebuildScheduler(SnapshotPublisher publisher, Duration holdoff, Duration maxDelay, IsolineMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.holdoff = new Holdoff(holdoff.toNanos(), maxDelay.toNanos());
    }

    /**
     * Starts paying, on the rebuild thread, for the first translation's one-time costs
     * ({@link ConfigTranslator#prepare()}), so that they overlap the loading of the first state
     * instead of following it; {@link #start} then runs after them on the same thread.
     */
    public void prepare() {
        executor.execute(() -> {
            long t0 = System.nanoTime();
            try {
                ConfigTranslator.prepare();
                LOG.debugf("prepared the first translation in %.1f ms", (System.nanoTime() - t0) / 1e6);
            } catch (RuntimeException e) {
                // Only time is lost: the first build does the same work itself.
                LOG.debugf("preparing the first translation failed: %s", e.getMessage());
            }
        });
    }

    /**
     * Builds and publishes the first configuration now (on the rebuild thread, waiting for it), then
     * follows {@link #markDirty()} calls.
     *
     * @param onBuilt receives every translation after it is published (statuses for the writer)
     */
    public void start(Supplier<ClusterState> state, TranslateOptions options, Consumer<TranslationResult> onBuilt) {
        this.state = state;
        this.options = options;
        this.onBuilt = onBuilt;
        try {
            executor.submit(this::rebuild).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the first build failed", e.getCause());
        }
        synchronized (this) {
            started = true;
        }
    }

    /**
     * Something changed: rebuild now if the system was quiet, else coalesce with what is waiting
     * (see {@link Holdoff}: at most the maximum delay after the first change still waiting).
     */
    public synchronized void markDirty() {
        if (!started) {
            return; // start() builds from the complete state anyway
        }
        long delay = holdoff.changed(System.nanoTime());
        if (pending != null) {
            pending.cancel(false); // not yet started (a started one clears pending first)
        }
        pending = executor.schedule(this::rebuild, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * How long a change has been waiting for, or a rebuild running, now; 0 when neither. A value
     * well past the maximum delay means publishing is stuck (memory pressure, a bug), and readiness
     * says so instead of staying UP with a configuration that no longer follows the cluster.
     */
    public synchronized long stalledNanos() {
        return holdoff.stalled(System.nanoTime());
    }

    private void rebuild() {
        synchronized (this) {
            pending = null;
            holdoff.started(System.nanoTime());
        }
        try {
            long start = System.nanoTime();
            TranslationResult result = translator.next(state.get(), options);
            if (!result.warnings().equals(lastWarnings)) {
                result.warnings().forEach(LOG::warn);
                lastWarnings = result.warnings();
            }
            boolean published = false;
            if (result.publishable()) {
                published = publisher.publish(result.resources(), System.nanoTime() - start);
            } else {
                // A translator bug, never bad input (objects at fault are rejected on their status).
                LOG.errorf("not publishing: Envoy would reject this configuration, the last published one stays in place: %s",
                        String.join("; ", result.errors()));
            }
            if (metrics != null) {
                metrics.rebuilt(System.nanoTime() - start, published);
                Map<List<String>, Integer> byNamespace = result.statuses().stream().collect(Collectors.groupingBy(
                        st -> List.of(st.kind(), st.namespace() == null ? "" : st.namespace(), st.currentStatus()),
                        Collectors.summingInt(st -> 1)));
                metrics.namespaceStatuses(byNamespace);
                metrics.statuses(byNamespace.entrySet().stream().collect(Collectors.groupingBy(
                        e -> e.getKey().get(0) + "/" + e.getKey().get(2), Collectors.summingInt(Map.Entry::getValue))));
            }
            onBuilt.accept(result);
        } catch (RuntimeException e) {
            // A bug, never bad input: keep the last good configuration and the thread alive.
            LOG.error("rebuild failed; the last published configuration stays in place", e);
        } finally {
            synchronized (this) {
                holdoff.finished();
            }
        }
    }

    @PreDestroy
    public void stop() {
        executor.shutdownNow();
    }
}
