package io.refcat.indexer.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.refcat.reference.zarr.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Structure of what the HDF5 scanner makes of the fixtures; values are proven in Hdf5InteropTest. */
class Hdf5ScannerTest {

    static VirtualDataset scan(String relative) throws IOException {
        Path file = Fixtures.dataDir().resolve(relative);
        return new Indexer(ScanOptions.defaults()).scan(new MemorySource("file://" + file, Files.readAllBytes(file)));
    }

    static VirtualArray array(VirtualDataset ds, String path) {
        return ds.arrays().stream().filter(a -> a.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no array " + path));
    }

    @Test
    void offsetsAreAbsoluteBehindAUserBlock() throws IOException {
        VirtualDataset ds = scan("hdf5/userblock.h5");
        for (VirtualArray a : ds.arrays()) {
            for (Reference r : a.chunks().values()) {
                assertTrue(((Reference.Range) r).offset() >= 1024, a.path() + ": " + r);
            }
        }
    }

    @Test
    void externalLinksPointIntoTheLinkedFile() throws IOException {
        VirtualDataset ds = scan("hdf5/external_link.h5");
        String target = "file://" + Fixtures.dataDir().resolve("hdf5/external_target.h5").toAbsolutePath().normalize();
        VirtualArray linked = array(ds, "linked");
        assertEquals(2, linked.chunks().size());
        assertTrue(linked.chunks().values().stream().allMatch(r -> ((Reference.Range) r).url().equals(target)));
        assertTrue(ds.sources().containsKey(target), "the linked file's size is recorded: " + ds.sources());
    }

    @Test
    void chunksStoredWithAFilterSkippedKeepTheirMask() throws IOException {
        VirtualDataset ds = scan("hdf5/matrix_latest.h5");
        VirtualArray lzf = array(ds, "fixed/lzf/le_i1");
        assertFalse(lzf.filterMasks().isEmpty(), "lzf leaves small incompressible chunks uncompressed");
        assertTrue(lzf.filterMasks().values().stream().allMatch(m -> m == 1), lzf.filterMasks().toString());
        assertTrue(ds.toReferenceSet().filterMasks().keySet().stream().anyMatch(k -> k.startsWith("fixed/lzf/le_i1/")));
    }

    @Test
    void chunksNeverWrittenHaveNoKey() throws IOException {
        for (String file : List.of("hdf5/layouts_earliest.h5", "hdf5/layouts_latest.h5")) {
            VirtualArray sparse = array(scan(file), "chunked/sparse");
            assertEquals(List.of("0.1", "2.2"), List.copyOf(sparse.chunks().keySet()), file);
            assertEquals(-99L, sparse.metadata().fillValue());
        }
    }

    @Test
    void filtersBecomeZarrCodecsWithDeflateAsCompressor() throws IOException {
        VirtualDataset ds = scan("hdf5/layouts_latest.h5");
        assertEquals(new Codec("zlib", java.util.Map.of("level", 6)), array(ds, "chunked/gzip").metadata().compressor());
        assertEquals(List.of(), array(ds, "chunked/gzip").metadata().filters());
        assertEquals(List.of("shuffle"), array(ds, "chunked/shuffle_gzip").metadata().filters().stream()
                .map(Codec::id).toList());
        assertEquals("zlib", array(ds, "chunked/shuffle_gzip").metadata().compressor().id());
        assertEquals(List.of("shuffle"), array(ds, "chunked/shuffle_only").metadata().filters().stream()
                .map(Codec::id).toList());
        assertEquals(4, array(ds, "chunked/shuffle_gzip").metadata().filters().get(0).config().get("elementsize"));
    }

    @Test
    void datatypesJhdfMisreadsAreRepaired() throws IOException {
        VirtualDataset ds = scan("hdf5/layouts_earliest.h5");
        assertEquals(java.util.Map.of(), ds.unsupported());
        assertEquals(List.of(4L, 2L, 3L), array(ds, "array_type").metadata().shape(), "version-2 array datatype");
        VirtualDataset committed = scan("hdf5/committed.h5");
        assertEquals(List.of(List.of("x", "<f4"), List.of("", "|V4"), List.of("y", "<f8")),
                array(committed, "points").metadata().dtype().toJson(), "a committed compound, with its padding");
        assertEquals(">i2", array(committed, "levels").metadata().dtype().toJson(), "a committed integer type");
        assertEquals(java.util.Map.of("x", 0.5, "y", -1.25), array(committed, "points").attributes().get("origin"),
                "a compound attribute is an object");
        assertEquals(List.of(java.util.Map.of("i", 1L, "f", 2.5), java.util.Map.of("i", 3L, "f", -4.0)),
                committed.groups().get("").get("corners"), "an array of compounds a list of objects");
        assertEquals(java.util.Set.of("points", "levels"),
                committed.arrays().stream().map(VirtualArray::path).collect(java.util.stream.Collectors.toSet()),
                "committed datatypes themselves are type definitions, not arrays");
    }

    @Test
    void paddedCompoundsKeepTheirMembersAtTheirOffsets() throws IOException {
        VirtualDataset ds = scan("hdf5/layouts_earliest.h5");
        assertEquals(List.of("fletcher32"), array(ds, "chunked/fletcher32").metadata().filters().stream()
                .map(Codec::id).toList());
        assertEquals(List.of(List.of("a", "|i1"), List.of("", "|V7"), List.of("b", "<f8")),
                array(ds, "padded_compound").metadata().dtype().toJson(), "padding as NumPy's descr writes it");
        assertTrue(ds.arrays().size() > 30);
    }

    @Test
    void enumsKeepTheirMappingAsCfFlags() throws IOException {
        VirtualArray colour = array(scan("hdf5/layouts_latest.h5"), "colour");
        assertEquals("|u1", colour.metadata().dtype().toString());
        assertEquals(List.of(0L, 1L, 7L), colour.attributes().get("flag_values"));
        assertEquals("red green dark_blue", colour.attributes().get("flag_meanings"));
    }

    @Test
    void packedCompoundsBecomeStructuredDtypes() throws IOException {
        VirtualArray compound = array(scan("hdf5/layouts_latest.h5"), "compound");
        assertEquals(List.of(List.of("a", "<i4"), List.of("b", "<f8"), List.of("pair", ">i2", List.of(2))),
                compound.metadata().dtype().toJson());
        assertEquals(16, compound.metadata().dtype().itemSize());
    }

    @Test
    void arrayDatatypesBecomeTrailingDimensions() throws IOException {
        VirtualDataset ds = scan("hdf5/layouts_latest.h5");
        assertEquals(List.of(4L, 2L, 3L), array(ds, "array_type").metadata().shape());
        VirtualArray chunked = array(ds, "chunked/array_type_chunked");
        assertEquals(List.of(4, 6), chunked.metadata().chunks());
        assertEquals(List.of("0.0", "1.0", "2.0"), List.copyOf(chunked.chunks().keySet()));
        assertEquals(24, chunked.metadata().filters().get(0).config().get("elementsize"), "shuffle of whole elements");
    }

    @Test
    void variableLengthStringsAreInlinedAsVlenUtf8() throws IOException {
        VirtualArray strings = array(scan("hdf5/layouts_earliest.h5"), "vlen_strings");
        assertEquals("|O", strings.metadata().dtype().toString());
        assertEquals("vlen-utf8", strings.metadata().filters().get(0).id());
        byte[] chunk = ((Reference.Inline) strings.chunks().get("0")).data();
        assertEquals(4 + 4 + 1 + 4 + 6, chunk.length, "count, then x and longer with their lengths");
    }

    @Test
    void variableLengthSequencesAreInlinedAsVlenArray() throws IOException {
        VirtualArray seq = array(scan("hdf5/layouts_earliest.h5"), "vlen_sequences");
        assertEquals(new Codec("vlen-array", java.util.Map.of("dtype", "<i4")), seq.metadata().filters().get(0));
        byte[] chunk = ((Reference.Inline) seq.chunks().get("0")).data();
        assertEquals(4 + (4 + 12) + 4 + (4 + 4), chunk.length, "three items of 3, 0 and 1 int32");
    }

    @Test
    void netcdf4DimensionsComeFromDimensionScales() throws IOException {
        VirtualDataset ds = scan("netcdf4/netcdf4.nc");
        assertEquals(List.of("time", "lat", "lon"), array(ds, "tas").dimensions());
        assertEquals(List.of("lat", "nv"), array(ds, "lat_bnds").dimensions());
        assertEquals(List.of("step", "lat"), array(ds, "forecast/height").dimensions());
        assertFalse(ds.arrays().stream().anyMatch(a -> a.path().equals("nv")), "a dimension without a variable");
        assertFalse(array(ds, "tas").attributes().containsKey("DIMENSION_LIST"));
        assertEquals((double) 1e20f, array(ds, "tas").metadata().fillValue(), "the float32 _FillValue");
        assertEquals("refcat NetCDF4 fixture", ds.groups().get("").get("title"));
        assertEquals("a nested group", ds.groups().get("forecast").get("source"));
    }

    @Test
    void plainHdf5GetsLibnetcdfsPhonyDimensions() throws IOException {
        VirtualDataset ds = scan("hdf5/implicit_and_compact.h5");
        assertEquals(List.of("phony_dim_0", "phony_dim_1"), array(ds, "compact").dimensions());
        assertEquals(List.of("phony_dim_2", "phony_dim_3"), array(ds, "implicit").dimensions());
        assertTrue(array(ds, "compact").chunks().get("0.0") instanceof Reference.Inline, "compact data inlined");
    }

    @Test
    void virtualDatasetsAreFollowedToTheirSourcesChunks() throws IOException {
        VirtualDataset ds = scan("hdf5/vds/vds.h5");
        String dir = "file://" + Fixtures.dataDir().resolve("hdf5/vds").toAbsolutePath().normalize() + "/";
        VirtualArray stacked = array(ds, "stacked");
        assertEquals(List.of(1, 5, 6), stacked.metadata().chunks(), "one source per chunk along the new dimension");
        for (int i = 0; i < 4; i++) {
            Reference.Range r = (Reference.Range) stacked.chunks().get(i + ".0.0");
            assertEquals(dir + "vds_source_" + i + ".h5", r.url());
            assertEquals(5 * 6 * 4, r.length());
        }
        assertEquals("K", stacked.attributes().get("units"), "the virtual dataset's own attributes");
        VirtualArray joined = array(ds, "joined");
        assertEquals(List.of(5), joined.metadata().chunks());
        assertEquals("zlib", joined.metadata().compressor().id(), "the sources' codecs");
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(joined.chunks().keySet()));
        assertEquals(dir + "vds_chunked_1.h5", ((Reference.Range) joined.chunks().get("2")).url());
        VirtualArray partial = array(ds, "partial");
        assertEquals(List.of("0", "1"), List.copyOf(partial.chunks().keySet()), "unmapped chunks have no key");
        assertEquals(-9L, ((Number) partial.metadata().fillValue()).longValue());
        assertEquals(ds.unsupported().keySet(), java.util.Set.of("strided", "missing_source"));
        assertTrue(ds.unsupported().get("strided").contains("strided selection"), ds.unsupported().get("strided"));
        assertTrue(ds.unsupported().get("missing_source").contains("'no_such_file.h5' of the virtual dataset is not found"));
        assertTrue(array(ds, "same_file").chunks().get("0.0") instanceof Reference.Range);
    }

    @Test
    void opaqueDataIsRawBytes() throws IOException {
        VirtualDataset ds = scan("hdf5/opaque.h5");
        assertEquals("|V6", array(ds, "contiguous").metadata().dtype().toJson());
        assertEquals("|V6", array(ds, "chunked").metadata().dtype().toJson());
        assertEquals(3, array(ds, "chunked").chunks().size());
    }

    @TestFactory
    Stream<DynamicTest> corruptFilesFailWithTheFileNamed() {
        return Fixtures.badHdf5Files().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ScanException e = assertThrows(ScanException.class, () -> new Indexer(ScanOptions.defaults())
                    .scan(new MemorySource("file://" + f, Files.readAllBytes(f))));
            assertTrue(e.getMessage().startsWith("file://" + f), e.getMessage());
            // refcat's words and where it was reading; the library's text only as the detail
            assertTrue(e.offset() >= 0, "an offset for " + e.getMessage());
            assertTrue(e.reason().matches("at 0x[0-9a-f]+: (the file is truncated|HDF5 structures do not parse).*"),
                    e.reason());
        }));
    }

    /** What a library throws on a corrupt structure reaches the user named, never as a bare "null". */
    @Test
    void libraryExceptionsAreDetailsNamedByKind() {
        assertEquals("NullPointerException", io.refcat.indexer.LibraryText.of(new NullPointerException()));
        assertEquals("Failed to read object header: IllegalArgumentException: newLimit > capacity: (9 > 8)",
                io.refcat.indexer.LibraryText.of(new io.jhdf.exceptions.HdfException("Failed to read object header",
                        new IllegalArgumentException("newLimit > capacity: (9 > 8)"))));
    }

    /** Storage never allocated (the undefined address) is no chunk at all, in every layout: readers use the fill value. */
    @Test
    void datasetsNeverWrittenHaveNoChunks() throws IOException {
        for (String file : List.of("hdf5/unallocated_earliest.h5", "hdf5/unallocated_latest.h5")) {
            VirtualDataset ds = scan(file);
            for (String path : List.of("scalar", "contiguous", "chunked", "chunked_2d", "resizable")) {
                assertTrue(array(ds, path).chunks().isEmpty(), file + " " + path + ": " + array(ds, path).chunks());
            }
            assertEquals(3.25, ((Number) array(ds, "scalar").metadata().fillValue()).doubleValue());
            assertEquals(1, array(ds, "half_written").chunks().size(), "the written chunk only");
        }
        VirtualDataset nc = scan("netcdf4/unwritten.nc");
        for (String path : List.of("scalar", "vector", "names", "chunked")) {
            assertTrue(array(nc, path).chunks().isEmpty(), path + ": " + array(nc, path).chunks());
        }
        assertEquals("", array(nc, "names").metadata().fillValue(), "strings never written read as \"\"");
    }

    /** Objects refcat cannot express are listed; the file is not refused for them, and external raw data are referenced. */
    @Test
    void oneInexpressibleObjectDoesNotFailTheFile() throws IOException {
        VirtualDataset ds = scan("hdf5/partly_unsupported.h5");
        assertEquals(java.util.Set.of("objects", "regions", "no_layout", "bad_type"), ds.unsupported().keySet());
        assertEquals("the object's header has no DataLayoutMessage; it cannot be read", ds.unsupported().get("no_layout"));
        assertEquals("the object's datatype is of class 14, which HDF5 does not define", ds.unsupported().get("bad_type"));
        assertEquals(1, array(ds, "data").chunks().size());
        assertEquals(1, array(ds, "after").chunks().size());
        String raw = "file://" + Fixtures.dataDir().resolve("hdf5/external_storage.raw").toAbsolutePath().normalize();
        assertEquals(new Reference.Range(raw, 0, 96), array(ds, "external").chunks().get("0.0"));
        assertTrue(ds.sources().containsKey(raw), "the external file's size is recorded: " + ds.sources());
    }

    /**
     * External raw data slot by slot: a file per record and slots with a gap are referenced row by
     * row; a slot boundary inside a row and a missing file are listed, and the rest of the file indexed.
     */
    @Test
    void externalStorageSlotsAreReferencedWhereEachChunkLiesInOne() throws IOException {
        VirtualDataset ds = scan("hdf5/external_slots.h5");
        assertEquals(java.util.Set.of("split_row", "missing_file"), ds.unsupported().keySet());
        assertTrue(ds.unsupported().get("split_row").startsWith("its external storage slots split a row"),
                ds.unsupported().get("split_row"));
        assertEquals("its external raw data file no_such_file.raw does not exist (libhdf5 cannot read the data either)",
                ds.unsupported().get("missing_file"));
        java.nio.file.Path dir = Fixtures.dataDir().resolve("hdf5").toAbsolutePath().normalize();
        VirtualArray perRecord = array(ds, "per_record");
        assertEquals(List.of(1, 6), perRecord.metadata().chunks());
        for (int i = 0; i < 4; i++) {
            assertEquals(new Reference.Range("file://" + dir.resolve("external_row_" + i + ".raw"), 0, 24),
                    perRecord.chunks().get(i + ".0"));
        }
        String gapped = "file://" + dir.resolve("external_gapped.raw");
        assertEquals(new Reference.Range(gapped, 24, 24), array(ds, "gapped").chunks().get("1.0"));
        assertEquals(new Reference.Range(gapped, 64, 24), array(ds, "gapped").chunks().get("2.0"), "after the gap");
        assertEquals(java.util.Set.of(gapped, "file://" + dir.resolve("external_row_0.raw")),
                ds.sources().keySet().stream().filter(u -> u.contains("external_gapped") || u.contains("row_0"))
                        .collect(java.util.stream.Collectors.toSet()));
        assertEquals(1, array(ds, "local").chunks().size());
    }

    /** numcodecs' shuffle takes whole elements only: a shuffle after another filter stays HDF5's own. */
    @Test
    void aShuffleAfterAnotherFilterIsWrittenAsHdf5sOwn() throws IOException {
        VirtualDataset ds = scan("hdf5/filter_orders.h5");
        assertEquals(List.of("zlib", "hdf5_filter"), array(ds, "deflate_then_shuffle").metadata().codecChain().stream()
                .map(Codec::id).toList());
        assertEquals(List.of("shuffle", "zlib"), array(ds, "shuffle_then_deflate").metadata().codecChain().stream()
                .map(Codec::id).toList());
    }
    /**
     * Files libhdf5 reads whose structures refcat must not take at their word
     * (fixtures/data/corrupt, see generate_hdf5.py): the corrupt dataset is reported, never
     * referenced, and the rest of the file is indexed.
     */
    @Test
    void aChunkKeyOffTheGridIsReportedNotReferenced() throws IOException {
        VirtualDataset ds = scan("corrupt/btree_key_outside_grid.h5");
        assertTrue(ds.unsupported().get("v").startsWith("its chunk index is corrupt"), ds.unsupported().toString());
        assertTrue(ds.arrays().stream().noneMatch(a -> a.path().equals("v")));
        assertEquals(1, array(ds, "ok").chunks().size());
    }

    @Test
    void aFloatTypeThatIsNotIeeeIsReportedNotReferenced() throws IOException {
        VirtualDataset ds = scan("corrupt/non_ieee_float.h5");
        assertTrue(ds.unsupported().get("odd_bias").contains("not IEEE 754") && ds.unsupported().get("odd_bias")
                .contains("bias 100"), ds.unsupported().toString());
        assertEquals(1, array(ds, "ok").chunks().size());
    }
    @Test
    void aDataAddressInsideTheSuperblockIsReportedNotReferenced() throws IOException {
        VirtualDataset ds = scan("corrupt/address_in_superblock.h5");
        assertTrue(ds.unsupported().get("v").contains("inside the file's superblock"), ds.unsupported().toString());
        assertEquals(1, array(ds, "ok").chunks().size());
    }
    /**
     * The latest file format checksums its metadata (superblock, object headers, B-tree v2 nodes,
     * fixed and extensible array indexes, fractal heaps). A flipped bit in any checksummed block
     * fails the file or reports the object; no array is referenced differently from the intact file.
     */
    @TestFactory
    Stream<DynamicTest> aBrokenMetadataChecksumIsNeverReferencedAsIfIntact() throws IOException {
        Path file = Fixtures.dataDir().resolve("hdf5/layouts_latest.h5");
        byte[] intact = Files.readAllBytes(file);
        Map<String, VirtualArray> expected = new java.util.HashMap<>();
        scan("hdf5/layouts_latest.h5").arrays().forEach(a -> expected.put(a.path(), a));
        List<String> signatures = List.of("OHDR", "OCHK", "FAHD", "FADB", "EAHD", "EAIB", "BTHD", "BTLF", "FRHP", "FHDB");
        return signatures.stream().flatMap(sig -> java.util.stream.IntStream.range(0, intact.length - 4)
                .filter(at -> new String(intact, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(sig))
                .limit(3).mapToObj(at -> DynamicTest.dynamicTest(sig + " at " + at, () -> {
                    byte[] data = intact.clone();
                    data[at + 6] ^= 0x10; // inside the block, past its signature and version
                    VirtualDataset ds;
                    try {
                        ds = new Indexer(ScanOptions.defaults()).scan(new MemorySource("file://" + file, data));
                    } catch (ScanException refused) {
                        return;
                    }
                    for (VirtualArray a : ds.arrays()) {
                        VirtualArray before = expected.get(a.path());
                        assertEquals(before == null ? null : before.chunks(), a.chunks(), a.path() + " after a flip at " + at);
                        assertEquals(before.metadata(), a.metadata(), a.path());
                    }
                })));
    }
}
