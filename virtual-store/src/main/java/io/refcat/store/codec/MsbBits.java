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
        for (int i = 0; i < n; i++, bit++) {
            v = (v << 1) | ((b[(int) (bit >> 3)] >> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    void align() {
        bit = (bit + 7) & ~7L;
    }
}
