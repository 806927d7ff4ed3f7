package io.isoline.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady keep-alive load through Envoy: each {@link Stream} is one client connection (HTTP/1.1,
 * h2c, or HTTP/2 over TLS with SNI) sending one request after another to one host. Counts
 * requests, failures (an exception, or an answer that is not 200 from a backend), the connections
 * each stream had to open (1 when Envoy never closed it), and latencies. Thread-safe.
 */
public final class SteadyLoad implements AutoCloseable {

    public enum Kind { HTTP1, H2C, TLS_H2 }

    /** One client connection to {@code host} at {@code port}, requesting {@code path}. */
    public record Stream(Kind kind, int port, String host, String path) {
    }

    /** Totals; {@code failures} holds the first few failure messages by kind. */
    public record Result(long requests, long failed, long connectionsOpened, int streams, long p50Micros, long p99Micros,
            long maxMicros, Map<String, Long> failures, Map<String, Long> byBackend, Map<String, Long> connectionsByKind) {
        public long reconnects() {
            return connectionsOpened - streams;
        }
    }

    private final List<HttpClient> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LongAdder requests = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final Map<String, Long> connectionsByKind = new ConcurrentHashMap<>();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byBackend = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final long[] latencies = new long[1 << 22];
    private final AtomicLong latencyCount = new AtomicLong();
    private final int streams;

    private SteadyLoad(Vertx vertx, List<Stream> streams) {
        this.streams = streams.size();
        for (Stream s : streams) {
            HttpClientOptions o = new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(1).setHttp2MaxPoolSize(1)
                    .setHttp2MultiplexingLimit(1).setIdleTimeout(0);
            switch (s.kind()) {
                case H2C -> o.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
                case TLS_H2 -> o.setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true).setTrustAll(true)
                        .setVerifyHost(false).setForceSni(true);
                case HTTP1 -> { }
            }
            HttpClient client = vertx.httpClientBuilder().with(o).withConnectHandler(c -> {
                connections.increment();
                connectionsByKind.merge(s.kind().name(), 1L, Long::sum);
            }).build();
            clients.add(client);
            next(client, s);
        }
    }

    /** Starts the streams; they run until {@link #stop()}. */
    public static SteadyLoad start(Vertx vertx, List<Stream> streams) {
        return new SteadyLoad(vertx, streams);
    }

    private void next(HttpClient client, Stream s) {
        if (!running.get()) {
            return;
        }
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        RequestOptions r = new RequestOptions().setMethod(HttpMethod.GET).setServer(SocketAddress.inetSocketAddress(s.port(), "127.0.0.1"))
                .setHost(s.host()).setPort(s.port()).setURI(s.path()).setTimeout(10_000);
        client.request(r).compose(req -> req.send().compose(resp -> resp.body().map(b -> {
            String backend = resp.getHeader("x-backend");
            return resp.statusCode() == 200 && backend != null ? backend : "!" + resp.statusCode() + " " + b.toString().trim();
        }))).onComplete(ar -> {
            inFlight.decrementAndGet();
            requests.increment();
            long i = latencyCount.getAndIncrement();
            if (i < latencies.length) {
                latencies[(int) i] = (System.nanoTime() - start) / 1000;
            }
            if (ar.failed() || ar.result().startsWith("!")) {
                failed.increment();
                String why = ar.failed() ? ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage() : ar.result();
                failures.merge(s.host() + " " + s.kind() + " " + why, 1L, Long::sum);
            } else {
                byBackend.computeIfAbsent(ar.result(), k -> new LongAdder()).increment();
            }
            next(client, s);
        });
    }

    /** What has happened so far. */
    public Result snapshot() {
        int n = (int) Math.min(latencyCount.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        Map<String, Long> backends = new TreeMap<>();
        byBackend.forEach((k, v) -> backends.put(k, v.sum()));
        return new Result(requests.sum(), failed.sum(), connections.sum(), streams, percentile(sorted, 0.5),
                percentile(sorted, 0.99), n == 0 ? 0 : sorted[n - 1], new TreeMap<>(failures), backends,
                new TreeMap<>(connectionsByKind));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    /** Stops sending, waits (bounded) for the requests in flight, and returns the totals. */
    public Result stop() throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return snapshot();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        clients.forEach(HttpClient::close);
    }
}
