package io.refcat.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Request counters for {@code GET /metrics} in Prometheus' text format (version 0.0.4): requests by
 * route and status, time and bytes by route, plus the JVM's heap and threads and the number of
 * datasets served. Routes are the first path segment ({@code zarr}, {@code stac}, …), so the
 * number of series stays small whatever clients ask for.
 */
public final class HttpMetrics {
    private static final java.util.Set<String> ROUTES = java.util.Set.of("zarr", "zarr3", "refs", "files", "stac",
            "health", "metrics", "datasets", "quicklook", "series", "federation");

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> micros = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final LongSupplier datasets;
    private final io.refcat.store.source.SourceCounter sources;
    private final io.refcat.store.source.RangeCache cache;

    public HttpMetrics(LongSupplier datasets) {
        this(datasets, new io.refcat.store.source.SourceCounter(), new io.refcat.store.source.RangeCache(0));
    }

    /** @param sources the requests this process makes of remote sources; {@code cache} their ranges kept */
    public HttpMetrics(LongSupplier datasets, io.refcat.store.source.SourceCounter sources, io.refcat.store.source.RangeCache cache) {
        this.datasets = datasets;
        this.sources = sources;
        this.cache = cache;
    }

    void record(String path, int status, long sent, long ms) {
        String route = routeOf(path);
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        micros.computeIfAbsent(route, k -> new LongAdder()).add(ms * 1000);
        if (sent > 0) {
            bytes.computeIfAbsent(route, k -> new LongAdder()).add(sent);
        }
    }

    static String routeOf(String path) {
        if (path == null || path.isEmpty()) {
            return "other";
        }
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        return first.isEmpty() ? "page" : ROUTES.contains(first) ? first : "other";
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP refcat_http_requests_total HTTP requests answered, by route and status.\n");
        out.append("# TYPE refcat_http_requests_total counter\n");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] rs = k.split("\u0000");
            out.append("refcat_http_requests_total{route=\"").append(rs[0]).append("\",status=\"").append(rs[1])
                    .append("\"} ").append(v.sum()).append('\n');
        });
        out.append("# HELP refcat_http_request_seconds_total Time spent answering requests, by route.\n");
        out.append("# TYPE refcat_http_request_seconds_total counter\n");
        new TreeMap<>(micros).forEach((route, v) -> out.append("refcat_http_request_seconds_total{route=\"").append(route)
                .append("\"} ").append(v.sum() / 1e6).append('\n'));
        out.append("# HELP refcat_http_response_bytes_total Response bytes sent, by route.\n");
        out.append("# TYPE refcat_http_response_bytes_total counter\n");
        new TreeMap<>(bytes).forEach((route, v) -> out.append("refcat_http_response_bytes_total{route=\"").append(route)
                .append("\"} ").append(v.sum()).append('\n'));
        single(out, "refcat_source_requests_total", "counter", "Requests made to remote sources (HTTP, S3), retries included.",
                sources.requests());
        single(out, "refcat_source_failures_total", "counter",
                "Remote source requests that failed (and were retried or reported).", sources.failures());
        single(out, "refcat_source_bytes_total", "counter", "Bytes read from remote sources.", sources.bytes());
        single(out, "refcat_source_request_seconds_total", "counter", "Time remote sources took to answer.", sources.seconds());
        single(out, "refcat_source_cache_hits_total", "counter", "Remote source reads answered from the range cache.", cache.hits());
        single(out, "refcat_source_cache_misses_total", "counter", "Remote source reads the range cache could not answer.",
                cache.misses());
        single(out, "refcat_datasets", "gauge", "Datasets served.", datasets.getAsLong());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        single(out, "jvm_memory_heap_used_bytes", "gauge", "Heap in use.", heap.getUsed());
        single(out, "jvm_memory_heap_max_bytes", "gauge", "Largest heap the JVM may use.", heap.getMax());
        single(out, "jvm_threads_live", "gauge", "Live threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        return out.toString();
    }

    /** A metric of one value, with its help and type lines. */
    private static void single(StringBuilder out, String name, String type, String help, Number value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(value).append('\n');
    }
}
