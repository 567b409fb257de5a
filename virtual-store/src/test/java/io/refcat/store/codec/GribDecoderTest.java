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

    /** Message {@code index} (from 0) of a GRIB2 fixture. */
    private static byte[] message(String fixture, int index) throws Exception {
        byte[] file = Files.readAllBytes(Fixtures.dataDir().resolve("grib").resolve(fixture));
        int start = 0;
        for (int i = 0; ; i++) {
            start = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("GRIB", start);
            int length = (int) ByteBuffer.wrap(file, start + 8, 8).getLong();
            if (i == index) {
                return Arrays.copyOfRange(file, start, start + length);
            }
            start += length;
        }
    }

    private static int indexOf(byte[] b, String text) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(text);
    }

    /** packings.grib2 holds simple, complex, complex with differencing, JPEG 2000, PNG in that order. */
    @Test
    void aPngImageWithABadCrcIsA502NotOtherValues() throws Exception {
        byte[] png = message("packings.grib2", 4);
        ChunkDecoder.decode(png, GRIB, POINTS * 4, "intact");
        byte[] broken = png.clone();
        broken[indexOf(broken, "IDAT") + 8] ^= 0x01;
        StoreException e = assertThrows(StoreException.class, () -> ChunkDecoder.decode(broken, GRIB, POINTS * 4, "t/4"));
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("IDAT chunk") && e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void aJpeg2000CodestreamThatDoesNotHoldTogetherIsA502() throws Exception {
        byte[] jpeg = message("packings.grib2", 3);
        ChunkDecoder.decode(jpeg, GRIB, POINTS * 4, "intact");
        int soc = indexOf(jpeg, "\u00ff\u004f\u00ff\u0051");
        int eoc = jpeg.length - 4 - 2;
        assertEquals(0xD9, jpeg[eoc + 1] & 0xFF, "the codestream ends with EOC before 7777");
        for (int at : new int[] {eoc + 1, soc + 2 + 2 + 4 + 3, soc + 1}) { // EOC, Xsiz, SOC
            byte[] broken = jpeg.clone();
            broken[at] ^= 0x10;
            StoreException e = assertThrows(StoreException.class, () -> ChunkDecoder.decode(broken, GRIB, POINTS * 4,
                    "t/3"), "a flip at " + at);
            assertEquals(502, e.status());
            assertTrue(e.getMessage().contains("codestream is corrupt"), e.getMessage());
        }
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
        Map<String, Integer> points = Map.of("packings.grib2", POINTS, "bitmap.grib2", POINTS, "ensemble.grib1", POINTS,
                "reduced_gaussian.grib1", POINTS, "ccsds.grib2", 96 * 52, "second_order.grib1", 96 * 52);
        for (String fixture : new java.util.TreeSet<>(points.keySet())) {
            byte[] message = firstMessage(fixture);
            Random r = new Random(fixture.hashCode());
            for (int round = 0; round < 200; round++) {
                byte[] broken = message.clone();
                for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                    int at = 8 + r.nextInt(Math.min(broken.length - 8, 400));
                    broken[at] ^= (byte) (1 << r.nextInt(8));
                }
                try {
                    ChunkDecoder.decode(broken, GRIB, points.get(fixture) * 4, fixture + " round " + round);
                } catch (StoreException expected) {
                    // a clear 502 is the right outcome for a corrupt chunk
                } catch (Throwable t) {
                    throw new AssertionError(fixture + " round " + round + ": escaped " + t, t);
                }
            }
        }
    }
}
