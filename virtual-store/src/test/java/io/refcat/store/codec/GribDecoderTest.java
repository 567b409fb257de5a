package io.refcat.store.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.reference.zarr.Codec;
import io.refcat.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The store's GRIB codec on its own: a field decodes to the grid's float32 values, and a chunk
 * that is not a decodable message (garbage, cut short, corrupted, a field the message lacks) is a
 * 502 naming the chunk, never another exception. Values are proven against cfgrib by
 * GribInteropTest.
 */
class GribDecoderTest {
    private static final int POINTS = 24 * 13;
    private static final List<Codec> GRIB = List.of(new Codec("grib", Map.of("var", "t", "dtype", "float32")));

    /** The first message of a fixture (after any bytes before it), by its edition's length field. */
    private static byte[] firstMessage(String fixture) throws Exception {
        byte[] file = Files.readAllBytes(Fixtures.dataDir().resolve("grib").resolve(fixture));
        int start = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("GRIB");
        long length = file[start + 7] == 2 ? ByteBuffer.wrap(file, start + 8, 8).getLong()
                : ((file[start + 4] & 0xFF) << 16) | ((file[start + 5] & 0xFF) << 8) | (file[start + 6] & 0xFF);
        return Arrays.copyOfRange(file, start, start + (int) length);
    }

    @Test
    void aFieldDecodesToItsPointsAsLittleEndianFloat32() throws Exception {
        byte[] out = ChunkDecoder.decode(firstMessage("pl_steps.grib2"), GRIB, POINTS * 4, "t/0.0.0.0");
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < POINTS; i++) {
            float v = b.getFloat();
            assertTrue(v > 150 && v < 350, "a temperature, got " + v + " at " + i);
        }
    }

    @Test
    void whatIsNotADecodableMessageIsA502() throws Exception {
        byte[] message = firstMessage("packings.grib2");
        StoreException garbage = assertThrows(StoreException.class,
                () -> ChunkDecoder.decode(new byte[64], GRIB, POINTS * 4, "x/0"));
        assertEquals(502, garbage.status());
        assertTrue(garbage.getMessage().contains("x/0"), "the detail names the chunk: " + garbage.getMessage());
        StoreException cut = assertThrows(StoreException.class,
                () -> ChunkDecoder.decode(Arrays.copyOf(message, message.length / 2), GRIB, POINTS * 4, "x/1"));
        assertEquals(502, cut.status());
        StoreException absent = assertThrows(StoreException.class, () -> ChunkDecoder.decode(message,
                List.of(new Codec("grib", Map.of("var", "t", "field", 3))), POINTS * 4, "x/2"));
        assertEquals(502, absent.status());
    }

    @Test
    void corruptedMessagesFailOnlyAsStoreErrors() throws Exception {
        for (String fixture : List.of("packings.grib2", "bitmap.grib2", "ensemble.grib1", "reduced_gaussian.grib1")) {
            byte[] message = firstMessage(fixture);
            Random r = new Random(fixture.hashCode());
            for (int round = 0; round < 200; round++) {
                byte[] broken = message.clone();
                for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                    int at = 8 + r.nextInt(Math.min(broken.length - 8, 400));
                    broken[at] ^= (byte) (1 << r.nextInt(8));
                }
                try {
                    ChunkDecoder.decode(broken, GRIB, POINTS * 4, fixture + " round " + round);
                } catch (StoreException expected) {
                    // a clear 502 is the right outcome for a corrupt chunk
                } catch (Throwable t) {
                    throw new AssertionError(fixture + " round " + round + ": escaped " + t, t);
                }
            }
        }
    }
}
