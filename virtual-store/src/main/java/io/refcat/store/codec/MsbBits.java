package io.refcat.store.codec;

import java.io.IOException;

/**
 * Bits read most significant first, as GRIB packs its values and CCSDS codes its samples, bounded
 * by the section (or stream) they lie in.
 */
final class MsbBits {
    private final byte[] b;
    private final String what;
    private final long end;
    private long bit;

    /** @param what the section, for the error when values run past it */
    MsbBits(byte[] b, long startBit, String what) {
        this(b, startBit, b.length * 8L, what);
    }

    /** Bits {@code startBit} (inclusive) to {@code endBit} (exclusive) of {@code b}. */
    MsbBits(byte[] b, long startBit, long endBit, String what) {
        this.b = b;
        this.bit = startBit;
        this.end = Math.min(endBit, b.length * 8L);
        this.what = what;
    }

    long bits(int n) throws IOException {
        if (n < 0 || n > 62) {
            throw new IOException("bit width " + n);
        }
        if (bit < 0 || bit + n > end) {
            throw new IOException(what + " ends before its values");
        }
        long v = 0;
        int left = n;
        while (left > 0) { // a byte, or what is left of one, at a time
            int used = (int) (bit & 7);
            int take = Math.min(8 - used, left);
            v = (v << take) | (((b[(int) (bit >>> 3)] & 0xff) >>> (8 - used - take)) & ((1 << take) - 1));
            bit += take;
            left -= take;
        }
        return v;
    }

    /** A fundamental-sequence code word (CCSDS 121.0-B): the number of zero bits before the next one. */
    long zerosBeforeOne() throws IOException {
        long zeros = 0;
        while (true) {
            if (bit < 0 || bit >= end) {
                throw new IOException(what + " ends inside a code word");
            }
            int used = (int) (bit & 7);
            int rest = (b[(int) (bit >>> 3)] << used) & 0xff;
            int available = (int) Math.min(8 - used, end - bit);
            int lead = rest == 0 ? 8 : Integer.numberOfLeadingZeros(rest) - 24;
            if (lead >= available) {
                zeros += available;
                bit += available;
                continue;
            }
            zeros += lead;
            bit += lead + 1;
            return zeros;
        }
    }

    void align() {
        bit = (bit + 7) & ~7L;
    }
}
