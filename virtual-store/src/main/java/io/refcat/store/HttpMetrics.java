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

    public HttpMetrics(LongSupplier datasets) {
        this.datasets = datasets;
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
        out.append("# HELP refcat_datasets Datasets served.\n# TYPE refcat_datasets gauge\n");
        out.append("refcat_datasets ").append(datasets.getAsLong()).append('\n');
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.append("# HELP jvm_memory_heap_used_bytes Heap in use.\n# TYPE jvm_memory_heap_used_bytes gauge\n");
        out.append("jvm_memory_heap_used_bytes ").append(heap.getUsed()).append('\n');
        out.append("# HELP jvm_memory_heap_max_bytes Largest heap the JVM may use.\n");
        out.append("# TYPE jvm_memory_heap_max_bytes gauge\n");
        out.append("jvm_memory_heap_max_bytes ").append(heap.getMax()).append('\n');
        out.append("# HELP jvm_threads_live Live threads.\n# TYPE jvm_threads_live gauge\n");
        out.append("jvm_threads_live ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        return out.toString();
    }
}
