package io.refcat.indexer.netcdf3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Fixtures;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.MemorySource;
import io.refcat.indexer.ScanException;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every NetCDF3 fixture scanned and its chunks read back byte for byte from the file, compared
 * with what netCDF4-python read (the generator's expected values): shapes, dimension names,
 * attributes, fill values and every value.
 */
class NetCdf3ScannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScanOptions SMALL_CHUNKS = new ScanOptions(8192);

    static VirtualDataset scan(Path file, ScanOptions options) throws IOException {
        return new Indexer(options).scan(new MemorySource("file://" + file, Files.readAllBytes(file)));
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesNetcdf4Python() {
        return Fixtures.netcdf3Files().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> compareWithExpected(f, JSON.readTree(Fixtures.expectedFor(f).toFile()))));
    }

    private static void compareWithExpected(Path file, JsonNode expected) throws IOException {
        VirtualDataset ds = scan(file, SMALL_CHUNKS);
        byte[] bytes = Files.readAllBytes(file);
        assertAttributes("global", expected.get("attributes"), ds.groups().get(""));
        List<String> names = new ArrayList<>();
        expected.get("variables").fieldNames().forEachRemaining(names::add);
        assertEquals(names.stream().sorted().toList(), ds.arrays().stream().map(VirtualArray::path).sorted().toList());
        for (VirtualArray a : ds.arrays()) {
            JsonNode ev = expected.get("variables").get(a.path());
            String where = file.getFileName() + ":" + a.path();
            assertEquals(JSON.convertValue(ev.get("dimensions"), List.class), a.dimensions(), where + " dimensions");
            assertEquals(JSON.convertValue(ev.get("shape"), List.class),
                    a.metadata().shape().stream().map(Long::intValue).toList(), where + " shape");
            assertAttributes(where, withoutFill(ev.get("attributes")), a.attributes());
            assertFill(where, ev, a);
            assertValues(where, ev.get("values"), decode(a, bytes));
        }
    }

    private static JsonNode withoutFill(JsonNode attrs) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = attrs.deepCopy();
        copy.remove("_FillValue");
        return copy;
    }

    private static void assertAttributes(String where, JsonNode expected, Map<String, Object> actual) {
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names.stream().sorted().toList(), actual.keySet().stream().sorted().toList(), where + " attribute names");
        for (String name : names) {
            JsonNode e = expected.get(name);
            Object v = actual.get(name);
            if (e.isTextual()) {
                assertEquals(e.asText(), v, where + " attribute " + name);
            } else {
                List<JsonNode> items = new ArrayList<>();
                (e.isArray() ? e : JSON.createArrayNode().add(e)).forEach(items::add);
                List<?> got = v instanceof List<?> l ? l : List.of(v);
                assertEquals(items.size(), got.size(), where + " attribute " + name + " length");
                for (int i = 0; i < items.size(); i++) {
                    assertValue(where + " attribute " + name + "[" + i + "]", items.get(i), got.get(i));
                }
            }
        }
    }

    private static void assertFill(String where, JsonNode ev, VirtualArray a) {
        JsonNode fill = ev.get("attributes").get("_FillValue");
        Object actual = a.metadata().fillValue();
        if (a.metadata().dtype().kind() == 'S') {
            byte expected = fill == null ? 0 : (byte) fill.get("bytes").get(0).asInt();
            assertEquals(expected, Base64.getDecoder().decode((String) actual)[0], where + " fill");
        } else if (fill != null) {
            assertValue(where + " fill", fill, actual);
        } else {
            assertValue(where + " default fill", JSON.valueToTree(defaultFill(a.metadata().dtype())), actual);
        }
    }

    private static Object defaultFill(DType d) {
        for (NetCdf3Type t : NetCdf3Type.values()) {
            if (t.dtype().equals(d)) {
                return t.defaultFill;
            }
        }
        throw new AssertionError("no NetCDF3 type for " + d);
    }

    private static void assertValues(String where, JsonNode expected, List<Object> actual) {
        assertEquals(expected.size(), actual.size(), where + " value count");
        Iterator<JsonNode> it = expected.elements();
        for (int i = 0; i < actual.size(); i++) {
            assertValue(where + "[" + i + "]", it.next(), actual.get(i));
        }
    }

    private static void assertValue(String where, JsonNode e, Object actual) {
        if (e.isTextual()) {
            double d = ((Number) actual).doubleValue();
            switch (e.asText()) {
                case "NaN" -> assertTrue(Double.isNaN(d), where + ": expected NaN, got " + actual);
                case "Infinity" -> assertEquals(Double.POSITIVE_INFINITY, d, where);
                case "-Infinity" -> assertEquals(Double.NEGATIVE_INFINITY, d, where);
                default -> throw new AssertionError(where + ": unexpected " + e);
            }
        } else if (e.isFloatingPointNumber()) {
            assertEquals(e.asDouble(), ((Number) actual).doubleValue(), where);
        } else {
            assertEquals(e.bigIntegerValue(), new BigInteger(actual.toString()), where);
        }
    }

    /** Reads every chunk of an array from the file bytes, in chunk-index order, and decodes it. */
    private static List<Object> decode(VirtualArray a, byte[] file) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        a.chunks().entrySet().stream()
                .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getKey().split("\\.")[0])))
                .forEach(e -> {
                    Reference.Range r = assertInstanceOf(Reference.Range.class, e.getValue());
                    data.write(file, (int) r.offset(), (int) r.length());
                });
        DType d = a.metadata().dtype();
        NetCdf3Type type = null;
        for (NetCdf3Type t : NetCdf3Type.values()) {
            if (t.dtype().equals(d)) {
                type = t;
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(data.toByteArray());
        List<Object> values = new ArrayList<>();
        while (buf.hasRemaining()) {
            values.add(NetCdf3HeaderParser.readValue(type, buf));
        }
        return values;
    }

    @Test
    void largeVariablesSplitAlongTheFirstDimensionIntoEqualChunks() throws IOException {
        VirtualDataset ds = scan(Fixtures.netcdf3Dir().resolve("classic_large.nc"), SMALL_CHUNKS);
        VirtualArray big = ds.arrays().stream().filter(a -> a.path().equals("big")).findFirst().orElseThrow();
        assertEquals(List.of(8, 100), big.metadata().chunks(), "8 rows of 800 bytes fit 8 KiB and divide 64");
        assertEquals(8, big.chunks().size());
        VirtualArray prime = ds.arrays().stream().filter(a -> a.path().equals("prime_rows")).findFirst().orElseThrow();
        assertEquals(List.of(1, 100), prime.metadata().chunks(), "67 rows: only 1 divides it");
        VirtualDataset whole = scan(Fixtures.netcdf3Dir().resolve("classic_large.nc"), ScanOptions.defaults());
        assertTrue(whole.arrays().stream().allMatch(a -> a.chunks().size() == 1), "default 16 MiB: no split");
    }

    @Test
    void oneRecordVariableRecordsAreNotPadded() throws IOException {
        VirtualDataset ds = scan(Fixtures.netcdf3Dir().resolve("classic_one_record_var.nc"), SMALL_CHUNKS);
        VirtualArray code = ds.arrays().stream().filter(a -> a.path().equals("code")).findFirst().orElseThrow();
        Reference.Range r0 = (Reference.Range) code.chunks().get("0.0");
        Reference.Range r1 = (Reference.Range) code.chunks().get("1.0");
        assertEquals(6, r0.length());
        assertEquals(6, r1.offset() - r0.offset(), "3 shorts per record, no padding to 8");
    }

    @Test
    void streamingRecordCountComesFromTheFileSize() throws IOException {
        for (String variant : List.of("classic", "offset64", "cdf5")) {
            VirtualDataset streaming = scan(Fixtures.netcdf3Dir().resolve(variant + "_streaming.nc"), SMALL_CHUNKS);
            VirtualArray temp = streaming.arrays().stream().filter(a -> a.path().equals("temp")).findFirst().orElseThrow();
            assertEquals(4L, temp.metadata().shape().get(0), variant);
        }
    }

    @Test
    void scanningReadsLittleMoreThanTheHeader() throws IOException {
        Path file = Fixtures.netcdf3Dir().resolve("classic_large.nc");
        MemorySource source = new MemorySource("file://" + file, Files.readAllBytes(file));
        VirtualDataset ds = new Indexer(SMALL_CHUNKS).scan(source);
        long header = ds.arrays().stream().flatMap(a -> a.chunks().values().stream())
                .mapToLong(r -> ((Reference.Range) r).offset()).min().orElseThrow();
        assertTrue(source.bytesRead() <= 8 + Math.max(1024, 2 * header), "read " + source.bytesRead()
                + " bytes for a " + header + "-byte header of a " + source.size() + "-byte file");
        assertTrue(source.reads() <= 3, source.reads() + " reads");
    }

    @TestFactory
    Stream<DynamicTest> corruptFilesFailWithTheFileAndOffset() {
        return Fixtures.badNetcdf3Files().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ScanException e = assertThrows(ScanException.class, () -> scan(f, SMALL_CHUNKS));
            assertTrue(e.getMessage().startsWith("file://" + f), e.getMessage());
            assertFalse(e.reason().isBlank());
            if (Files.size(f) > 8 && Fixtures.hasNetcdf3Magic(f)) {
                assertTrue(e.offset() >= 0, "an offset for " + e.getMessage());
            }
        }));
    }
}
