package io.refcat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.cli.Refcat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server under load: {@code refcat serve --data} in its own JVM, {@code clients} keep-alive
 * connections on 127.0.0.1 sending back to back, first each kind of request alone, then all
 * mixed: pass-through chunk GETs (a NetCDF4 chunk, as stored), byte-swapped chunk GETs (NetCDF3,
 * big-endian on disk), decoded chunk GETs (a GRIB field, unpacked by the server) and STAC searches
 * (a random bbox, datetime interval and word). Once over
 * the fixtures alone, once with {@code items} more datasets in the catalogue. Reports requests/s,
 * p50 and p99 per kind, the server's CPU per request (from /proc), its heap after a full GC and its
 * peak RSS.
 */
public final class LoadBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KINDS = {"pass-through chunk", "byte-swapped chunk", "decoded chunk", "STAC search"};
    private static final int WARM_UP_SECONDS = 15;

    private LoadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String heap = args[2];
        int items = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        StringBuilder md = new StringBuilder("## The server under load\n\n");
        md.append("`refcat serve --data` in its own JVM (`").append(heap).append("`), ").append(clients)
                .append(" keep-alive connections on 127.0.0.1 sending back to back for ").append(seconds)
                .append(" s per row (after ").append(WARM_UP_SECONDS).append(" s of mixed warm-up, and 3 s before each row), from a minimal client in the bench JVM on the same ")
                .append(Machine.describe()).append(": a NetCDF4 chunk passed through as stored (zlib, 57 bytes: the ")
                .append("cost of a request itself), a NetCDF3 chunk the v2 view serves little-endian (51 KiB, byte-swapped ")
                .append("per request), a GRIB2 field decoded by the server (float32), a STAC search (random bbox, ")
                .append("datetime interval and word, `limit=10`); each alone, then the four mixed (a quarter of the ")
                .append("clients each). CPU is the server process's user+system time per request.\n\n");
        md.append("| datasets | load | request | requests/s | p50 | p99 | server CPU per request |\n|---|---|---|---|---|---|---|\n");
        StringBuilder memory = new StringBuilder("\n| datasets | server heap after the runs (after a full GC) | server peak RSS |\n|---|---|---|\n");
        for (int extra : new int[] {0, items}) {
            Path data = work.resolve("data-" + extra);
            int exit = Refcat.commandLine().execute("index", "fixtures/data/netcdf4/netcdf4.nc",
                    "fixtures/data/netcdf3/classic_large.nc", "fixtures/data/grib/pl_steps.grib2", "--data", data.toString(),
                    "--collection", "fixtures");
            if (exit != 0) {
                throw new IllegalStateException("indexing the fixtures failed");
            }
            if (extra > 0) {
                CatalogueBench.ingest(data, extra, "synthetic", 1);
            }
            String datasets = String.format("%,d", 3 + extra);
            Process server = serve(data, heap);
            try {
                int port = port(server);
                String[] paths = {"/zarr/fixtures/netcdf4.nc/tas/0.0.0", "/zarr/fixtures/classic_large.nc/big/0.0",
                    chunk(port, "fixtures/pl_steps.grib2"), null};
                try (LoopbackClient check = new LoopbackClient("127.0.0.1", port)) {
                    for (String p : java.util.Arrays.copyOf(paths, 2)) {
                        if (check.get(p, new long[1]) != 200) {
                            throw new IllegalStateException(p + " does not answer 200");
                        }
                    }
                }
                run(server.pid(), port, paths, clients, WARM_UP_SECONDS, -1); // the JIT compiles every path first
                for (int only = 0; only < KINDS.length; only++) {
                    row(md, datasets, "alone", run(server.pid(), port, paths, clients, seconds, only), only);
                }
                Map<Integer, Result> mixed = run(server.pid(), port, paths, clients, seconds, -1);
                for (int k = 0; k < KINDS.length; k++) {
                    row(md, datasets, "mixed", mixed, k);
                }
                memory.append("| ").append(datasets).append(" | ").append(CatalogueBench.heapUsed(server.pid()))
                        .append(" | ").append(peakRss(server.pid())).append(" |\n");
            } finally {
                server.destroy();
                server.waitFor();
            }
            System.err.println(md);
            io.refcat.indexer.AtomicFiles.deleteTree(data);
        }
        md.append(memory);
        md.append("\nAim: a STAC search's p99 under 200 ms with ").append(clients).append(" clients.\n");
        Files.writeString(out, md.toString());
    }

    private static void row(StringBuilder md, String datasets, String load, Map<Integer, Result> results, int kind) {
        Result r = results.get(kind);
        md.append(String.format("| %s | %s | %s | %,.0f | %.1f ms | %.1f ms | %.2f ms |%n", datasets, load, KINDS[kind],
                r.perSecond(), r.percentile(0.5), r.percentile(0.99), r.cpuMsPerRequest()));
    }

    /** Requests of one kind in one run: latencies (ms), the run's length and the server CPU it took. */
    record Result(double[] ms, double seconds, double cpuMs, long requestsOfAllKinds) {
        double perSecond() {
            return ms.length / seconds;
        }

        double percentile(double p) {
            return ms.length == 0 ? Double.NaN : ms[Math.max(0, (int) Math.ceil(ms.length * p) - 1)];
        }

        double cpuMsPerRequest() {
            return cpuMs / Math.max(1, requestsOfAllKinds);
        }
    }

    /** One run: {@code only} ≥ 0 sends that kind from every client, -1 each kind from a share of the clients. */
    static Map<Integer, Result> run(long pid, int port, String[] paths, int clients, int seconds, int only)
            throws Exception {
        Map<Integer, List<double[]>> latencies = new ConcurrentHashMap<>();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(clients);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            int kind = only >= 0 ? only : c % KINDS.length;
            long seed = c;
            Thread t = new Thread(() -> {
                Random r = new Random(seed);
                double[] mine = new double[1 << 16];
                int n = 0;
                long[] bytes = new long[1];
                try (LoopbackClient client = new LoopbackClient("127.0.0.1", port)) {
                    while (!stop.get()) {
                        String path = paths[kind] != null ? paths[kind] : "/stac/search?" + CatalogueBench.query(r) + "&limit=10";
                        long t0 = System.nanoTime();
                        int status = client.get(path, bytes);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (status != 200) {
                            throw new IllegalStateException(path + " answered " + status);
                        }
                        if (measuring.get()) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = ms;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    latencies.computeIfAbsent(kind, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(Arrays.copyOf(mine, n));
                    done.countDown();
                }
            }, "load-" + c);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(3000);
        long cpu0 = cpuMs(pid);
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuMs(pid) - cpu0;
        stop.set(true);
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        Map<Integer, double[]> merged = new TreeMap<>();
        latencies.forEach((kind, parts) -> {
            double[] all = parts.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
            merged.put(kind, all);
        });
        long total = merged.values().stream().mapToLong(a -> a.length).sum();
        Map<Integer, Result> results = new TreeMap<>();
        merged.forEach((kind, ms) -> results.put(kind, new Result(ms, elapsed, cpu, total)));
        return results;
    }

    /** The path of the first chunk of the array of highest rank in a dataset's consolidated metadata. */
    private static String chunk(int port, String dataset) throws Exception {
        long[] bytes = new long[1];
        try (LoopbackClient client = new LoopbackClient("127.0.0.1", port)) {
            String path = "/zarr/" + dataset + "/.zmetadata";
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode meta = JSON.readTree(r.body()).get("metadata");
            String best = null;
            int rank = -1;
            for (Iterator<String> it = meta.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (key.endsWith("/.zarray") && meta.get(key).get("shape").size() > rank) {
                    rank = meta.get(key).get("shape").size();
                    best = key.substring(0, key.length() - "/.zarray".length());
                }
            }
            String chunk = "/zarr/" + dataset + "/" + best + "/" + String.join(".", java.util.Collections.nCopies(rank, "0"));
            if (client.get(chunk, bytes) != 200) {
                throw new IllegalStateException(chunk + " does not answer 200");
            }
            return chunk;
        }
    }

    private static Process serve(Path data, String heap) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                Refcat.class.getName(), "serve", "--data", data.toString(), "--root", "fixtures/data", "--port", "0",
                "--no-request-log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static int port(Process server) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = lines.readLine();
        if (line == null || !line.startsWith("refcat: serving")) {
            throw new IllegalStateException("serve did not start: " + line);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no port in: " + line);
        }
        FederationBench.drain(lines);
        return Integer.parseInt(m.group(1));
    }

    /** The process's user + system CPU so far, in ms (/proc/PID/stat, clock ticks of 10 ms). */
    private static long cpuMs(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static String peakRss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return String.format("%.0f MiB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
            }
        }
        return "n/a";
    }
}
