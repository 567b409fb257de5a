package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.Codec;
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

    /**
     * A 64 MiB shuffled, deflated chunk decoded for the Zarr v3 view by 8 clients at once against a
     * 256 MiB heap: each decode holds 64 MiB and more, so the server's decode budget must make them
     * take turns (all 200, the right bytes); and a 20-byte lz4 chunk claiming 1.8 GB is a 502.
     */
    @Test
    void decodedChunksTakeTurnsWithinTheHeap() throws Exception {
        int values = DECODED / Float.BYTES;
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(DECODED).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values; i++) {
            raw.putFloat((float) Math.sin(i / 5000.0) * 40 + 273);
        }
        byte[] bytes = raw.array();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        byte[] shuffled = new byte[DECODED];
        for (int e = 0; e < values; e++) {
            for (int b = 0; b < Float.BYTES; b++) {
                shuffled[b * values + e] = bytes[e * Float.BYTES + b];
            }
        }
        Path file = tmp.resolve("big.h5-like");
        try (OutputStream out = new java.util.zip.DeflaterOutputStream(Files.newOutputStream(file),
                new java.util.zip.Deflater(1), 1 << 16)) {
            out.write(shuffled);
        }
        Path bomb = tmp.resolve("bomb.bin");
        Files.write(bomb, java.nio.ByteBuffer.allocate(20).putLong(1_800_000_000L).putInt(1 << 30).array());
        String url = FileByteSource.urlOf(file);
        String bombUrl = FileByteSource.urlOf(bomb);
        DType f4 = DType.parse("<f4");
        VirtualArray data = new VirtualArray("data", new ZarrArrayMetadata(List.of((long) values), List.of(values), f4,
                Codec.of("zlib"), List.of(new Codec("shuffle", Map.of("elementsize", 4))), 0.0, 'C', "."), Map.of(),
                List.of("x"), new TreeMap<>(Map.of("0", new Reference.Range(url, 0, Files.size(file)))));
        VirtualArray lz4 = new VirtualArray("bomb", new ZarrArrayMetadata(List.of(1024L), List.of(1024), f4, null,
                List.of(new Codec("hdf5_filter", Map.of("filter_id", 32004, "name", "lz4", "data", List.of()))), 0.0, 'C',
                "."), Map.of(), List.of("y"), new TreeMap<>(Map.of("0", new Reference.Range(bombUrl, 0, 20))));
        write(new VirtualDataset(Map.of(), List.of(data, lz4), new TreeMap<>(Map.of(url,
                new ReferenceSet.SourceInfo(Files.size(file)), bombUrl, new ReferenceSet.SourceInfo(20)))).toReferenceSet(),
                tmp.resolve("refs/big.json"));

        try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m"), null, "--refs", tmp.resolve("refs").toString(),
                "--root", tmp.toString(), "--no-request-log")) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                results.add(pool.submit(() -> fetchAndHash(http, server.base + "/zarr3/big/data/c/0", DECODED)));
            }
            for (Future<String> r : results) {
                assertEquals(expected, r.get(5, TimeUnit.MINUTES));
            }
            pool.shutdown();
            HttpResponse<String> bombed = http.send(HttpRequest.newBuilder(URI.create(server.base + "/zarr3/big/bomb/c/0"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, bombed.statusCode(), bombed.body());
            assertTrue(bombed.body().contains("1800000000"), bombed.body());
            assertTrue(server.process.isAlive(), "the server survived");
        }
    }

    private static final int DECODED = 64 << 20;

    private static String fetchAndHash(HttpClient http, String url) throws Exception {
        return fetchAndHash(http, url, CHUNK);
    }

    private static String fetchAndHash(HttpClient http, String url, int size) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), () -> url + ": " + new String(readAll(r.body())));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        assertEquals(size, total);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void writeRefs(Path file, Path refs) throws Exception {
        String url = FileByteSource.urlOf(file);
        VirtualArray a = new VirtualArray("data", ZarrArrayMetadata.uncompressed(List.of((long) CHUNK), List.of(CHUNK),
                DType.parse("|u1"), 0L), Map.of(), List.of("x"),
                new TreeMap<>(Map.of("0", new Reference.Range(url, 0, CHUNK))));
        write(new VirtualDataset(Map.of(), List.of(a),
                new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(CHUNK)))).toReferenceSet(), refs);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static void write(ReferenceSet set, Path refs) throws Exception {
        Files.createDirectories(refs.getParent());
        try (OutputStream out = Files.newOutputStream(refs)) {
            KerchunkJson.write(set, out);
        }
    }
}
