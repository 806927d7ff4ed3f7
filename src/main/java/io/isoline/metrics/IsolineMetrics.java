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
    public static final List<String> KINDS = List.of("IngressRoute", "TLSCertificateDelegation", "HTTPProxy", "TLSCertificateDelegationV1", "Ingress", "Service",
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
    private final Timer statusWrite;
    private final io.micrometer.core.instrument.MultiGauge byNamespace;

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
        statusWrite = Timer.builder("isoline.status.write").description("Status patches: one request to the API server, either outcome")
                .publishPercentileHistogram().register(registry);
        byNamespace = io.micrometer.core.instrument.MultiGauge.builder("isoline.objects.namespace")
                .description("Objects by kind, namespace and status after the last build (namespaces with none are dropped)")
                .register(registry);
        Gauge.builder("isoline.build.info", () -> 1).tag("version", version()).tag("java", System.getProperty("java.version", ""))
                .description("Always 1: the running build's version").strongReference(true).register(registry);
    }

    private static String version() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
    }

    /**
     * Counts of the last build's statuses by {@code [kind, namespace, status]}; a namespace whose
     * objects are all gone disappears from the scrape instead of reading 0 for ever.
     */
    public void namespaceStatuses(Map<List<String>, Integer> counts) {
        byNamespace.register(counts.entrySet().stream().map(e -> io.micrometer.core.instrument.MultiGauge.Row.of(
                io.micrometer.core.instrument.Tags.of("kind", e.getKey().get(0), "namespace", e.getKey().get(1), "status", e.getKey().get(2)),
                e.getValue())).toList(), true);
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

    /** Standalone mode: a changed manifest directory that could not be loaded (the last good configuration stays). */
    public void manifestsReloadFailed() {
        registry.counter("isoline.manifests.reload.failures").increment();
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

    public void statusWritten(boolean ok, long nanos) {
        (ok ? statusWrites : statusFailures).increment();
        statusWrite.record(nanos, TimeUnit.NANOSECONDS);
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
