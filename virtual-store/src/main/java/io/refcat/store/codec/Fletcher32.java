package io.refcat.store.codec;

import io.refcat.store.StoreException;
import java.util.Arrays;

/**
 * HDF5's fletcher32 filter: the data followed by a 4-byte checksum (H5_checksum_fletcher32 over
 * big-endian 16-bit words, in blocks of 360). Decoding checks it and strips it; a mismatch is a
 * corrupt chunk, never silently served. Like libhdf5, the byte-swapped checksum that old library
 * versions wrote is accepted too.
 */
final class Fletcher32 {
    private Fletcher32() {
    }

    static byte[] verifyAndStrip(byte[] data, String where) {
        if (data.length < 4) {
            throw new StoreException(502, "corrupt chunk", where + ": shorter than its fletcher32 checksum");
        }
        int n = data.length - 4;
        long stored = (data[n] & 0xffL) | (data[n + 1] & 0xffL) << 8 | (data[n + 2] & 0xffL) << 16
                | (data[n + 3] & 0xffL) << 24;
        long sum = checksum(data, n);
        long swapped = Long.reverseBytes(sum) >>> 32;
        if (stored != sum && stored != swapped) {
            throw new StoreException(502, "corrupt chunk", where + ": fletcher32 checksum " + Long.toHexString(stored)
                    + " does not match the data (" + Long.toHexString(sum) + ")");
        }
        return Arrays.copyOf(data, n);
    }

    static long checksum(byte[] data, int length) {
        long sum1 = 0;
        long sum2 = 0;
        int words = length / 2;
        int i = 0;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (int w = 0; w < block; w++) {
                sum1 += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
                sum2 += sum1;
                i += 2;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        if (length % 2 != 0) {
            sum1 += (data[i] & 0xff) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        return (sum2 << 16) | sum1;
    }
}
