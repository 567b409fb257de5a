package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.source.FileByteSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refcat serve} in its own JVM with a 64 MiB heap, while 24 clients on 127.0.0.1 fetch a
 * 48 MiB chunk at once (over a GiB in flight): the server must stream, not buffer, and survive.
 */
class ServeUnderLoadTest {
    private static final int CHUNK = 48 << 20;
    private static final int CLIENTS = 24;

    @TempDir
    Path tmp;

    @Test
    void fixedHeapUnderManyConcurrentClients() throws Exception {
        Path file = tmp.resolve("big.bin");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] block = new byte[1 << 20];
            for (int b = 0; b < CHUNK / block.length; b++) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) (i * 31 + b);
                }
                out.write(block);
                sha.update(block);
            }
        }
        String expected = HexFormat.of().formatHex(sha.digest());
        writeRefs(file, tmp.resolve("refs/big.json"));

        try (ServerProcess server = ServerProcess.start(List.of("-Xmx64m"), null, "--refs", tmp.resolve("refs").toString(),
                "--root", tmp.toString(), "--no-request-log")) {
            assertTrue(server.greeting.get(0).startsWith("refcat: serving 1 datasets at http://127.0.0.1:"), server.greeting.get(0));
            String base = server.base;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<String>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                results.add(pool.submit(() -> fetchAndHash(http, base + "/zarr/big/data/0")));
            }
            for (Future<String> r : results) {
                assertEquals(expected, r.get(5, TimeUnit.MINUTES));
            }
            pool.shutdown();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertTrue(server.process.isAlive(), "the server survived");
        }
    }

    private static String fetchAndHash(HttpClient http, String url) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        assertEquals(CHUNK, total);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void writeRefs(Path file, Path refs) throws Exception {
        String url = FileByteSource.urlOf(file);
        VirtualArray a = new VirtualArray("data", ZarrArrayMetadata.uncompressed(List.of((long) CHUNK), List.of(CHUNK),
                DType.parse("|u1"), 0L), Map.of(), List.of("x"),
                new TreeMap<>(Map.of("0", new Reference.Range(url, 0, CHUNK))));
        ReferenceSet set = new VirtualDataset(Map.of(), List.of(a),
                new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(CHUNK)))).toReferenceSet();
        Files.createDirectories(refs.getParent());
        try (OutputStream out = Files.newOutputStream(refs)) {
            KerchunkJson.write(set, out);
        }
    }
}
