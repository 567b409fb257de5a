package io.refcat.store.codec;

import java.io.IOException;
import ucar.nc2.grib.grib1.Grib1Record;
import ucar.unidata.io.RandomAccessFile;

/**
 * GRIB1 grid-point simple packing (WMO GRIB1 section 4), unpacked by refcat: NetCDF-Java 4.5.5
 * misreads reduced (thin) grids, so every GRIB1 field goes through here. Values are
 * {@code (R + X * 2^E) / 10^D} with R an IBM single-precision float, placed at the points the
 * bitmap (section 3) marks present, NaN elsewhere; the points are the message's, in its order.
 */
final class Grib1Unpacker {
    private static final int HARMONICS = 0x80;
    private static final int SECOND_ORDER = 0x40;
    private static final int INTEGERS = 0x20;

    private Grib1Unpacker() {
    }

    static float[] decode(Grib1Record r, RandomAccessFile raf, int points) throws IOException {
        byte[] pds = r.getPDSsection().getRawBytes();
        int d = signed(u2(pds, 26), 16);
        long start = r.getDataSection().getStartingPosition();
        raf.seek(start);
        int length = (u1b(raf) << 16) | (u1b(raf) << 8) | u1b(raf);
        if (length < 11 || start + length > raf.length()) {
            throw new IOException("binary data section of " + length + " bytes runs past the message");
        }
        byte[] bds = new byte[length];
        raf.seek(start);
        raf.readFully(bds);
        int flags = u1(bds, 3);
        if ((flags & (HARMONICS | SECOND_ORDER)) != 0) {
            throw new IOException("GRIB1 packing with flags " + flags + " is not simple grid-point packing");
        }
        int unused = flags & 0x0F;
        int e = signed(u2(bds, 4), 16);
        double ref = ibm((int) ((long) u2(bds, 6) << 16 | u2(bds, 8)));
        int bits = u1(bds, 10);
        byte[] bitmap = (pds[7] & 0x40) != 0 ? r.getBitMapSection().getBitmap(raf) : null;
        int present = bitmap == null ? points : count(bitmap, points);
        long available = ((long) (length - 11) * 8 - unused) / Math.max(bits, 1);
        if (bits > 0 && available < present) {
            throw new IOException(present + " values of " + bits + " bits do not fit the section");
        }
        double scale = Math.pow(2, e);
        double decimal = Math.pow(10, -d);
        float[] out = new float[points];
        long bit = 11 * 8L;
        for (int i = 0; i < points; i++) {
            if (bitmap != null && (bitmap[i >> 3] & (0x80 >> (i & 7))) == 0) {
                out[i] = Float.NaN;
                continue;
            }
            long x = 0;
            for (int k = 0; k < bits; k++, bit++) {
                x = (x << 1) | ((bds[(int) (bit >> 3)] >> (7 - (bit & 7))) & 1);
            }
            out[i] = (float) ((ref + x * scale) * decimal);
        }
        if ((flags & INTEGERS) != 0) {
            for (int i = 0; i < points; i++) {
                out[i] = Float.isNaN(out[i]) ? out[i] : Math.round(out[i]);
            }
        }
        return out;
    }

    /** IBM System/360 single precision: sign, 7-bit base-16 exponent biased by 64, 24-bit fraction. */
    static double ibm(int v) {
        int sign = (v >>> 31) == 1 ? -1 : 1;
        int exponent = ((v >>> 24) & 0x7F) - 64;
        int fraction = v & 0xFFFFFF;
        return sign * fraction / (double) (1 << 24) * Math.pow(16, exponent);
    }

    private static int count(byte[] bitmap, int points) {
        int n = 0;
        for (int i = 0; i < points && (i >> 3) < bitmap.length; i++) {
            n += (bitmap[i >> 3] >> (7 - (i & 7))) & 1;
        }
        return n;
    }

    private static int u1b(RandomAccessFile raf) throws IOException {
        int b = raf.read();
        if (b < 0) {
            throw new IOException("message ends inside its binary data section");
        }
        return b;
    }

    private static int u1(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u2(byte[] b, int i) {
        return (u1(b, i) << 8) | u1(b, i + 1);
    }

    private static int signed(int v, int bits) {
        int sign = 1 << (bits - 1);
        return (v & sign) != 0 ? -(v & (sign - 1)) : v;
    }
}
