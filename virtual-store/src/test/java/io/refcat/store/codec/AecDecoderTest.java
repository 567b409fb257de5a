package io.refcat.store.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CCSDS decoder on streams written by hand; ecCodes' own streams are checked in the GRIB interop test. */
class AecDecoderTest {

    /** Packs (value, width) pairs most significant bit first, padded with zeros to a byte. */
    private static byte[] bits(int... valueThenWidth) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long acc = 0;
        int n = 0;
        for (int i = 0; i < valueThenWidth.length; i += 2) {
            for (int b = valueThenWidth[i + 1] - 1; b >= 0; b--) {
                acc = (acc << 1) | ((valueThenWidth[i] >> b) & 1);
                if (++n == 8) {
                    out.write((int) acc);
                    acc = 0;
                    n = 0;
                }
            }
        }
        if (n > 0) {
            out.write((int) (acc << (8 - n)));
        }
        return out.toByteArray();
    }

    @Test
    void eachBlockOptionWithoutPreprocessing() throws IOException {
        // 8-bit samples (3-bit ids), blocks of 8: uncompressed (id 7), split k=1 (id 2), second extension (id 0, 1),
        // zero blocks (id 0, 0, run of 1: fundamental sequence "1")
        byte[] stream = bits(7, 3, 1, 8, 2, 8, 3, 8, 4, 8, 5, 8, 6, 8, 7, 8, 200, 8,
                // split, k = 1: 3,3,3,3,2,2,2,2 as high parts 1 ("01" each), then the low bits
                2, 3, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1,
                // second extension: four pairs (0, 0), symbol 0 ("1") each
                0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                // one zero block: run length 1 ("1")
                0, 3, 0, 1, 1, 1);
        long[] got = AecDecoder.decode(stream, 0, stream.length, 8, 8, 16, 0, 32);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 200, 3, 3, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0}, got);
    }

    @Test
    void preprocessingUndoesThePredictorFromTheReference() throws IOException {
        // reference 100, then residuals mapped: +1 -> 2, -1 -> 1, 0 -> 0, +3 -> 6, ...
        byte[] stream = bits(7, 3, 100, 8, 2, 8, 1, 8, 0, 8, 6, 8, 0, 8, 0, 8, 0, 8);
        long[] got = AecDecoder.decode(stream, 0, stream.length, 8, 8, 1, AecDecoder.PREPROCESS, 8);
        assertArrayEquals(new long[] {100, 101, 100, 100, 103, 103, 103, 103}, got);
    }

    @Test
    void truncatedOrCorruptStreamsFailAsIoErrors() {
        byte[] stream = bits(7, 3, 1, 8, 2, 8, 3, 8, 4, 8, 5, 8, 6, 8, 7, 8, 200, 8);
        assertThrows(IOException.class, () -> AecDecoder.decode(stream, 0, stream.length - 2, 8, 8, 16, 0, 8));
        assertThrows(IOException.class, () -> AecDecoder.decode(stream, 0, stream.length, 8, 12, 16, 0, 8));
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] junk = new byte[1 + r.nextInt(64)];
            r.nextBytes(junk);
            try {
                AecDecoder.decode(junk, 0, junk.length, 1 + r.nextInt(32), 8 << r.nextInt(4), 1 + r.nextInt(8),
                        r.nextInt(64), 1 + r.nextInt(300));
            } catch (IOException expected) {
                // refused in refcat's words; anything else escaping is the failure
            }
        }
    }

    @Test
    void szipChunksOfJunkFailAsIoErrors() {
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] junk = new byte[r.nextInt(80)];
            r.nextBytes(junk);
            if (junk.length >= 4) {
                junk[2] = 0;
                junk[3] = 0; // a declared size under 64 KiB, so every stage is reached
            }
            int[] parameters = {r.nextInt(256), 2 * (1 + r.nextInt(16)), new int[] {8, 16, 24, 32, 64}[r.nextInt(5)],
                    1 + r.nextInt(200)};
            try {
                Szip.decode(junk, parameters, 1 << 16);
            } catch (IOException expected) {
                // refused in refcat's words
            }
        }
    }
}
