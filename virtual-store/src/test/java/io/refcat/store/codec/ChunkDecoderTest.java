package io.refcat.store.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.zarr.Codec;
import io.refcat.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

    private static byte[] deflate(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(6))) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] withChecksum(byte[] data, long sum) {
        byte[] out = java.util.Arrays.copyOf(data, data.length + 4);
        for (int i = 0; i < 4; i++) {
            out[data.length + i] = (byte) (sum >>> (8 * i));
        }
        return out;
    }

    @Test
    void shuffleThenZlibRoundTrips() throws Exception {
        byte[] raw = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0};
        byte[] shuffled = {1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        List<Codec> chain = List.of(new Codec("shuffle", Map.of("elementsize", 4)), new Codec("zlib", Map.of("level", 6)));
        assertArrayEquals(raw, ChunkDecoder.decode(deflate(shuffled), chain, 12, "t"));
    }

    @Test
    void codecsAChunkSkippedAreNotUndone() throws Exception {
        byte[] raw = {1, 0, 0, 0, 2, 0, 0, 0};
        byte[] shuffled = {1, 2, 0, 0, 0, 0, 0, 0};
        List<Codec> chain = List.of(new Codec("shuffle", Map.of("elementsize", 4)), new Codec("zlib", Map.of("level", 6)));
        assertArrayEquals(raw, ChunkDecoder.decode(shuffled, chain, 0b10, 8, "t"), "zlib skipped, shuffle undone");
        assertArrayEquals(raw, ChunkDecoder.decode(raw, chain, 0b11, 8, "t"), "both skipped: stored as is");
    }

    @Test
    void fletcher32IsVerifiedAndStripped() {
        byte[] data = "abcdefghij".getBytes();
        byte[] ok = withChecksum(data, Fletcher32.checksum(data, data.length));
        assertArrayEquals(data, ChunkDecoder.decode(ok, List.of(Codec.of("fletcher32")), data.length, "t"));
        byte[] bad = ok.clone();
        bad[0] ^= 1;
        StoreException e = assertThrows(StoreException.class,
                () -> ChunkDecoder.decode(bad, List.of(Codec.of("fletcher32")), data.length, "t"));
        assertEquals(502, e.status());
    }

    @Test
    void aZlibBombStopsAtTheChunkSize() throws Exception {
        byte[] bomb = deflate(new byte[10 << 20]);
        StoreException e = assertThrows(StoreException.class,
                () -> ChunkDecoder.decode(bomb, List.of(Codec.of("zlib")), 1024, "t"));
        assertEquals(502, e.status());
    }

    @Test
    void inflatingAndUnshufflingInOnePassEqualsTwoPasses() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int elementSize : new int[] {2, 4, 8}) {
            byte[] raw = new byte[1000 * elementSize + elementSize - 1]; // a tail that is not a whole element
            random.nextBytes(raw);
            byte[] shuffled = raw.clone();
            int count = raw.length / elementSize;
            for (int e = 0; e < count; e++) {
                for (int b = 0; b < elementSize; b++) {
                    shuffled[b * count + e] = raw[e * elementSize + b];
                }
            }
            List<Codec> chain = List.of(new Codec("shuffle", Map.of("elementsize", elementSize)), Codec.of("zlib"));
            assertArrayEquals(raw, ChunkDecoder.decode(deflate(shuffled), chain, raw.length, "t"));
            assertEquals(deflate(shuffled).length + raw.length + 4096,
                    ChunkDecoder.workingBytes(deflate(shuffled).length, chain, 0, raw.length), "one decoded array");
        }
    }

    @Test
    void aChecksumInsideTheZlibStreamFitsItsSlack() throws Exception {
        byte[] data = "abcdefghij".getBytes();
        byte[] stored = deflate(withChecksum(data, Fletcher32.checksum(data, data.length)));
        List<Codec> chain = List.of(Codec.of("fletcher32"), Codec.of("zlib"));
        assertArrayEquals(data, ChunkDecoder.decode(stored, chain, data.length, "t"));
    }

    private static Codec hdf5Filter(int id, String name, List<Integer> data) {
        return new Codec(ChunkDecoder.HDF5_FILTER, Map.of("filter_id", id, "name", name, "data", data));
    }

    /** The lz4 filter's framing: decoded size (int64 BE), block size (int32 BE), then blocks. */
    private static byte[] lz4Framed(long declared, int block, byte[] rest) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + rest.length);
        b.putLong(declared).putInt(block).put(rest);
        return b.array();
    }

    @Test
    void anLz4ChunkClaimingGigabytesIsRefusedBeforeAllocating() {
        byte[] bomb = lz4Framed(1_800_000_000L, 1 << 30, new byte[8]);
        StoreException e = assertThrows(StoreException.class, () -> ChunkDecoder.decode(bomb,
                List.of(hdf5Filter(32004, "lz4", List.of())), 4096, "t"));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("1800000000"), e.getMessage());
    }

    @Test
    void corruptThirdPartyStreamsAre502NotLibraryExceptions() {
        List<byte[]> corrupt = List.of(new byte[5], lz4Framed(64, 64, new byte[] {0, 0, 0, 40, 1, 2, 3}),
                lz4Framed(64, 64, new byte[] {0x7f, 0, 0, 0}), lz4Framed(-1, 8, new byte[0]));
        for (byte[] stored : corrupt) {
            StoreException e = assertThrows(StoreException.class, () -> ChunkDecoder.decode(stored,
                    List.of(hdf5Filter(32004, "lz4", List.of())), 64, "t"));
            assertEquals(502, e.status(), e.getMessage());
        }
        StoreException lzf = assertThrows(StoreException.class, () -> ChunkDecoder.decode(new byte[16],
                List.of(hdf5Filter(32000, "lzf", List.of(4, 261, Integer.MAX_VALUE))), 64, "t"));
        assertEquals(502, lzf.status());
        StoreException shuffle = assertThrows(StoreException.class, () -> ChunkDecoder.decode(
                lz4Framed(1L << 40, 8192, new byte[4]), List.of(hdf5Filter(32008, "bitshuffle", List.of(0, 4, 4, 0, 2))),
                64, "t"));
        assertEquals(502, shuffle.status());
    }
}
