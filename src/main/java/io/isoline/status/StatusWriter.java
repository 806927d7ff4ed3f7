package io.isoline.status;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.isoline.config.IsolineConfig;
import io.isoline.dag.ObjectStatus;
import io.isoline.k8s.IngressRoute;
import io.isoline.k8s.IngressRouteStatus;
import io.isoline.metrics.IsolineMetrics;
import io.isoline.source.StateStore;
import io.isoline.state.ObjectKey;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Writes statuses back to the API server, on the leader only: IngressRoute {@code currentStatus} and
 * {@code description}, and Ingress {@code status.loadBalancer} (set on served Ingresses, cleared
 * where it holds our address on Ingresses we no longer serve). A status is patched only when it
 * differs from what the informer cache shows.
 *
 * <p>Never blocks the publisher: {@link #submit} only swaps in the newest batch; one writer thread
 * works through it, and a newer batch replaces one not yet started.
 *
 * <p>Each status is one request, a JSON Patch replacing the status subresource from what the
 * informer cache shows (no read first), in production and in tests alike (the mock API server
 * cannot do server-side apply); up to {@link #WRITERS} run at once.
 */
@ApplicationScoped
public class StatusWriter {

    private static final Logger LOG = Logger.getLogger(StatusWriter.class);

    @Inject
    KubernetesClient client;

    @Inject
    StateStore store;

    @Inject
    IsolineConfig config;

    @Inject
    IsolineMetrics metrics;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "isoline-status");
        t.setDaemon(true);
        return t;
    });
    /** Patches in flight at once: the API server (and etcd, which commits concurrent writes together) keeps up. */
    static final int WRITERS = 4;
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> {
        Thread t = new Thread(r, "isoline-status-write");
        t.setDaemon(true);
        return t;
    });
    /** The current batch's patches; touched by the writer thread only. */
    private final List<java.util.concurrent.Future<?>> inFlight = new java.util.ArrayList<>();
    private final AtomicReference<List<ObjectStatus>> next = new AtomicReference<>();
    private volatile List<ObjectStatus> lastBatch = List.of();
    private volatile boolean leader;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Queues the statuses of a build; returns at once. */
    public void submit(List<ObjectStatus> statuses) {
        lastBatch = statuses;
        if (leader && next.getAndSet(statuses) == null) {
            executor.execute(this::drain);
        }
    }

    /** Called by leader election; a new leader writes the latest statuses at once. */
    public void setLeader(boolean isLeader) {
        leader = isLeader;
        if (isLeader) {
            submit(lastBatch);
        }
    }

    public long writes() {
        return writes.get();
    }

    public long failures() {
        return failures.get();
    }

    private void drain() {
        List<ObjectStatus> batch = next.getAndSet(null);
        if (batch == null || !leader) {
            return;
        }
        Set<ObjectKey> servedIngresses = new HashSet<>();
        List<IngressLoadBalancerIngress> ours = addresses(); // once per batch: Ingresses and HTTPProxies alike
        for (ObjectStatus s : batch) {
            if (s.kind().equals(IngressRoute.KIND)) {
                writeIngressRoute(s);
            } else if (s.kind().equals(io.isoline.k8s.HTTPProxy.KIND)) {
                HTTPProxyStatuses.write(s, store, client, this::patch, ours);
            } else if (s.kind().equals("Ingress") && s.currentStatus().equals(ObjectStatus.VALID)) {
                servedIngresses.add(new ObjectKey(s.namespace(), s.name()));
            }
        }
        writeIngresses(servedIngresses, ours);
        // A batch ends when its patches have: the next one compares with a cache that has them.
        for (var f : inFlight) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("status write failed", e.getCause()); // patch() handles API errors; this is a bug
            }
        }
        inFlight.clear();
    }

    private void writeIngressRoute(ObjectStatus s) {
        IngressRoute current = store.itemStore(IngressRoute.class).get(s.namespace() + "/" + s.name());
        if (current == null) {
            return;
        }
        IngressRouteStatus have = current.getStatus();
        if (have != null && s.currentStatus().equals(have.currentStatus) && s.description().equals(have.description)) {
            return;
        }
        IngressRouteStatus status = new IngressRouteStatus();
        status.currentStatus = s.currentStatus();
        status.description = s.description();
        patch("IngressRoute " + s.namespace() + "/" + s.name(), () -> replaceStatus(client.resources(IngressRoute.class)
                .inNamespace(s.namespace()).withName(s.name()), status));
    }

    /**
     * Replaces an object's whole status in one request, from what the informer cache shows (no GET
     * first, as {@code editStatus} does): a JSON Patch {@code add} of {@code /status}, which sets it
     * whether or not the object has one yet.
     */
    static void replaceStatus(io.fabric8.kubernetes.client.dsl.Resource<?> resource, Object status) {
        String value = io.fabric8.kubernetes.client.utils.Serialization.asJson(status);
        resource.subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + value + "}]");
    }

    /** @param ours the addresses to publish, or null when none is configured */
    private void writeIngresses(Set<ObjectKey> served, List<IngressLoadBalancerIngress> ours) {
        if (ours == null) {
            return; // no address configured: Ingress status is not ours to manage
        }
        store.itemStore(Ingress.class).values().forEach(ingress -> {
            ObjectKey key = new ObjectKey(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName());
            List<IngressLoadBalancerIngress> have = ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                    ? List.of() : nullSafe(ingress.getStatus().getLoadBalancer().getIngress());
            List<IngressLoadBalancerIngress> want = served.contains(key) ? ours
                    : (!have.isEmpty() && have.equals(ours) ? List.of() : have);
            if (!Objects.equals(have, want)) {
                patch("Ingress " + key, () -> replaceStatus(client.network().v1().ingresses().inNamespace(key.namespace())
                        .withName(key.name()), new IngressStatus(new IngressLoadBalancerStatus(want))));
            }
        });
    }

    /** The load-balancer addresses to publish, or null when none is configured. */
    private List<IngressLoadBalancerIngress> addresses() {
        if (config.status().envoyService().isPresent()) {
            ObjectKey key = ObjectKey.parse(config.status().envoyService().get(), "default");
            Service envoy = store.itemStore(Service.class).get(key.toString());
            if (envoy == null || envoy.getStatus() == null || envoy.getStatus().getLoadBalancer() == null) {
                return List.of();
            }
            return nullSafe(envoy.getStatus().getLoadBalancer().getIngress()).stream().map(StatusWriter::convert).toList();
        }
        return config.status().address().map(a -> List.of(a.matches("[0-9.:]+")
                ? new IngressLoadBalancerIngressBuilder().withIp(a).build()
                : new IngressLoadBalancerIngressBuilder().withHostname(a).build())).orElse(null);
    }

    private static IngressLoadBalancerIngress convert(LoadBalancerIngress i) {
        return new IngressLoadBalancerIngressBuilder().withIp(i.getIp()).withHostname(i.getHostname()).build();
    }

    /** Runs one status patch on the writers (at most {@link #WRITERS} at once), counting and logging its outcome. */
    void patch(String what, Runnable call) {
        inFlight.add(writers.submit(() -> write(what, call)));
    }

    private void write(String what, Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
            writes.incrementAndGet();
            metrics.statusWritten(true, System.nanoTime() - start);
        } catch (KubernetesClientException e) {
            // Gone since the build, or a conflict: the next build writes it again if still needed.
            failures.incrementAndGet();
            metrics.statusWritten(false, System.nanoTime() - start);
            LOG.warnf("status of %s not written: %s", what, e.getMessage());
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        writers.shutdownNow();
    }
}
