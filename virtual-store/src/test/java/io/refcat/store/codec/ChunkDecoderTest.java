package io.refcat.store.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
