package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code refcat serve --data} in its own JVM while the CLI indexes, combines and removes
 * datasets in the same data directory: the STAC API and the store stay in step without a restart,
 * references are portable, and HTTP answers as caches and clients expect.
 */
class ServeLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path archive;
    static Path data;
    static Path log;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        archive = Files.createDirectories(tmp.resolve("archive"));
        Files.copy(Fixtures.dataDir().resolve("netcdf3/classic_types.nc"), archive.resolve("a.nc"));
        Files.copy(Fixtures.dataDir().resolve("netcdf4/netcdf4.nc"), archive.resolve("b.nc"));
        data = tmp.resolve("data");
        assertEquals(0, IndexCommandTest.refcat("index", archive.resolve("a.nc").toString(), "--data", data.toString(),
                "--collection", "c").exit());
        log = tmp.resolve("server.log");
        server = ServerProcess.start(List.of("-Xmx256m"), log, "--data", data.toString(), "--root", archive.toString(),
                Fixtures.dataDir().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** Polls until the URL answers {@code status}; the time it took in ms. */
    static long waitFor(String path, int status) throws Exception {
        long t0 = System.nanoTime();
        while (server.get(path).statusCode() != status) {
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), path + " never answered " + status);
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Test
    void aDatasetIndexedWhileServingIsServedWithinTwoSecondsAndRemovedFromBoth() throws Exception {
        assertEquals(404, server.get("/zarr/c/b.nc/.zmetadata").statusCode());
        assertEquals(0, IndexCommandTest.refcat("index", archive.resolve("b.nc").toString(), "--data", data.toString(),
                "--collection", "c").exit());
        long ms = waitFor("/zarr/c/b.nc/.zmetadata", 200);
        assertTrue(ms <= 2000, "served after " + ms + " ms");
        JsonNode item = json(server.get("/stac/collections/c/items/b.nc"));
        for (String asset : List.of("zarr", "zarr3", "references")) {
            String href = item.get("assets").get(asset).get("href").asText();
            String key = asset.equals("zarr") ? "/.zmetadata" : asset.equals("zarr3") ? "/zarr.json" : "";
            assertEquals(200, server.get(href + key).statusCode(), asset + ": " + href);
        }
        for (JsonNode link : item.get("links")) {
            assertEquals(200, server.get(link.get("href").asText()).statusCode(), link.toString());
        }
        HttpResponse<byte[]> head = server.get(item.get("assets").get("source").get("href").asText(), "Range", "bytes=0-7");
        assertEquals(206, head.statusCode());
        assertEquals("\u0089HDF", new String(head.body(), 0, 4, StandardCharsets.ISO_8859_1));

        IndexCommandTest.Run removed = IndexCommandTest.refcat("remove", "--data", data.toString(), "c/b.nc");
        assertEquals(0, removed.exit(), removed.err());
        waitFor("/zarr/c/b.nc/.zmetadata", 404);
        assertEquals(404, server.get("/stac/collections/c/items/b.nc").statusCode());
        assertEquals(0, json(server.get("/stac/search?ids=b.nc")).get("numberMatched").asInt());
        assertTrue(Files.notExists(data.resolve("refs/c/b.nc.json")));
        assertEquals(1, IndexCommandTest.refcat("remove", "--data", data.toString(), "c/b.nc").exit(), "gone already");
    }

    @Test
    void aCombinedDatasetIsCataloguedWithItsMembers() throws Exception {
        IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--concat-dim", "time",
                Fixtures.dataDir().resolve("combine/netcdf4").toString(), "--data", data.toString(), "--name", "daily");
        assertTrue(r.out().contains("catalogued as combined/daily"), r.out() + r.err());
        waitFor("/zarr/combined/daily/.zmetadata", 200);
        JsonNode found = json(server.get("/stac/search?q=daily"));
        assertEquals(1, found.get("numberMatched").asInt(), found.toString());
        JsonNode members = found.get("features").get(0).get("properties").get("refcat:members");
        assertTrue(members.size() >= 2, members.toString());
        for (JsonNode m : members) {
            String href = m.get("href").asText();
            assertTrue(href.startsWith(server.base + "/files/combined/daily/"), href);
            HttpResponse<byte[]> file = server.get(href);
            assertEquals(200, file.statusCode(), href);
            assertEquals(m.get("size").asLong(), file.body().length);
        }
    }

    @Test
    void portableReferencesOpenFromAnotherProcessThroughTheServerOnly() throws Exception {
        Python.requireModules("netCDF4", "xarray", "fsspec", "aiohttp", "zarr");
        Process p = new ProcessBuilder(Python.executable(), Fixtures.repoRoot().resolve(
                "cli/src/test/python/check_portable_refs.py").toString(), server.base + "/stac/collections/c/items/a.nc",
                archive.resolve("a.nc").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.strip().endsWith("ok"), out);
    }

    @Test
    void noServerPathInAnyResponse() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/zarr", "/refs/c/a.nc.json", "/stac/collections/c/items/a.nc",
                "/stac/search?q=classic", "/zarr/c/a.nc/.zmetadata", "/health", "/stac/collections/c"));
        for (String path : paths) {
            String body = new String(server.get(path).body(), StandardCharsets.UTF_8);
            assertTrue(!body.contains(tmp.toString()) && !body.contains("file://"), path + ": " + body);
        }
    }

    @Test
    void jsonIsGzippedTaggedAndCacheable() throws Exception {
        for (String path : List.of("/stac/search?q=classic", "/refs/c/a.nc.json", "/zarr/c/a.nc/.zmetadata")) {
            HttpResponse<byte[]> plain = server.get(path);
            HttpResponse<byte[]> zipped = server.get(path, "Accept-Encoding", "gzip");
            assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""), path);
            assertEquals(new String(plain.body(), StandardCharsets.UTF_8), new String(
                    new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(), StandardCharsets.UTF_8));
            String etag = plain.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + ": no ETag"));
            assertTrue(etag.matches("(W/)?\"[^\"]+\""), etag);
            assertEquals(304, server.get(path, "If-None-Match", etag).statusCode(), path);
            assertTrue(plain.headers().firstValue("Cache-Control").orElse("").contains("must-revalidate"), path);
        }
        HttpResponse<byte[]> refs = server.get("/refs/c/a.nc.json");
        String modified = refs.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals(304, server.get("/refs/c/a.nc.json", "If-Modified-Since", modified).statusCode());
        HttpResponse<byte[]> chunk = server.get("/zarr3/c/a.nc/v1_f8/c/0");
        assertEquals(200, chunk.statusCode());
        assertEquals("public, max-age=3600", chunk.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(chunk.headers().firstValue("Last-Modified").isPresent());
    }

    @Test
    void requestsAreLoggedAndCounted() throws Exception {
        server.get("/zarr/c/a.nc/.zgroup");
        String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
        assertTrue(metrics.contains("refcat_http_requests_total{route=\"zarr\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("refcat_datasets "), metrics);
        long t0 = System.nanoTime();
        while (!Files.readString(log).contains("GET /zarr/c/a.nc/.zgroup 200 ")) {
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), Files.readString(log));
            Thread.sleep(50);
        }
    }
}
