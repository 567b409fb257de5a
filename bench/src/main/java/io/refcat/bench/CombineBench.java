package io.refcat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.indexer.AtomicFiles;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Combine at scale, on synthetic reference sets ({@link SyntheticArchive}): references combined
 * per second and heap versus the number of files, each combine in its own JVM with a fixed heap;
 * JSON versus Parquet output size; and the time to open the combined metadata through the store
 * ({@code .zmetadata} over HTTP, after the store has loaded the references) versus through the
 * Parquet references themselves (reading their {@code .zmetadata}, as fsspec does on open).
 *
 * <p>usage: CombineBench WORK OUT.md HEAP FILES[,FILES...] VARIABLES [BIG_FILES BIG_VARIABLES]
 */
public final class CombineBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CombineBench() {
    }

    record Run(double seconds, long peakHeap, long peakLive) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String heap = args[2];
        List<int[]> cases = new ArrayList<>();
        for (String n : args[3].split(",")) {
            cases.add(new int[] {Integer.parseInt(n), Integer.parseInt(args[4])});
        }
        if (args.length > 6) {
            cases.add(new int[] {Integer.parseInt(args[5]), Integer.parseInt(args[6])});
        }
        StringBuilder md = new StringBuilder();
        md.append("## Combine: many reference sets into one\n\n");
        md.append("Synthetic daily reference sets (one chunk per variable per day, inline time), combined along `time` ")
                .append("by `refcat combine` in a separate JVM with `").append(heap).append("` and the default ")
                .append("`--memory-budget 64`. Peak heap is sampled every 10 ms (garbage included); live is the largest ")
                .append("heap left after a collection.\n\n");
        md.append("| files | variables | references | JSON: s | refs/s | peak heap | live | JSON size | Parquet: s ")
                .append("| Parquet size | store load + `.zmetadata` | Parquet `.zmetadata` |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int[] c : cases) {
            int files = c[0];
            int variables = c[1];
            Path dir = work.resolve("in-" + files + "x" + variables);
            SyntheticArchive.write(dir, files, variables);
            Path refs = Files.createDirectories(work.resolve("out-" + files + "x" + variables));
            Path jsonOut = refs.resolve("combined.json");
            Run json = combine(heap, dir, jsonOut, "json");
            Path parquetOut = refs.resolve("combined");
            Run parquet = combine(heap, dir, parquetOut, "parquet");
            long referencesCount = (long) files * variables;
            String store = openThroughStore(refs);
            double zmeta = openParquetMetadata(parquetOut);
            md.append(String.format("| %,d | %d | %,d | %.1f | %,.0f | %s | %s | %s | %.1f | %s | %s | %.2f ms |%n",
                    files, variables, referencesCount, json.seconds(), referencesCount / json.seconds(),
                    mib(json.peakHeap()), mib(json.peakLive()), mib(Files.size(jsonOut)), parquet.seconds(),
                    mib(Trees.size(parquetOut)), store, zmeta));
            System.err.println(md);
            AtomicFiles.deleteTree(dir);
            AtomicFiles.deleteTree(refs);
        }
        md.append("\nStore load: a store started on the output directory (the JSON set is read whole into memory, ")
                .append("the Parquet set only its `.zmetadata`), paid once per start; then `.zmetadata` of the Parquet set ")
                .append("is one request. A Parquet client (fsspec) opens the dataset from `.zmetadata` alone and fetches ")
                .append("reference records as chunks are read.\n\n")
                .append("The live heap follows the number of files (a small summary of each: its name, coordinate ")
                .append("values, the chunk length of each variable, its source URL), not the number of references; ")
                .append("the references wait in the combine's disk-backed table.\n");
        Files.writeString(out, md.toString());
    }

    private static Run combine(String heap, Path in, Path out, String format) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                CombineRun.class.getName(), "combine", "--concat-dim", "time", in.toString(), "-o", out.toString(),
                "--format", format);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("combine failed: " + stdout);
        }
        String[] last = stdout.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        return new Run(Double.parseDouble(last[0]), Long.parseLong(last[1]), Long.parseLong(last[2]));
    }

    /** Load both outputs in a store, then time GET .zmetadata of the Parquet one (median of 5). */
    private static String openThroughStore(Path refs) throws Exception {
        long t0 = System.nanoTime();
        ReferenceDirectory catalog = new ReferenceDirectory(refs);
        catalog.ids().forEach(catalog::get); // the store reads a set when first asked for it
        double load = (System.nanoTime() - t0) / 1e9;
        Javalin app = StoreServer.create(catalog, new SourceResolver(List.of(Path.of("/")))).start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                    + "/zarr/combined/.zmetadata")).build();
            double[] ms = new double[5];
            for (int i = 0; i < ms.length; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = http.send(get, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(".zmetadata: HTTP " + r.statusCode());
                }
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            java.util.Arrays.sort(ms);
            return String.format("%.1f s + %.1f ms", load, ms[2]);
        } finally {
            app.stop();
        }
    }

    private static double openParquetMetadata(Path dir) throws IOException {
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long s = System.nanoTime();
            JSON.readTree(dir.resolve(".zmetadata").toFile());
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[2];
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
