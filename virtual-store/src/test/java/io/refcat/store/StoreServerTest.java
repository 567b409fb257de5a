package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store over real HTTP on 127.0.0.1: keys, HTTP semantics, and the refusals. */
class StoreServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;
    static Javalin app;
    static String base;
    static byte[] data;
    static Path grown;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path file = Files.write(root.resolve("data.bin"), data);
        grown = Files.write(root.resolve("grown.bin"), data);
        Path outside = Files.write(tmp.resolve("secret.bin"), data);

        List<Dataset> datasets = List.of(
                Dataset.of("col/bytes", dataset(file, 1000)),
                Dataset.of("shorts", shorts(file)),
                Dataset.of("with space/ds #1", dataset(file, 1000)),
                Dataset.of("outside", dataset(outside, 1000)),
                Dataset.of("changed", dataset(grown, 1000)));
        Files.write(grown, new byte[10], java.nio.file.StandardOpenOption.APPEND);
        app = StoreServer.create(DatasetCatalog.of(datasets), new SourceResolver(List.of(root))).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    /** A uint8 array of 1000 elements in chunks of 250, pointing into {@code file}. */
    static ReferenceSet dataset(Path file, long size) {
        String url = FileByteSource.urlOf(file);
        TreeMap<String, Reference> chunks = new TreeMap<>();
        for (int c = 0; c < 4; c++) {
            chunks.put(Integer.toString(c), new Reference.Range(url, c * 250L, 250));
        }
        VirtualArray a = new VirtualArray("arr", ZarrArrayMetadata.uncompressed(List.of(1000L), List.of(250),
                DType.parse("|u1"), 0L), Map.of("units", "1"), List.of("x"), chunks);
        return new VirtualDataset(Map.of("", Map.of("title", "t")), List.of(a),
                new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(size)))).toReferenceSet();
    }

    /** The same bytes read as 500 big-endian shorts in chunks of 100. */
    static ReferenceSet shorts(Path file) {
        String url = FileByteSource.urlOf(file);
        TreeMap<String, Reference> chunks = new TreeMap<>();
        for (int c = 0; c < 5; c++) {
            chunks.put(Integer.toString(c), new Reference.Range(url, c * 200L, 200));
        }
        VirtualArray a = new VirtualArray("s", ZarrArrayMetadata.uncompressed(List.of(500L), List.of(100),
                DType.parse(">i2"), -1L), Map.of(), List.of("x"), chunks);
        return new VirtualDataset(Map.of(), List.of(a), new TreeMap<>()).toReferenceSet();
    }

    static byte[] swapped(int from, int to) {
        byte[] out = Arrays.copyOfRange(data, from, to);
        for (int i = 0; i + 1 < out.length; i += 2) {
            byte t = out[i];
            out[i] = out[i + 1];
            out[i + 1] = t;
        }
        return out;
    }

    @Test
    void v2ServesBigEndianArraysAsLittleEndian() throws Exception {
        assertEquals("<i2", JSON.readTree(get("/zarr/shorts/s/.zarray").body()).get("dtype").asText());
        assertEquals("<i2", JSON.readTree(get("/zarr/shorts/.zmetadata").body()).get("metadata").get("s/.zarray")
                .get("dtype").asText());
        assertArrayEquals(swapped(200, 400), get("/zarr/shorts/s/1").body());
        HttpResponse<byte[]> odd = get("/zarr/shorts/s/1", "Range", "bytes=3-6");
        assertEquals(206, odd.statusCode());
        assertArrayEquals(Arrays.copyOfRange(swapped(200, 400), 3, 7), odd.body());
        JsonNode v3 = JSON.readTree(get("/zarr3/shorts/s/zarr.json").body());
        assertEquals("big", v3.get("codecs").get(0).get("configuration").get("endian").asText());
        assertArrayEquals(Arrays.copyOfRange(data, 200, 400), get("/zarr3/shorts/s/c/1").body(), "v3: source order");
        assertEquals(">i2", JSON.readTree(JSON.readTree(get("/refs/shorts.json").body()).get("refs")
                .get("s/.zarray").asText()).get("dtype").asText(), "references: source order");
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Chunk GETs answered by {@link ChunkLane} equal the app's answers to the same requests: a
     * cross-origin request (an Origin header) always goes through the app, which adds only CORS.
     */
    @Test
    void theChunkLaneAnswersAsTheAppDoes() throws Exception {
        String etag = get("/zarr/col/bytes/arr/1").headers().firstValue("ETag").orElseThrow();
        List<String[]> requests = List.of(new String[] {"/zarr/col/bytes/arr/1"}, new String[] {"/zarr/shorts/s/2"},
                new String[] {"/zarr/shorts/s/2", "Range", "bytes=5-"}, new String[] {"/zarr/col/bytes/arr/1", "Range", "bytes=900-"},
                new String[] {"/zarr/col/bytes/arr/1", "If-None-Match", etag}, new String[] {"/zarr/changed/arr/0"},
                new String[] {"/zarr/col/bytes/arr/9"}, new String[] {"/zarr/outside/arr/0"}, new String[] {"/zarr/col/bytes/arr/.zarray"});
        for (String[] r : requests) {
            String[] headers = Arrays.copyOfRange(r, 1, r.length);
            String[] viaApp = Arrays.copyOf(headers, headers.length + 2);
            viaApp[headers.length] = "Origin";
            viaApp[headers.length + 1] = "http://elsewhere.example";
            HttpResponse<byte[]> lane = get(r[0], headers);
            HttpResponse<byte[]> appAnswer = get(r[0], viaApp);
            String what = String.join(" ", r);
            assertEquals(appAnswer.statusCode(), lane.statusCode(), what);
            assertArrayEquals(appAnswer.body(), lane.body(), what);
            Map<String, List<String>> expected = new TreeMap<>(appAnswer.headers().map());
            expected.keySet().removeIf(h -> h.startsWith("access-control-") || h.equals("date") || h.equals("vary"));
            Map<String, List<String>> got = new TreeMap<>(lane.headers().map());
            got.keySet().removeIf(h -> h.equals("date") || h.equals("vary"));
            assertEquals(expected, got, what);
        }
    }

    @Test
    void listsDatasetsWithAbsoluteUrls() throws Exception {
        JsonNode list = JSON.readTree(get("/zarr").body());
        assertEquals(5, list.size());
        JsonNode first = list.get(1);
        assertEquals("col/bytes", first.get("id").asText());
        assertEquals(base + "/zarr/col/bytes", first.get("zarr").asText());
        assertEquals(base + "/zarr3/col/bytes", first.get("zarr3").asText());
        assertEquals(base + "/refs/col/bytes.json", first.get("refs").asText());
    }

    @Test
    void theListingComesInPagesLinkedByNext() throws Exception {
        HttpResponse<byte[]> first = get("/zarr?limit=2");
        assertEquals(2, JSON.readTree(first.body()).size());
        assertEquals("<" + base + "/zarr?offset=2&limit=2>; rel=\"next\"", first.headers().firstValue("Link").orElseThrow());
        HttpResponse<byte[]> last = get("/zarr?offset=4&limit=2");
        assertEquals(1, JSON.readTree(last.body()).size());
        assertTrue(last.headers().firstValue("Link").isEmpty());
        for (String bad : new String[] {"limit=0", "limit=10001", "offset=-1", "offset=x"}) {
            HttpResponse<byte[]> r = get("/zarr?" + bad);
            assertEquals(400, r.statusCode(), bad);
            assertTrue(new String(r.body()).contains(bad.substring(0, bad.indexOf('='))), bad);
        }
    }

    @Test
    void idsThatNeedEscapingWorkThroughTheListedUrls() throws Exception {
        JsonNode entry = null;
        for (JsonNode e : JSON.readTree(get("/zarr").body())) {
            if (e.get("id").asText().equals("with space/ds #1")) {
                entry = e;
            }
        }
        assertEquals(base + "/zarr/with%20space/ds%20%231", entry.get("zarr").asText());
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(entry.get("zarr").asText() + "/arr/0"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(Arrays.copyOfRange(data, 0, 250), r.body());
    }

    @Test
    void chunkKeysServeExactlyTheReferencedBytes() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/col/bytes/arr/2");
        assertEquals(200, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 500, 750), r.body());
        assertEquals("250", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/zarr/col/bytes/arr/2", "If-None-Match", etag).statusCode());
    }

    @Test
    void headHasTheLengthAndNoBody() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/zarr/col/bytes/arr/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("250", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, r.body().length);
    }

    @Test
    void rangesOfChunks() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/col/bytes/arr/0", "Range", "bytes=10-19");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 10, 20), r.body());
        assertEquals("bytes 10-19/250", r.headers().firstValue("Content-Range").orElseThrow());
        HttpResponse<byte[]> suffix = get("/zarr/col/bytes/arr/3", "Range", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(data, 995, 1000), suffix.body());
        assertEquals(416, get("/zarr/col/bytes/arr/0", "Range", "bytes=300-400").statusCode());
    }

    @Test
    void metadataAndConsolidatedMetadata() throws Exception {
        JsonNode zarray = JSON.readTree(get("/zarr/col/bytes/arr/.zarray").body());
        assertEquals("|u1", zarray.get("dtype").asText());
        JsonNode zmeta = JSON.readTree(get("/zarr/col/bytes/.zmetadata").body());
        assertEquals(1, zmeta.get("zarr_consolidated_format").asInt());
        assertEquals(List.of("x"), JSON.convertValue(zmeta.get("metadata").get("arr/.zattrs").get("_ARRAY_DIMENSIONS"), List.class));
        assertEquals("t", zmeta.get("metadata").get(".zattrs").get("title").asText());
    }

    @Test
    void v3ViewOfTheSameData() throws Exception {
        JsonNode group = JSON.readTree(get("/zarr3/col/bytes/zarr.json").body());
        assertEquals("group", group.get("node_type").asText());
        JsonNode array = JSON.readTree(get("/zarr3/col/bytes/arr/zarr.json").body());
        assertEquals("uint8", array.get("data_type").asText());
        assertEquals("x", array.get("dimension_names").get(0).asText());
        assertArrayEquals(get("/zarr/col/bytes/arr/1").body(), get("/zarr3/col/bytes/arr/c/1").body());
        assertEquals(404, get("/zarr3/col/bytes/arr/c/9").statusCode());
        assertEquals(404, get("/zarr3/col/bytes/nothing/zarr.json").statusCode());
    }

    @Test
    void missingKeysAre404WithAJsonBody() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/col/bytes/arr/7");
        assertEquals(404, r.statusCode());
        assertEquals(404, JSON.readTree(r.body()).get("status").asInt());
        assertEquals(404, get("/zarr/no/such/dataset/.zgroup").statusCode());
        HttpResponse<byte[]> route = get("/no-such-route");
        assertEquals(404, route.statusCode());
        assertEquals(404, JSON.readTree(route.body()).get("status").asInt(), "JSON for Javalin's own 404 too");
    }

    @Test
    void referencesOutsideTheRootsAreRefused() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/outside/arr/0");
        assertEquals(403, r.statusCode());
        assertTrue(JSON.readTree(r.body()).get("detail").asText().contains("secret.bin"));
    }

    @Test
    void aSourceThatChangedSizeIsNamed() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/changed/arr/0");
        assertEquals(409, r.statusCode());
        String detail = JSON.readTree(r.body()).get("detail").asText();
        assertTrue(detail.contains("grown.bin") && detail.contains("1010") && detail.contains("1000"), detail);
    }

    @Test
    void corsForBrowserClients() throws Exception {
        HttpResponse<byte[]> r = get("/zarr/col/bytes/arr/0", "Origin", "http://example.org");
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse("").replace("http://example.org", "*"));
        assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Content-Range"));
    }

    @Test
    void portableReferencesNameTheServersFilesRouteAndNoServerPath() throws Exception {
        HttpResponse<byte[]> r = get("/refs/col/bytes.json");
        String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!text.contains("file://") && !text.contains(tmp.toString()), text);
        String url = JSON.readTree(text).get("refs").get("arr/2").get(0).asText();
        if (url.startsWith("{{")) {
            url = JSON.readTree(text).get("templates").get(url.substring(2, url.length() - 2)).asText();
        }
        assertTrue(url.startsWith(base + "/files/col/bytes/") && url.endsWith("/data.bin"), url);
        HttpResponse<byte[]> range = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=500-749")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 500, 750), range.body());
        assertArrayEquals(data, HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/refs/col/bytes.json", "If-None-Match", etag).statusCode());
    }

    @Test
    void filesServesOnlyWhatTheReferencesName() throws Exception {
        String token = SourceUrls.token(FileByteSource.urlOf(tmp.resolve("root/data.bin")));
        assertEquals(200, get("/files/col/bytes/" + token + "/data.bin").statusCode());
        assertEquals(404, get("/files/col/bytes/" + token + "/grown.bin").statusCode(), "another name, same token");
        assertEquals(404, get("/files/col/bytes/0123456789abcdef/data.bin").statusCode(), "an unknown token");
        String outside = SourceUrls.token(FileByteSource.urlOf(tmp.resolve("secret.bin")));
        assertEquals(403, get("/files/outside/" + outside + "/secret.bin").statusCode(), "named, but outside the roots");
        assertEquals(404, get("/files/col/bytes/" + outside + "/secret.bin").statusCode(), "named by another dataset");
    }

    @Test
    void cachingHeaders() throws Exception {
        HttpResponse<byte[]> chunk = get("/zarr/col/bytes/arr/2");
        assertEquals("public, max-age=3600", chunk.headers().firstValue("Cache-Control").orElseThrow());
        String modified = chunk.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals(304, get("/zarr/col/bytes/arr/2", "If-Modified-Since", modified).statusCode());
        assertEquals(200, get("/zarr/col/bytes/arr/2", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
        HttpResponse<byte[]> meta = get("/zarr/col/bytes/.zmetadata");
        assertEquals("public, max-age=10, must-revalidate", meta.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(304, get("/zarr/col/bytes/.zmetadata", "If-None-Match",
                meta.headers().firstValue("ETag").orElseThrow()).statusCode());
        HttpResponse<byte[]> listing = get("/zarr");
        String etag = listing.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertEquals(304, get("/zarr", "If-None-Match", etag).statusCode());
    }

    @Test
    void jsonIsGzippedWhenAskedAndChunksNever() throws Exception {
        HttpResponse<byte[]> meta = get("/zarr/col/bytes/.zmetadata", "Accept-Encoding", "gzip");
        assertEquals("gzip", meta.headers().firstValue("Content-Encoding").orElse(""));
        byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(meta.body())).readAllBytes();
        assertArrayEquals(get("/zarr/col/bytes/.zmetadata").body(), plain);
        HttpResponse<byte[]> chunk = get("/zarr/col/bytes/arr/2", "Accept-Encoding", "gzip");
        assertTrue(chunk.headers().firstValue("Content-Encoding").isEmpty());
        assertArrayEquals(Arrays.copyOfRange(data, 500, 750), chunk.body());
        String token = SourceUrls.token(FileByteSource.urlOf(tmp.resolve("root/data.bin")));
        HttpResponse<byte[]> file = get("/files/col/bytes/" + token + "/data.bin", "Accept-Encoding", "gzip");
        assertTrue(file.headers().firstValue("Content-Encoding").isEmpty(), "bytes above the gzip threshold, too");
        assertArrayEquals(data, file.body());
        HttpResponse<byte[]> swapped = get("/zarr/shorts/s/1", "Accept-Encoding", "gzip");
        assertTrue(swapped.headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void errorsNameSourcesWithoutTheServersPaths() throws Exception {
        String detail = JSON.readTree(get("/zarr/changed/arr/0").body()).get("detail").asText();
        assertTrue(!detail.contains(tmp.toString()) && detail.contains("grown.bin"), detail);
    }

    @Test
    void servesTheKerchunkReferences() throws Exception {
        JsonNode refs = JSON.readTree(get("/refs/col/bytes.json").body());
        assertEquals(1, refs.get("version").asInt());
        assertTrue(refs.get("refs").has("arr/0"));
        assertEquals(404, get("/refs/none.json").statusCode());
    }
}
