package io.refcat.indexer.combine;

import io.refcat.indexer.ChunkValues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Combine's placement rules on synthetic reference sets: each "file" has an inline time
 * coordinate and a variable whose chunks point to made-up byte ranges, so the test can tell
 * exactly where every output chunk comes from.
 */
class CombinerTest {
    private static final DType F4 = new DType('<', 'f', 4);
    private static final DType F8 = new DType('<', 'f', 8);

    @TempDir
    Path tmp;

    /** Inline chunks are read as they are; nothing here points into a real file. */
    private static final ChunkValues INLINE = (refs, key, meta) ->
            ((Reference.Inline) refs.get(key).orElseThrow()).data();

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    /**
     * A file with {@code time} values (days since 2000-01-01 unless {@code units} says otherwise)
     * and {@code temp(time, x)} chunked {@code chunk} along time, compressed or not.
     */
    static ReferenceSet file(String url, double[] days, int chunk, boolean compressed, String units, String... extra) {
        int n = days.length;
        List<VirtualArray> arrays = new ArrayList<>();
        Map<String, Object> timeAttrs = new LinkedHashMap<>();
        timeAttrs.put("units", units);
        arrays.add(new VirtualArray("time", ZarrArrayMetadata.uncompressed(List.of((long) n), List.of(n), F8, null),
                timeAttrs, List.of("time"), new TreeMap<>(Map.of("0", new Reference.Inline(doubles(days))))));
        for (String name : prepend("temp", extra)) {
            TreeMap<String, Reference> chunks = new TreeMap<>();
            for (int c = 0; c * chunk < n; c++) {
                chunks.put(c + ".0", new Reference.Range(url, 1000L * c, compressed ? 77 : 4L * chunk * 3));
            }
            ZarrArrayMetadata meta = new ZarrArrayMetadata(List.of((long) n, 3L), List.of(chunk, 3), F4,
                    compressed ? new Codec("zlib", Map.of("level", 4)) : null, List.of(), Double.NaN, 'C', ".");
            arrays.add(new VirtualArray(name, meta, Map.of("units", "K"), List.of("time", "x"), chunks));
        }
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(5000)));
        return new VirtualDataset(Map.of(), arrays, sources).toReferenceSet();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static double[] range(double from, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i;
        }
        return v;
    }

    private CombinedReferences combine(List<ReferenceSet> sets, boolean strict) throws IOException {
        List<CombineInput> inputs = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            ReferenceSet s = sets.get(i);
            inputs.add(new CombineInput("f" + i, () -> s));
        }
        CombineOptions options = new CombineOptions(List.of("time"), Set.of(), Map.of(), strict, 1 << 20, tmp);
        return new Combiner(options, INLINE).combine(inputs);
    }

    private static Map<String, Reference> chunks(LargeReferenceSet set, String array) throws IOException {
        Map<String, Reference> out = new TreeMap<>();
        long[] grid = set.arrays().get(array).chunkGrid();
        set.chunks(array, (i, ref) -> out.put(set.arrays().get(array).chunkKey(LargeReferenceSet.unravel(i, grid)), ref));
        return out;
    }

    private static double[] time(LargeReferenceSet set) throws IOException {
        Reference.Inline inline = (Reference.Inline) chunks(set, "time").get("0");
        ByteBuffer b = ByteBuffer.wrap(inline.data()).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[inline.data().length / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }

    @Test
    void alignedCompressedChunksKeepTheirLengthAndAPartialLastFileStaysLast() throws IOException {
        try (CombinedReferences c = combine(List.of(
                file("b.nc", range(4, 4), 2, true, "days since 2000-01-01"),
                file("a.nc", range(0, 4), 2, true, "days since 2000-01-01"),
                file("c.nc", range(8, 3), 2, true, "days since 2000-01-01")), false)) {
            assertEquals(List.of(11L, 3L), c.arrays().get("temp").shape());
            assertEquals(List.of(2, 3), c.arrays().get("temp").chunks());
            Map<String, Reference> temp = chunks(c, "temp");
            assertEquals(new Reference.Range("a.nc", 0, 77), temp.get("0.0"));
            assertEquals(new Reference.Range("b.nc", 1000, 77), temp.get("3.0"));
            assertEquals(new Reference.Range("c.nc", 1000, 77), temp.get("5.0"));
            assertEquals(6, temp.size());
            assertEquals(11, time(c).length);
            assertTrue(c.report().leftOut().isEmpty());
        }
    }

    @Test
    void unequalUncompressedFilesAreCutIntoOneStepSlabs() throws IOException {
        try (CombinedReferences c = combine(List.of(
                file("a.nc", range(0, 3), 3, false, "days since 2000-01-01"),
                file("b.nc", range(3, 2), 2, false, "days since 2000-01-01")), false)) {
            assertEquals(List.of(1, 3), c.arrays().get("temp").chunks());
            Map<String, Reference> temp = chunks(c, "temp");
            assertEquals(new Reference.Range("a.nc", 12, 12), temp.get("1.0"));
            assertEquals(new Reference.Range("a.nc", 24, 12), temp.get("2.0"));
            assertEquals(new Reference.Range("b.nc", 0, 12), temp.get("3.0"));
            assertEquals(new Reference.Range("b.nc", 12, 12), temp.get("4.0"));
        }
    }

    @Test
    void misalignedCompressedChunksLeaveTheVariableOutOrFailStrictRuns() throws IOException {
        List<ReferenceSet> sets = List.of(file("a.nc", range(0, 3), 2, true, "days since 2000-01-01"),
                file("b.nc", range(3, 3), 2, true, "days since 2000-01-01"));
        try (CombinedReferences c = combine(sets, false)) {
            assertFalse(c.arrays().containsKey("temp"));
            assertTrue(c.unsupported().get("temp").contains("starts at step 3, inside a chunk of 2"),
                    c.unsupported().toString());
        }
        CombineException e = assertThrows(CombineException.class, () -> combine(sets, true));
        assertTrue(e.getMessage().contains("temp"), e.getMessage());
    }

    @Test
    void timeUnitsOfEachFileAreConvertedToTheFirstFiles() throws IOException {
        try (CombinedReferences c = combine(List.of(
                file("a.nc", range(0, 2), 1, true, "days since 2000-01-01"),
                file("b.nc", new double[] {48, 72}, 1, true, "hours since 2000-01-01 00:00:00")), false)) {
            assertEquals(List.of(0.0, 1.0, 2.0, 3.0), java.util.Arrays.stream(time(c)).boxed().toList());
        }
    }

    @Test
    void overlappingAndInterleavedFilesAreLeftOutWithTheReason() throws IOException {
        try (CombinedReferences c = combine(List.of(
                file("a.nc", range(0, 4), 1, true, "days since 2000-01-01"),
                file("b.nc", range(2, 4), 1, true, "days since 2000-01-01"),
                file("c.nc", new double[] {10, 12}, 1, true, "days since 2000-01-01"),
                file("d.nc", new double[] {11, 13}, 1, true, "days since 2000-01-01")), false)) {
            List<String> out = c.report().leftOut();
            assertEquals(2, out.size(), out.toString());
            assertTrue(out.contains("f3: its values interleave with another file's"), out.toString());
            assertTrue(out.contains("f1: its 'time' values overlap those of f0"), out.toString());
            assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 10.0, 12.0), java.util.Arrays.stream(time(c)).boxed().toList());
        }
    }

    @Test
    void variablesInSomeFilesOnlyAreKeptAndGapsReported() throws IOException {
        try (CombinedReferences c = combine(List.of(
                file("a.nc", range(0, 2), 1, true, "days since 2000-01-01"),
                file("b.nc", range(5, 2), 1, true, "days since 2000-01-01", "rain")), false)) {
            Map<String, Reference> rain = chunks(c, "rain");
            assertEquals(Set.of("2.0", "3.0"), rain.keySet());
            assertEquals(1, c.report().gaps().size(), c.report().gaps().toString());
        }
    }

    @Test
    void aFileWhoseStructureDiffersIsLeftOutNamingTheDifference() throws IOException {
        ReferenceSet odd = file("b.nc", range(2, 2), 1, true, "days since 2000-01-01");
        Map<String, Reference> refs = new TreeMap<>(odd.refs());
        refs.put("temp/.zarray", new Reference.Inline(new ZarrArrayMetadata(List.of(2L, 3L), List.of(1, 3), F8,
                new Codec("zlib", Map.of("level", 4)), List.of(), Double.NaN, 'C', ".").toJsonBytes()));
        try (CombinedReferences c = combine(List.of(file("a.nc", range(0, 2), 1, true, "days since 2000-01-01"),
                new ReferenceSet(new TreeMap<>(refs), odd.sources())), false)) {
            assertEquals(1, c.report().leftOut().size());
            assertTrue(c.report().leftOut().get(0).contains("dtype <f8 where the first file has <f4"),
                    c.report().leftOut().toString());
        }
    }

    @Test
    void twoDimensionsOneFromAnAttributeMakeAGridOfFiles() throws IOException {
        List<CombineInput> inputs = new ArrayList<>();
        int i = 0;
        for (int member : new int[] {1, 0}) {
            for (int start : new int[] {2, 0}) {
                ReferenceSet s = withGlobalAttribute(file("m" + member + "t" + start + ".nc", range(start, 2), 1, true,
                        "days since 2000-01-01"), "{\"member\": " + member + "}");
                inputs.add(new CombineInput("f" + i++, () -> s));
            }
        }
        CombineOptions options = new CombineOptions(List.of("time", "member"), Set.of(),
                Map.of("member", new CoordinateRule.Attribute("member")), false, 1 << 20, tmp);
        try (CombinedReferences c = new Combiner(options, INLINE).combine(inputs)) {
            assertEquals(List.of(2L, 4L, 3L), c.arrays().get("temp").shape());
            Map<String, Reference> temp = chunks(c, "temp");
            assertEquals(8, temp.size());
            assertEquals(new Reference.Range("m1t2.nc", 1000, 77), temp.get("1.3.0"));
            assertEquals(new Reference.Range("m0t0.nc", 0, 77), temp.get("0.0.0"));
            String attrs = new String(((Reference.Inline) c.metadata().get("temp/.zattrs")).data(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(attrs.contains("[\"member\",\"time\",\"x\"]"), attrs);
        }
    }

    private static ReferenceSet withGlobalAttribute(ReferenceSet s, String attrs) {
        Map<String, Reference> refs = new TreeMap<>(s.refs());
        refs.put(".zattrs", new Reference.Inline(attrs.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new ReferenceSet(new TreeMap<>(refs), s.sources());
    }

    @Test
    void theChunkTableLeavesNothingBehind() throws IOException {
        try (CombinedReferences c = combine(List.of(file("a.nc", range(0, 2), 1, true, "days since 2000-01-01")), false)) {
            assertEquals(2, chunks(c, "temp").size());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void dimensionNamesAreRequired() {
        ReferenceSet s = file("a.nc", range(0, 2), 1, true, "days since 2000-01-01");
        Map<String, Reference> refs = new TreeMap<>(s.refs());
        refs.put("temp/.zattrs", new Reference.Inline("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        CombineException e = assertThrows(CombineException.class,
                () -> combine(List.of(new ReferenceSet(new TreeMap<>(refs), s.sources())), false));
        assertTrue(e.getMessage().contains(VirtualArray.ARRAY_DIMENSIONS), e.getMessage());
    }
}
