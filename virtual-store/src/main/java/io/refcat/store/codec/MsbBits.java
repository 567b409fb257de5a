package io.refcat.store.codec;

import java.io.IOException;

/** Bits read most significant first, as GRIB packs its values, bounded by the section they lie in. */
final class MsbBits {
    private final byte[] b;
    private final String what;
    private long bit;

    /** @param what the section, for the error when values run past it */
    MsbBits(byte[] b, long startBit, String what) {
        this.b = b;
        this.bit = startBit;
        this.what = what;
    }

    long bits(int n) throws IOException {
        if (n < 0 || n > 62) {
            throw new IOException("bit width " + n);
        }
        if (bit < 0 || bit + n > b.length * 8L) {
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

    void align() {
        bit = (bit + 7) & ~7L;
    }
}
