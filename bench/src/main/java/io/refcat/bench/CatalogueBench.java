package io.refcat.bench;

import io.refcat.indexer.AtomicFiles;
import io.refcat.indexer.cf.DatasetMetadata;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.StacItems;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The catalogue at scale: synthetic items (a small box somewhere on Earth, a time interval between
 * 1950 and 2030, variables with CF standard names) ingested in batches of 1,000 per commit, then
 * {@code refcat serve --data} in its own JVM with a fixed heap answers combined bbox + datetime +
 * text searches over HTTP, one client, latencies from the client.
 *
 * <p>usage: CatalogueBench WORK OUT.md HEAP QUERIES N[,N...]
 */
public final class CatalogueBench {
    private static final String[] NAMES = {"air_temperature", "sea_surface_temperature", "precipitation_flux",
        "eastward_wind", "northward_wind", "relative_humidity", "sea_ice_area_fraction", "surface_air_pressure",
        "specific_humidity", "cloud_area_fraction", "sea_water_salinity", "snowfall_flux"};
    private static final String[] WORDS = {"reanalysis", "forecast", "model", "satellite", "ocean", "atmosphere",
        "land", "ice", "daily", "monthly", "hourly", "regional", "global", "climate", "observations"};

    private CatalogueBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String heap = args[2];
        int queries = Integer.parseInt(args[3]);
        StringBuilder md = new StringBuilder("## Catalogue: ingest and search\n\n");
        md.append("Synthetic items (a box of up to 10 degrees somewhere on Earth, a time interval between 1950 and ")
                .append("2030, three variables with CF standard names, title words from a small vocabulary), put ")
                .append("1,000 per commit. Then `refcat serve --data` in a JVM with `").append(heap)
                .append("` answers ").append(queries).append(" searches each combining a random bbox (up to 30 ")
                .append("degrees), a datetime interval (up to 10 years) and one word of free text, `limit=10`, from ")
                .append("one client on 127.0.0.1 (latency as the client sees it, after 200 warm-up searches).\n\n");
        md.append("| items | ingest items/s | index on disk | search p50 | search p99 | matched (median) | server heap used |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (String n : args[4].split(",")) {
            int items = Integer.parseInt(n);
            Path data = work.resolve("data-" + items);
            double rate = ingest(data, items);
            long size = Trees.size(data.resolve("catalogue"));
            String[] search = search(data, heap, queries);
            md.append(String.format("| %,d | %,.0f | %.0f MiB | %s | %s | %s | %s |%n", items, rate, size / 1048576.0,
                    search[0], search[1], search[2], search[3]));
            System.err.println(md);
            AtomicFiles.deleteTree(data);
        }
        md.append("\nAim: p99 under 100 ms at 1M items. Each search counts every match (`numberMatched` is exact) ")
                .append("and sorts by id; the server's heap after a full collection stays small because Lucene keeps ")
                .append("the index in the page cache (memory-mapped), not in the heap.\n");
        Files.writeString(out, md.toString());
    }

    private static double ingest(Path data, int items) throws IOException {
        return ingest(data, items, "bench", 1);
    }

    /** Puts {@code items} synthetic items into {@code collection} of the catalogue in {@code data}; items/s. */
    static double ingest(Path data, int items, String collection, long seed) throws IOException {
        Random r = new Random(seed);
        long t0 = System.nanoTime();
        try (Catalogue c = Catalogue.open(data)) {
            List<Catalogue.Entry> batch = new ArrayList<>();
            byte[] refs = "{\"version\":1,\"refs\":{\".zgroup\":\"{\\\"zarr_format\\\":2}\"}}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < items; i++) {
                batch.add(new Catalogue.Entry(item(r, i, collection), refs));
                if (batch.size() == 1000) {
                    c.put(batch);
                    batch.clear();
                }
            }
            c.put(batch);
        }
        return items / ((System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> item(Random r, int i, String collection) {
        double w = -180 + r.nextDouble() * 350;
        double s = -90 + r.nextDouble() * 170;
        double[] bbox = {w, s, w + r.nextDouble() * 10, s + r.nextDouble() * 10};
        long start = Instant.parse("1950-01-01T00:00:00Z").getEpochSecond() + (long) (r.nextDouble() * 80 * 365.25 * 86400);
        long end = start + (long) (r.nextDouble() * 365 * 86400);
        List<DatasetMetadata.Variable> vars = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            String sn = NAMES[r.nextInt(NAMES.length)];
            vars.add(new DatasetMetadata.Variable("v" + v, List.of("time", "lat", "lon"), "<f4", List.of(12L, 90L, 180L),
                    sn, sn.replace('_', ' '), "1", false));
        }
        String title = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " " + i;
        DatasetMetadata m = new DatasetMetadata(Map.of("title", title), new DatasetMetadata.TimeCoverage(
                Instant.ofEpochSecond(start).toString(), Instant.ofEpochSecond(end).toString(), "standard", "time"),
                bbox, vars, List.of(new DatasetMetadata.Dimension("time", 12, "t", List.of(
                Instant.ofEpochSecond(start).toString(), Instant.ofEpochSecond(end).toString()))), 1_000_000, 36);
        return StacItems.item(new StacItems.Source(collection, collection + "/d" + i + ".nc", "HDF5", "file:///archive/d" + i + ".nc",
                Instant.ofEpochSecond(0)), m);
    }

    /** p50, p99, median matched, server heap used after the run. */
    private static String[] search(Path data, String heap, int queries) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "io.refcat.cli.Refcat", "serve", "--data", data.toString(), "--port", "0", "--no-request-log");
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String base = null;
            while (base == null && (line = lines.readLine()) != null) {
                int at = line.indexOf("/stac");
                if (line.contains("STAC API at ") && at > 0) {
                    base = line.substring(line.indexOf("STAC API at ") + "STAC API at ".length(), at);
                }
            }
            if (base == null) {
                throw new IllegalStateException("the server did not start");
            }
            FederationBench.drain(lines); // a pipe nobody reads would stop the server at its next line
            HttpClient http = HttpClient.newHttpClient();
            Random r = new Random(2);
            double[] ms = new double[queries];
            long[] matched = new long[queries];
            for (int i = -200; i < queries; i++) {
                String q = query(r);
                long t0 = System.nanoTime();
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base + "/stac/search?" + q)).build(),
                        HttpResponse.BodyHandlers.ofString());
                double elapsed = (System.nanoTime() - t0) / 1e6;
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException(resp.body());
                }
                if (i >= 0) {
                    ms[i] = elapsed;
                    int at = resp.body().indexOf("\"numberMatched\":");
                    matched[i] = Long.parseLong(resp.body().substring(at + 16).split("[,}]")[0]);
                }
            }
            Arrays.sort(ms);
            Arrays.sort(matched);
            String used = heapUsed(server.pid());
            return new String[] {String.format("%.1f ms", ms[ms.length / 2]),
                    String.format("%.1f ms", ms[(int) Math.ceil(ms.length * 0.99) - 1]),
                    String.format("%,d", matched[matched.length / 2]), used};
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /**
     * A search as the benches send it: a random bbox (up to 30 degrees), a datetime interval (up to
     * 10 years) and the first word of a standard name.
     */
    static String query(Random r) {
        double w = -180 + r.nextDouble() * 330;
        double s = -90 + r.nextDouble() * 150;
        int year = 1950 + r.nextInt(70);
        return "bbox=" + w + "," + s + "," + (w + r.nextDouble() * 30) + "," + (s + r.nextDouble() * 30)
                + "&datetime=" + URLEncoder.encode(year + "-01-01T00:00:00Z/" + (year + 1 + r.nextInt(10))
                + "-01-01T00:00:00Z", StandardCharsets.UTF_8) + "&q=" + NAMES[r.nextInt(NAMES.length)].split("_")[0];
    }

    /** The server's heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    static String heapUsed(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").start().waitFor();
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? String.format("%.0f MiB", Long.parseLong(m.group(1)) / 1024.0) : "n/a";
    }
}
