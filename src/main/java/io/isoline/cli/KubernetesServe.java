package io.isoline.cli;

import io.isoline.metrics.IsolineMetrics;
import io.isoline.source.StateStore;
import io.isoline.source.WatchesReadiness;
import io.isoline.status.LeaderElection;
import io.isoline.status.StatusWriter;
import io.isoline.xds.server.RebuildScheduler;
import io.isoline.xds.translate.TranslateOptions;
import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Kubernetes mode: the operator's informers fill the {@link StateStore}; once they have synced the
 * first, complete configuration is built and published; from then on every change goes through
 * the {@link RebuildScheduler}, and each build's statuses go to the {@link StatusWriter} (which
 * writes only while {@link LeaderElection} says this replica leads).
 */
@ApplicationScoped
public class KubernetesServe {

    private static final Logger LOG = Logger.getLogger(KubernetesServe.class);

    @Inject
    Operator operator;

    @Inject
    StateStore store;

    @Inject
    RebuildScheduler scheduler;

    @Inject
    StatusWriter statusWriter;

    @Inject
    LeaderElection leaderElection;

    @Inject
    IsolineMetrics metrics;

    @Inject
    @Readiness
    WatchesReadiness watchesReadiness;

    /**
     * @param namespaces namespaces to watch; empty = all
     */
    public void start(TranslateOptions options, Set<String> namespaces) {
        // Filtered in the store, not by per-namespace informers (see StateStore.restrictTo); JOSDK's
        // changeNamespaces before start also fails (its informers do not exist yet).
        store.restrictTo(namespaces);
        watchesReadiness.follow();
        store.onChange(scheduler::markDirty);
        metrics.storeSizes(store::sizes, store::unreadable);
        long t0 = System.nanoTime();
        operator.start(); // returns once every informer has synced
        LOG.infof("informers synced in %.1f s: %s", (System.nanoTime() - t0) / 1e9, store.sizes());
        scheduler.start(store::snapshot, options, result -> statusWriter.submit(result.statuses()));
        leaderElection.start();
    }

    public void stop() {
        leaderElection.stop();
        operator.stop();
    }
}
