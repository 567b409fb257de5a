package io.refcat.indexer.grib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.MemorySource;
import io.refcat.indexer.ScanException;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GribScannerTest {

    static VirtualDataset scan(String relative, ScanOptions options) throws IOException {
        Path file = Fixtures.dataDir().resolve(relative);
        return new Indexer(options).scan(new MemorySource("file://" + file, Files.readAllBytes(file)));
    }

    static VirtualArray array(VirtualDataset ds, String path) {
        return ds.arrays().stream().filter(a -> a.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no array " + path + " in " + ds.arrays().stream()
                        .map(VirtualArray::path).toList()));
    }

    static double[] doubles(VirtualArray a) {
        ByteBuffer b = ByteBuffer.wrap(((Reference.Inline) a.chunks().values().iterator().next()).data())
                .order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }

    @Test
    void fieldsBecomeCfgribsHypercubeWithOneChunkPerMessage() throws IOException {
        VirtualDataset ds = scan("grib/pl_steps.grib2", ScanOptions.defaults());
        VirtualArray t = array(ds, "t");
        assertEquals(List.of("step", "isobaricInhPa", "latitude", "longitude"), t.dimensions());
        assertEquals(List.of(2L, 3L, 13L, 24L), t.metadata().shape());
        assertEquals(List.of(1, 1, 13, 24), t.metadata().chunks());
        assertEquals(6, t.chunks().size(), "one chunk per field");
        assertEquals("grib", t.metadata().filters().get(0).id(), "kerchunk's codec");
        assertArrayEquals(new double[] {850, 500, 250}, doubles(array(ds, "isobaricInhPa")), "pressure decreasing");
        assertArrayEquals(new double[] {0, 6}, doubles(array(ds, "step")));
        assertEquals("Temperature", t.attributes().get("GRIB_name"));
        assertEquals("air_temperature", t.attributes().get("standard_name"));
    }

    @Test
    void ensembleMembersAfterJunkBetweenMessages() throws IOException {
        VirtualDataset ds = scan("grib/ensemble.grib1", ScanOptions.defaults());
        VirtualArray t = array(ds, "t");
        assertEquals(List.of("number", "step", "latitude", "longitude"), t.dimensions());
        assertEquals(6, t.chunks().size());
        assertTrue(ds.unsupported().isEmpty(), ds.unsupported().toString());
        Reference.Range first = (Reference.Range) t.chunks().get("0.0.0.0");
        assertEquals("GRIB", new String(Files.readAllBytes(Fixtures.dataDir().resolve("grib/ensemble.grib1")),
                (int) first.offset(), 4, java.nio.charset.StandardCharsets.US_ASCII), "the reference starts at GRIB");
    }

    @Test
    void gridsAndPackingsRefcatCannotServeAreReportedByName() throws IOException {
        VirtualDataset harmonics = scan("grib/unsupported/spherical_harmonics.grib2", ScanOptions.defaults());
        assertTrue(harmonics.unsupported().values().iterator().next().contains("(sh)"),
                harmonics.unsupported().toString());
        assertTrue(harmonics.unsupported().keySet().iterator().next().startsWith("t ("), "listed by variable");
    }

    /**
     * Scanning reads the messages' section headers, not their packed data nor the bytes between
     * them: their headers and less than 200 bytes more per message whatever the field size, also with padding between
     * messages (a 64 KiB window per message used to read a file of small messages many times over).
     */
    @Test
    void bytesReadPerMessageDoNotGrowWithFieldsOrPadding() throws IOException {
        byte[] one = Files.readAllBytes(Fixtures.dataDir().resolve("grib/ccsds.grib2")); // 5 fields of 4,992 points
        java.io.ByteArrayOutputStream padded = new java.io.ByteArrayOutputStream();
        for (int copy = 0; copy < 4; copy++) {
            padded.writeBytes(one);
            padded.writeBytes(new byte[64]); // zeros between messages, as some writers pad
        }
        io.refcat.indexer.MemorySource source = new io.refcat.indexer.MemorySource("file:///padded.grib2",
                padded.toByteArray());
        VirtualDataset ds = new Indexer(ScanOptions.defaults()).scan(source);
        assertEquals(5, array(ds, "t2m").chunks().size(), "duplicates reported, the first of each kept");
        long perMessage = source.bytesRead() / 20;
        // each message's sections 0-5 and the heads of 6 and 7 are 183 bytes: read little more
        assertTrue(perMessage < 183 + 200, perMessage + " bytes read per message of about 6,400");
    }

    /**
     * Section headers are read ahead by their declared lengths; a length that does not fit the
     * message stops that, and NetCDF-Java, reading on by itself, reports the message as before:
     * by its offset, the rest of the file indexed, nothing read past the message.
     */
    @Test
    void aSectionLengthThatDoesNotFitReportsTheMessageAndTheFileGoesOn() throws IOException {
        byte[] file = Files.readAllBytes(Fixtures.dataDir().resolve("grib/pl_steps.grib2"));
        ByteBuffer b = ByteBuffer.wrap(file);
        int second = 16 + b.getInt(16); // section 1 is followed by section 3 (no local use)
        assertEquals(3, file[second + 4], "section 3 of the first message");
        b.putInt(second, 0xFFFFFFF0);
        VirtualDataset ds = new Indexer(ScanOptions.defaults()).scan(new MemorySource("file:///cut.grib2", file));
        assertEquals(1, ds.unsupported().size(), ds.unsupported().toString());
        String reason = ds.unsupported().values().iterator().next();
        assertTrue(reason.startsWith("the message's sections do not parse"), reason);
        assertEquals(5, array(ds, "t").chunks().size(), "the file's other fields of t");
    }

    /** GRIB1 packings refcat does not decode are listed by variable with the packing's name, never referenced. */
    @Test
    void grib1PackingsWithoutADecoderAreReportedByName() throws IOException {
        Map<String, String> expected = Map.of("matrix_of_values", "GRIB1 matrix-of-values packing has no decoder in refcat",
                "second_order_boustrophedonic", "GRIB1 second-order packing with extended flags 30 has no decoder in "
                        + "refcat (it decodes general extended packing in standard order)",
                "spherical_harmonics", "grid type 50 (sh) is not placed yet");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            VirtualDataset ds = scan("grib/unsupported/" + e.getKey() + ".grib1", ScanOptions.defaults());
            assertEquals(Map.of("t2m (surface)", e.getValue()), ds.unsupported(), e.getKey());
            assertTrue(ds.arrays().stream().noneMatch(a -> a.path().endsWith("t2m")), e.getKey() + ": not referenced");
        }
    }

    @Test
    void projectedAndReducedGridsTakeCfgribsDimensions() throws IOException {
        VirtualDataset lambert = scan("grib/lambert.grib2", ScanOptions.defaults());
        assertEquals(List.of("y", "x"), array(lambert, "t2m").dimensions());
        assertEquals(List.of("y", "x"), array(lambert, "latitude").dimensions());
        assertEquals(List.of(15L, 20L), array(lambert, "longitude").metadata().shape());
        assertEquals(40.0, doubles(array(lambert, "latitude"))[0], 1e-9, "the first grid point");
        VirtualDataset reduced = scan("grib/reduced_gaussian.grib2", ScanOptions.defaults());
        assertEquals(List.of("values"), array(reduced, "t2m").dimensions());
        assertEquals(List.of("values"), array(reduced, "latitude").dimensions());
        VirtualDataset reducedLl = scan("grib/reduced_ll.grib2", ScanOptions.defaults());
        assertTrue(reducedLl.unsupported().isEmpty(), reducedLl.unsupported().toString());
        assertEquals(List.of("values"), array(reducedLl, "latitude").dimensions());
        assertEquals(List.of(313362L), array(reducedLl, "longitude").metadata().shape());
    }

    @Test
    void aMessageWithTwoFieldsGivesTwoVariablesOverOneByteRange() throws IOException {
        VirtualDataset ds = scan("grib/multi_field.grib2", ScanOptions.defaults());
        VirtualArray t = array(ds, "t2m");
        VirtualArray d = array(ds, "d2m");
        assertEquals(t.chunks().get("0.0"), d.chunks().get("0.0"), "both reference the whole message");
        assertEquals(1, d.metadata().filters().get(0).config().get("field"), "the second field of the message");
        assertTrue(!t.metadata().filters().get(0).config().containsKey("field"), "kerchunk's codec for the first");
    }

    @Test
    void badMessagesAreReportedWithTheirOffsetAndTheRestIsIndexed() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.dataDir().resolve("grib/pl_steps.grib2"));
        long first = ByteBuffer.wrap(good, 8, 8).getLong();
        VirtualDataset corrupt = scan("bad/grib/corrupt_end_marker.grib2", ScanOptions.defaults());
        assertEquals(List.of("message@" + first), List.copyOf(corrupt.unsupported().keySet()));
        assertTrue(corrupt.unsupported().get("message@" + first).contains("7777"));
        assertEquals(11, corrupt.arrays().stream().filter(a -> a.path().equals("t") || a.path().equals("u"))
                .mapToInt(a -> a.chunks().size()).sum(), "the other eleven messages");
        VirtualDataset truncated = scan("bad/grib/truncated.grib2", ScanOptions.defaults());
        assertEquals(1, truncated.unsupported().size());
        assertTrue(truncated.unsupported().values().iterator().next().contains("cut short"));
    }

    @Test
    void strictFailsTheFileOnABadMessage() {
        ScanException e = assertThrows(ScanException.class,
                () -> scan("bad/grib/truncated.grib2", ScanOptions.defaults().withStrict(true)));
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void conceptsFollowEcCodes() {
        GribConcepts c = GribConcepts.get();
        java.util.Map<String, Object> twoMetre = new java.util.HashMap<>(java.util.Map.of("discipline", 0L,
                "parameterCategory", 0L, "parameterNumber", 0L, "typeOfFirstFixedSurface", 103L,
                "scaleFactorOfFirstFixedSurface", 0L, "scaledValueOfFirstFixedSurface", 2L));
        assertEquals("t2m", c.evaluate(2, "cfVarName", 98, twoMetre), "the most specific entry wins");
        twoMetre.put("scaledValueOfFirstFixedSurface", 10L);
        assertEquals("t", c.evaluate(2, "cfVarName", 98, twoMetre));
        assertEquals("ecmf", c.centre(98));
    }
}
