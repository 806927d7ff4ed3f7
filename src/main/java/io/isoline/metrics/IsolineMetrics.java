package io.isoline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Isoline's meters (Prometheus names in docs/metrics.md): rebuild duration, publishes, objects by
 * kind and status, store sizes, xDS streams, pushes, ACKs and NACKs by type, status writes.
 *
 * <p>Thread-safe: Micrometer meters are; the gauges read atomics or concurrent maps.
 */
@ApplicationScoped
public class IsolineMetrics {

    /** The kinds the store holds, for per-kind gauges. */
    public static final List<String> KINDS = List.of("IngressRoute", "TLSCertificateDelegation", "Ingress", "Service",
            "EndpointSlice", "Endpoints", "Secret", "IngressClass");
    private static final List<String> STATUSES = List.of("valid", "invalid", "orphaned");
    private static final List<String> XDS_TYPES = List.of("ads", "lds", "rds", "cds", "eds", "sds");

    private final MeterRegistry registry;
    private final Timer rebuild;
    private final Counter publishes;
    private final AtomicLong lastPublishEpochSeconds = new AtomicLong();
    private final Map<String, AtomicInteger> objects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();
    private final Counter statusWrites;
    private final Counter statusFailures;

    @Inject
    public IsolineMetrics(MeterRegistry registry) {
        this.registry = registry;
        rebuild = Timer.builder("isoline.rebuild").description("Full rebuilds: translate and publish")
                .publishPercentileHistogram().register(registry);
        publishes = Counter.builder("isoline.snapshot.publishes").description("New configurations published").register(registry);
        Gauge.builder("isoline.snapshot.last.publish", lastPublishEpochSeconds, AtomicLong::get).baseUnit("seconds")
                .description("When the last configuration was published (epoch seconds)").register(registry);
        for (String kind : KINDS) {
            for (String status : STATUSES) {
                AtomicInteger n = objects.computeIfAbsent(kind + "/" + status, k -> new AtomicInteger());
                Gauge.builder("isoline.objects", n, AtomicInteger::get).tag("kind", kind).tag("status", status)
                        .description("Objects by status after the last build").register(registry);
            }
        }
        for (String type : XDS_TYPES) {
            AtomicInteger n = streams.computeIfAbsent(type, k -> new AtomicInteger());
            Gauge.builder("isoline.xds.streams", n, AtomicInteger::get).tag("type", type)
                    .description("Connected xDS streams").register(registry);
        }
        statusWrites = Counter.builder("isoline.status.writes").description("Status patches sent").register(registry);
        statusFailures = Counter.builder("isoline.status.failures").description("Status patches that failed").register(registry);
    }

    public void rebuilt(long nanos, boolean published) {
        rebuild.record(nanos, TimeUnit.NANOSECONDS);
        if (published) {
            publishes.increment();
            lastPublishEpochSeconds.set(System.currentTimeMillis() / 1000);
        }
    }

    /** Counts of the last build's statuses, keyed {@code kind/status}. */
    public void statuses(Map<String, Integer> counts) {
        objects.forEach((key, n) -> n.set(counts.getOrDefault(key, 0)));
    }

    /** Registers gauges for the store's per-kind sizes, and of those whose spec could not be read. */
    public void storeSizes(Supplier<Map<String, Integer>> sizes, Supplier<Map<String, Integer>> unreadable) {
        for (String kind : KINDS) {
            Gauge.builder("isoline.store.objects", sizes, s -> s.get().getOrDefault(kind, 0)).tag("kind", kind).strongReference(true)
                    .description("Objects held in the state store").register(registry);
            Gauge.builder("isoline.store.unreadable", unreadable, s -> s.get().getOrDefault(kind, 0)).tag("kind", kind)
                    .strongReference(true).description("Objects whose spec has a value of the wrong shape (each is invalid)")
                    .register(registry);
        }
    }

    public void streamOpened(String type) {
        streams.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
    }

    public void streamClosed(String type) {
        streams.computeIfAbsent(type, k -> new AtomicInteger()).decrementAndGet();
    }

    /** A response (configuration) carrying {@code resources} resources sent to a node. */
    public void pushed(String type, int resources) {
        registry.counter("isoline.xds.pushes", "type", type).increment();
        registry.counter("isoline.xds.resources.sent", "type", type).increment(resources);
    }

    public void acked(String type) {
        registry.counter("isoline.xds.acks", "type", type).increment();
    }

    public void nacked(String type) {
        registry.counter("isoline.xds.nacks", "type", type).increment();
    }

    public void statusWritten(boolean ok) {
        (ok ? statusWrites : statusFailures).increment();
    }

    /** {@code lds}, {@code rds}, ... for an xDS type URL; {@code ads} for an aggregated stream's empty one. */
    public static String shortType(String typeUrl) {
        if (typeUrl == null || typeUrl.isEmpty()) {
            return "ads";
        }
        if (typeUrl.endsWith(".Listener")) {
            return "lds";
        }
        if (typeUrl.endsWith(".RouteConfiguration")) {
            return "rds";
        }
        if (typeUrl.endsWith(".Cluster")) {
            return "cds";
        }
        if (typeUrl.endsWith(".ClusterLoadAssignment")) {
            return "eds";
        }
        return typeUrl.endsWith(".Secret") ? "sds" : "other";
    }
}
