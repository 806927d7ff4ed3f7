package io.isoline.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.isoline.config.IsolineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Decides which replica writes status, with a coordination.k8s.io Lease (fabric8's leader
 * elector). Every replica serves xDS; only the leader's {@link StatusWriter} writes. With leader
 * election disabled this replica always writes.
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    @Inject
    KubernetesClient client;

    @Inject
    IsolineConfig config;

    @Inject
    StatusWriter writer;

    private CompletableFuture<?> elector;

    public synchronized void start() {
        var le = config.leaderElection();
        if (!le.enabled()) {
            writer.setLeader(true);
            return;
        }
        String identity = le.identity().orElseGet(LeaderElection::hostname);
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("isoline")
                .withLock(new LeaseLock(le.namespace(), le.leaseName(), identity))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LOG.infof("%s is the leader: writing status", identity);
                            writer.setLeader(true);
                        },
                        () -> {
                            LOG.infof("%s is no longer the leader", identity);
                            writer.setLeader(false);
                        },
                        newLeader -> LOG.infof("leader is %s", newLeader)))
                .build()).build().start();
    }

    public synchronized void stop() {
        if (elector != null) {
            elector.cancel(true);
        }
        writer.setLeader(false);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        } catch (UnknownHostException e) {
            return "isoline-" + UUID.randomUUID();
        }
    }
}
