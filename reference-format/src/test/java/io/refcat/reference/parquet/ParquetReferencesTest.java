package io.refcat.reference.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetReferencesTest {
    @TempDir
    Path tmp;

    private static final ZarrArrayMetadata GRID = ZarrArrayMetadata.uncompressed(List.of(5L, 4L), List.of(1, 2),
            new DType('<', 'f', 4), null);

    /** Ten chunks (5 x 2); chunk 0 inline, 1 a whole file, 2..6 absent, 7..9 ranges. */
    private static final class Sample implements LargeReferenceSet {
        final TreeMap<Long, Reference> chunks = new TreeMap<>(Map.of(
                0L, new Reference.Inline(new byte[] {0, 1, 2, (byte) 255}),
                1L, new Reference.WholeFile("file:///a.nc"),
                7L, new Reference.Range("file:///b.nc", 100, 8),
                8L, new Reference.Range("file:///b.nc", 108, 8),
                9L, new Reference.Range("file:///c.nc", 0, 8)));

        @Override
        public SortedMap<String, Reference> metadata() {
            return new TreeMap<>(Map.of(".zgroup", inline("{\"zarr_format\":2}"), "v/.zarray",
                    new Reference.Inline(GRID.toJsonBytes()), "v/.zattrs", inline("{\"_ARRAY_DIMENSIONS\":[\"t\",\"x\"]}")));
        }

        @Override
        public Map<String, ZarrArrayMetadata> arrays() {
            return Map.of("v", GRID);
        }

        @Override
        public void chunks(String arrayPath, ChunkVisitor visitor) throws IOException {
            for (Map.Entry<Long, Reference> e : chunks.entrySet()) {
                visitor.accept(e.getKey(), e.getValue());
            }
        }

        @Override
        public SortedMap<String, ReferenceSet.SourceInfo> sources() {
            return new TreeMap<>(Map.of("file:///b.nc", new ReferenceSet.SourceInfo(116)));
        }

        @Override
        public SortedMap<String, String> unsupported() {
            return new TreeMap<>(Map.of("w", "no decoder"));
        }
    }

    private static Reference inline(String text) {
        return new Reference.Inline(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyKeyComesBackFromItsRecord() throws IOException {
        Path dir = tmp.resolve("refs");
        ParquetReferences.write(new Sample(), dir, 3);
        assertTrue(Files.isRegularFile(dir.resolve("v/refs.0.parq")));
        assertFalse(Files.exists(dir.resolve("v/refs.1.parq")), "a record with no chunk gets no file");
        assertTrue(Files.isRegularFile(dir.resolve("v/refs.3.parq")));
        ParquetReferenceSet set = ParquetReferences.open(dir);
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, ((Reference.Inline) set.get("v/0.0").orElseThrow()).data());
        assertEquals(new Reference.WholeFile("file:///a.nc"), set.get("v/0.1").orElseThrow());
        assertTrue(set.get("v/1.0").isEmpty());
        assertEquals(new Reference.Range("file:///b.nc", 108, 8), set.get("v/4.0").orElseThrow());
        assertEquals(new Reference.Range("file:///c.nc", 0, 8), set.get("v/4.1").orElseThrow());
        for (String outside : List.of("v/5.0", "v/0.2", "v/0", "v/a.b", "w/0.0", "v/-1.0")) {
            assertTrue(set.get(outside).isEmpty(), outside);
        }
        assertEquals(116, set.source("file:///b.nc").orElseThrow().size());
        assertEquals("no decoder", set.unsupported().get("w"));
        ReferenceSet whole = ParquetReferences.read(dir);
        assertEquals(3 + 5, whole.size());
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        set.writeJson(json);
        assertEquals(whole.refs(), io.refcat.reference.KerchunkJson.read(json.toByteArray()).refs());
    }

    @Test
    void aDamagedRecordIsAFormatErrorNamingTheFile() throws IOException {
        Path dir = tmp.resolve("refs");
        ParquetReferences.write(new Sample(), dir, 3);
        Path record = dir.resolve("v/refs.3.parq");
        byte[] bytes = Files.readAllBytes(record);
        Files.write(record, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        ParquetReferenceSet set = ParquetReferences.open(dir);
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> set.get("v/4.1"));
        assertTrue(e.getMessage().contains("refs.3.parq"), e.getMessage());
        assertTrue(set.get("v/0.1").isPresent(), "other records still read");
        for (int cut : new int[] {20, 40, 60}) {
            Files.write(record, java.util.Arrays.copyOfRange(bytes, 0, cut));
            assertThrows(ReferenceFormatException.class, () -> ParquetReferences.open(dir).get("v/4.1"));
            byte[] flipped = bytes.clone();
            flipped[cut] ^= 0x5a;
            Files.write(record, flipped);
            try {
                ParquetReferences.open(dir).get("v/4.1");
            } catch (ReferenceFormatException expected) {
                // a flipped byte may or may not be noticed; it must not be anything else
            }
        }
    }

    @Test
    void aDirectoryWithoutRecordSizeIsNotParquetReferences() throws IOException {
        Files.createDirectories(tmp.resolve("x"));
        Files.writeString(tmp.resolve("x/.zmetadata"), "{\"metadata\":{}}");
        assertFalse(ParquetReferences.isReferenceDirectory(tmp.resolve("x")));
        assertThrows(ReferenceFormatException.class, () -> ParquetReferences.open(tmp.resolve("x")));
    }
}
