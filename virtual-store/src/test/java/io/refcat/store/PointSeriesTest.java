package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.source.SourceResolver;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Values read from decoded chunks for quick-looks and series: strided boxes across chunk borders,
 * CF unpacking, fill and missing chunks as NaN, the read budget, and the nearest grid point.
 */
class PointSeriesTest {
    // f(time, lat, lon) = 100 t + 10 y + x as big-endian shorts, packed by 0.5; -1 is the fill
    private static final int T = 2;
    private static final int Y = 3;
    private static final int X = 4;

    private static short stored(int t, int y, int x) {
        return t == 1 && y == 2 && x == 3 ? -1 : (short) (100 * t + 10 * y + x);
    }

    private static Dataset dataset() {
        TreeMap<String, Reference> chunks = new TreeMap<>();
        for (int t = 0; t < T; t++) {
            for (int cy = 0; cy < 2; cy++) {
                for (int cx = 0; cx < 2; cx++) {
                    if (t == 0 && cy == 1 && cx == 0) {
                        continue; // a chunk never written: fill
                    }
                    ByteBuffer b = ByteBuffer.allocate(2 * 2 * 2);
                    for (int y = 0; y < 2; y++) {
                        for (int x = 0; x < 2; x++) {
                            int gy = cy * 2 + y;
                            int gx = cx * 2 + x;
                            b.putShort(gy < Y ? stored(t, gy, gx) : 0);
                        }
                    }
                    chunks.put(t + "." + cy + "." + cx, new Reference.Inline(b.array()));
                }
            }
        }
        VirtualArray f = new VirtualArray("f", ZarrArrayMetadata.uncompressed(List.of((long) T, (long) Y, (long) X),
                List.of(1, 2, 2), DType.parse(">i2"), -1L), Map.of("scale_factor", 0.5, "units", "K"),
                List.of("time", "lat", "lon"), chunks);
        VirtualArray lat = coordinate("lat", new double[] {10, 20, 30}, Map.of("units", "degrees_north"));
        VirtualArray lon = coordinate("lon", new double[] {0, 90, 180, 270}, Map.of("standard_name", "longitude"));
        VirtualArray time = coordinate("time", new double[] {0, 6}, Map.of("units", "hours since 2000-01-01"));
        return Dataset.of("d", new VirtualDataset(Map.of("", Map.of()), List.of(f, lat, lon, time), new TreeMap<>())
                .toReferenceSet());
    }

    private static VirtualArray coordinate(String name, double[] values, Map<String, Object> attrs) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(b::putDouble);
        return new VirtualArray(name, ZarrArrayMetadata.uncompressed(List.of((long) values.length), List.of(values.length),
                DType.parse("<f8"), null), attrs, List.of(name), new TreeMap<>(Map.of("0", new Reference.Inline(b.array()))));
    }

    private static final ArrayValues READER = new ArrayValues(new SourceResolver(List.of()), new StoreServer.Options(false, 1 << 20, new DecodeBudget(64 << 20)));

    @Test
    void aStridedBoxAcrossChunksIsUnpackedWithFillAsNaN() throws Exception {
        double[] all = READER.read(dataset(), "f", ArrayValues.Box.whole(dataset().hierarchy().arrays().get("f")));
        for (int t = 0; t < T; t++) {
            for (int y = 0; y < Y; y++) {
                for (int x = 0; x < X; x++) {
                    double want = (t == 0 && y == 2 && x < 2) || stored(t, y, x) == -1 ? Double.NaN : stored(t, y, x) * 0.5;
                    assertEquals(want, all[(t * Y + y) * X + x], "f[" + t + "," + y + "," + x + "]");
                }
            }
        }
        double[] strided = READER.read(dataset(), "f", new ArrayValues.Box(new long[] {1, 0, 1}, new long[] {1, 2, 2},
                new long[] {1, 2, 2}));
        assertArrayEquals(new double[] {(100 + 1) * 0.5, (100 + 3) * 0.5, (100 + 21) * 0.5, Double.NaN}, strided);
    }

    @Test
    void aReadBeyondTheBudgetIsRefusedBeforeReading() {
        ArrayValues tight = new ArrayValues(new SourceResolver(List.of()), new StoreServer.Options(false, 16, new DecodeBudget(64 << 20)));
        StoreException e = assertThrows(StoreException.class, () -> tight.read(dataset(), "f",
                ArrayValues.Box.whole(dataset().hierarchy().arrays().get("f"))));
        assertEquals(400, e.status());
    }

    @Test
    void theSeriesAtTheNearestGridPoint() throws Exception {
        Map<String, Object> s = PointSeries.at(dataset(), "f", Map.of("lat", "21", "lon", "-95"), READER);
        assertEquals(20.0, s.get("lat"));
        assertEquals(270.0, s.get("lon"), "longitudes compared the short way round");
        assertEquals(List.of("time"), s.get("dims"));
        assertEquals(List.of("2000-01-01T00:00:00Z", "2000-01-01T06:00:00Z"), ((Map<?, ?>) s.get("coords")).get("time"));
        assertEquals(List.of(13 * 0.5, 113 * 0.5), s.get("values"));

        Map<String, Object> fill = PointSeries.at(dataset(), "f", Map.of("index.lat", "2", "index.lon", "3"), READER);
        assertEquals(Arrays.asList(23 * 0.5, null), fill.get("values"), "the fill value is null");

        Map<String, Object> field = PointSeries.at(dataset(), "f", Map.of("index.time", "1"), READER);
        assertEquals(List.of("lat", "lon"), field.get("dims"));
        assertEquals(3, ((List<?>) field.get("values")).size());

        for (Map<String, String> bad : List.of(Map.of("lat", "75", "lon", "0"), Map.of("lat", "x", "lon", "0"),
                Map.of("index.lat", "3"), Map.<String, String>of())) {
            assertEquals(400, assertThrows(StoreException.class, () -> PointSeries.at(dataset(), "f", bad, READER)).status(),
                    bad.toString());
        }
        assertEquals(404, assertThrows(StoreException.class, () -> PointSeries.at(dataset(), "g", Map.of("lat", "0", "lon", "0"),
                READER)).status());
    }
}
