package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.indexer.cf.DatasetMetadata;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.search.StacItems;
import io.refcat.search.lucene.Catalogue;
import io.refcat.store.source.FileByteSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --data} over a catalogue of 100,000 datasets, each with its own reference file, in a
 * JVM of 512 MiB: it starts, counts them, pages through the listing, searches, and serves the
 * metadata and chunks of datasets picked at random across the whole range (so the cache of parsed
 * references turns over), with no 5xx.
 */
class ServeManyDatasetsTest {
    private static final int DATASETS = Integer.getInteger("refcat.test.many", 100_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aHundredThousandDatasetsAtHalfAGigabyte() throws Exception {
        Path data = tmp.resolve("data");
        Path source = tmp.resolve("archive/grid.bin");
        Files.createDirectories(source.getParent());
        byte[] grid = new byte[4 * 16];
        new Random(3).nextBytes(grid);
        Files.write(source, grid);
        byte[] refs = KerchunkJson.toBytes(referenceSet(source));
        try (Catalogue c = Catalogue.open(data)) {
            List<Catalogue.Entry> batch = new ArrayList<>();
            for (int i = 0; i < DATASETS; i++) {
                String id = idOf(i);
                Path file = data.resolve("refs").resolve(id + ".json");
                if (i % 1000 == 0) {
                    Files.createDirectories(file.getParent());
                }
                Files.write(file, refs);
                batch.add(new Catalogue.Entry(StacItems.item(new StacItems.Source("many", id, "NETCDF3",
                        FileByteSource.urlOf(source), Instant.EPOCH), metadata(i)), refs));
                if (batch.size() == 5000) {
                    c.put(batch);
                    batch.clear();
                }
            }
            c.put(batch);
        }

        try (ServerProcess server = ServerProcess.start(List.of("-Xmx512m"), tmp.resolve("serve.log"), "--data",
                data.toString(), "--root", tmp.resolve("archive").toString(), "--no-request-log")) {
            assertTrue(server.greeting.get(0).startsWith("refcat: serving " + DATASETS + " datasets"), server.greeting.get(0));
            assertEquals(DATASETS, json(server, "/health").get("datasets").asInt());

            // the listing comes in pages, each linking the next
            HttpResponse<byte[]> first = server.get("/zarr");
            assertEquals(200, first.statusCode());
            JsonNode page = JSON.readTree(first.body());
            assertEquals(1000, page.size());
            String next = first.headers().firstValue("Link").orElseThrow();
            assertTrue(next.contains("rel=\"next\"") && next.contains("offset=1000"), next);
            JsonNode last = json(server, "/zarr?offset=" + (DATASETS - 10) + "&limit=1000");
            assertEquals(10, last.size());

            JsonNode search = json(server, "/stac/search?bbox=0,0,10,10&limit=5");
            assertTrue(search.get("numberMatched").asLong() > 0, search.toString());
            assertEquals(DATASETS, json(server, "/stac/search?limit=1").get("numberMatched").asLong());

            Random r = new Random(11);
            for (int k = 0; k < 300; k++) {
                String id = idOf(r.nextInt(DATASETS));
                HttpResponse<byte[]> meta = server.get("/zarr/" + id + "/.zmetadata");
                assertEquals(200, meta.statusCode(), id + ": " + new String(meta.body(), StandardCharsets.UTF_8));
                HttpResponse<byte[]> chunk = server.get("/zarr/" + id + "/t/0.0");
                assertEquals(200, chunk.statusCode(), id);
                assertArrayEquals(grid, chunk.body());
            }
            assertEquals(200, server.get("/").statusCode());
            assertTrue(server.process.isAlive());
        }
    }

    private static String idOf(int i) {
        return "many/g" + (i / 1000) + "/d" + i;
    }

    private static JsonNode json(ServerProcess server, String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    /** Latitude and longitude inline, a 4 × 4 float field in the shared source. */
    private static ReferenceSet referenceSet(Path source) {
        String url = FileByteSource.urlOf(source);
        DType f4 = DType.parse("<f4");
        VirtualArray t = new VirtualArray("t", ZarrArrayMetadata.uncompressed(List.of(4L, 4L), List.of(4, 4), f4, null),
                Map.of("units", "K"), List.of("lat", "lon"), new TreeMap<>(Map.of("0.0", new Reference.Range(url, 0, 64))));
        return new VirtualDataset(Map.of(), List.of(t), new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(64))))
                .toReferenceSet();
    }

    private static DatasetMetadata metadata(int i) {
        double west = -180 + (i * 7 % 340);
        double south = -80 + (i * 3 % 150);
        return new DatasetMetadata(Map.of("title", "dataset " + i), null, new double[] {west, south, west + 10, south + 10},
                List.of(new DatasetMetadata.Variable("t", List.of("lat", "lon"), "<f4", List.of(4L, 4L),
                        "air_temperature", "air temperature", "K", false)), List.of(), 64, 1);
    }
}
