package io.refcat.webui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.ArrayValues;
import io.refcat.store.Dataset;
import io.refcat.store.DatasetCatalog;
import io.refcat.store.DecodeBudget;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quick-looks of in-memory arrays: decimation, transparency, and the 4xx a slice can get. */
class QuickLookTest {
    static Javalin app;

    /** wide(y, x): 3 rows × 2,500 columns of x (float32), chunks of 1 × 500; row 1 is missing (no chunks). */
    @BeforeAll
    static void start() {
        TreeMap<String, Reference> chunks = new TreeMap<>();
        for (int y = 0; y < 3; y += 2) {
            for (int c = 0; c < 5; c++) {
                ByteBuffer b = ByteBuffer.allocate(500 * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int x = 0; x < 500; x++) {
                    b.putFloat(c * 500 + x + y * 10_000);
                }
                chunks.put(y + "." + c, new Reference.Inline(b.array()));
            }
        }
        VirtualArray wide = new VirtualArray("wide", ZarrArrayMetadata.uncompressed(List.of(3L, 2500L), List.of(1, 500),
                DType.parse("<f4"), Double.NaN), Map.of("units", "m"), List.of("y", "x"), chunks);
        // 40 chunks of 2,000 bytes per slice: more than the 64 KiB budget
        VirtualArray tall = new VirtualArray("tall", ZarrArrayMetadata.uncompressed(List.of(2L, 40L, 500L), List.of(1, 1, 500),
                DType.parse("<f4"), Double.NaN), Map.of(), List.of("t", "y", "x"), new TreeMap<>());
        VirtualArray text = new VirtualArray("text", ZarrArrayMetadata.uncompressed(List.of(2L, 2L), List.of(2, 2),
                DType.parse("|S1"), null), Map.of(), List.of("a", "b"), new TreeMap<>());
        Dataset d = Dataset.of("d", new VirtualDataset(Map.of("", Map.of()), List.of(wide, tall, text), new TreeMap<>())
                .toReferenceSet());
        DatasetCatalog catalog = DatasetCatalog.of(List.of(d));
        SourceResolver resolver = new SourceResolver(List.of());
        app = StoreServer.create(catalog, resolver);
        WebUi.register(app, catalog, new ArrayValues(resolver, new StoreServer.Options(false, 64 << 10, new DecodeBudget(64 << 20))));
        app.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void wideArraysAreDecimatedAndMissingValuesAreTransparent() throws Exception {
        HttpResponse<byte[]> r = get("/quicklook/d/wide.png");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("1 3", r.headers().firstValue("X-Quicklook-Step").orElseThrow(), "2,500 columns: every third");
        assertEquals("false", r.headers().firstValue("X-Quicklook-Flipped").orElseThrow(), "no latitudes: rows as stored");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(834, image.getWidth(), "at most 1,000 px a side");
        assertEquals(0, image.getRGB(10, 1) >>> 24, "the row with no chunks is transparent");
        assertEquals(255, image.getRGB(10, 0) >>> 24);
        String[] range = r.headers().firstValue("X-Quicklook-Range").orElseThrow().split(" ");
        assertEquals(0.0, Double.parseDouble(range[0]));
        assertEquals(20_000 + 2499 - 1, Double.parseDouble(range[1]), 1, "the largest value among the columns shown");
        assertTrue(r.headers().firstValue("ETag").isPresent());
    }

    @Test
    void whatCannotBeDrawnIsA4xxInWords() throws Exception {
        assertEquals(501, get("/quicklook/d/text.png").statusCode(), "text is not numbers");
        assertEquals(404, get("/quicklook/d/nothing.png").statusCode());
        assertEquals(404, get("/quicklook/d/wide").statusCode(), "quick-looks are PNG");
        assertEquals(400, get("/quicklook/d/tall.png?t=5").statusCode(), "t has two indices");
        HttpResponse<byte[]> tooMuch = get("/quicklook/d/tall.png?t=1");
        assertEquals(400, tooMuch.statusCode());
        String body = new String(tooMuch.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(body.contains("budget"), body);
    }
}
