package io.refcat.store.codec;

import static io.refcat.reference.BigEndian.signed;
import static io.refcat.reference.BigEndian.u1;
import static io.refcat.reference.BigEndian.u2;

import io.refcat.reference.BigEndian;
import java.io.IOException;
import ucar.nc2.grib.GribNumbers;

/**
 * GRIB1 grid-point simple packing, ECMWF's IEEE packing and its general extended second-order
 * packing (WMO GRIB1 sections 1 to 4, read from
 * the message bytes), unpacked by refcat: NetCDF-Java 4.5.5 misreads reduced (thin) grids and refuses messages over
 * 16 MB, so every GRIB1 field goes through here. Values are
 * {@code (R + X * 2^E) / 10^D} with R an IBM single-precision float (read by NetCDF-Java's GribNumbers), placed at the points the
 * bitmap (section 3) marks present, NaN elsewhere; the points are the message's, in its order.
 */
final class Grib1Unpacker {
    private static final int HARMONICS = 0x80;
    private static final int SECOND_ORDER = 0x40;
    private static final int INTEGERS = 0x20;
    private static final int ADDITIONAL_FLAGS = 0x10;

    private Grib1Unpacker() {
    }

    static float[] decode(byte[] message, int points) throws IOException {
        int at = 8;
        int pdsLength = u3(message, at);
        if (pdsLength < 28 || at + pdsLength > message.length) {
            throw new IOException("product definition section of " + pdsLength + " bytes");
        }
        int sections = u1(message, at + 7);
        int d = (int) signed(u2(message, at + 26), 16);
        at += pdsLength;
        if ((sections & 0x80) != 0) {
            at += section(message, at, 32, "grid definition");
        }
        byte[] bitmap = null;
        if ((sections & 0x40) != 0) {
            int bmsLength = section(message, at, 6, "bit map");
            if (u2(message, at + 4) != 0) {
                throw new IOException("predefined bitmap " + u2(message, at + 4) + " is not known");
            }
            bitmap = java.util.Arrays.copyOfRange(message, at + 6, at + bmsLength);
            at += bmsLength;
        }
        int start = at;
        int length = u3(message, start);
        if (length < 120 && message.length - 4 - start > 0x7FFFFF) {
            // a message over 16 MB (ECMWF's convention): the section runs to the end marker
            length = message.length - 4 - start;
        }
        if (length < 11 || start + length > message.length) {
            throw new IOException("binary data section of " + length + " bytes runs past the message");
        }
        byte[] bds = java.util.Arrays.copyOfRange(message, start, start + length);
        int flags = u1(bds, 3);
        if ((flags & HARMONICS) != 0) {
            throw new IOException("GRIB1 packing with flags " + flags + " is not grid-point packing");
        }
        if ((flags & SECOND_ORDER) != 0) {
            return place(secondOrder(bds, d, bitmap == null ? points : count(bitmap, points)), bitmap, points);
        }
        if ((flags & (INTEGERS | ADDITIONAL_FLAGS)) == (INTEGERS | ADDITIONAL_FLAGS)) {
            return ieee(bds, bitmap, points);
        }
        if ((flags & ADDITIONAL_FLAGS) != 0) {
            throw new IOException("GRIB1 matrix-of-values packing (additional flags, octet 14) is not decoded");
        }
        int unused = flags & 0x0F;
        int e = (int) signed(u2(bds, 4), 16);
        double ref = GribNumbers.float4(u1(bds, 6), u1(bds, 7), u1(bds, 8), u1(bds, 9)); // an IBM float
        int bits = u1(bds, 10);
        int present = bitmap == null ? points : count(bitmap, points);
        long available = ((long) (length - 11) * 8 - unused) / Math.max(bits, 1);
        if (bits > 0 && available < present) {
            throw new IOException(present + " values of " + bits + " bits do not fit the section");
        }
        double scale = Math.pow(2, e);
        double decimal = Math.pow(10, -d);
        float[] out = new float[points];
        MsbBits in = new MsbBits(bds, 11 * 8L, "the binary data section");
        for (int i = 0; i < points; i++) {
            if (bitmap != null && (bitmap[i >> 3] & (0x80 >> (i & 7))) == 0) {
                out[i] = Float.NaN;
                continue;
            }
            out[i] = (float) ((ref + in.bits(bits) * scale) * decimal);
        }
        if ((flags & INTEGERS) != 0) {
            for (int i = 0; i < points; i++) {
                out[i] = Float.isNaN(out[i]) ? out[i] : Math.round(out[i]);
            }
        }
        return out;
    }

    /**
     * ECMWF's general extended second-order packing (ecCodes' {@code grid_second_order}, octet 14's
     * flags: different widths, general extended, no matrix, no secondary bitmap, standard ordering)
     * with spatial differencing of order 0 to 3: groups of values, each a first-order value plus
     * its members' second-order values of the group's width, then the differencing undone from the
     * first {@code order} values and the bias. Octets (1-based): 11 width of first-order values,
     * 12-13 N1 (first-order values), 15-16 N2 (second-order values), 17-18 and 21 the number of
     * groups, 22 and 23 the widths of group widths and lengths, 24-25 NL (group lengths), 26 the
     * width of the differencing values, which follow it (the bias last, sign and magnitude), then
     * the group widths.
     *
     * @param expected the values the grid and bitmap call for; a section declaring others is corrupt
     * @return the coded values, in order
     */
    static double[] secondOrder(byte[] bds, int d, int expected) throws IOException {
        int ext = u1(bds, 13);
        if ((ext & 0x78) != 0x18) {
            throw new IOException("GRIB1 second-order packing with extended flags " + ext
                    + " (only general extended packing, without a secondary bitmap, is decoded)");
        }
        if ((ext & 0x04) != 0) {
            throw new IOException("GRIB1 second-order packing in boustrophedonic order is not decoded");
        }
        int order = ((ext & 0x02) != 0 ? 2 : 0) + (ext & 0x01);
        int firstWidth = u1(bds, 10);
        int n1 = u2(bds, 11);
        int n2 = u2(bds, 14);
        int groups = u2(bds, 16) + 65536 * u1(bds, 20);
        int widthOfWidths = u1(bds, 21);
        int widthOfLengths = u1(bds, 22);
        int nl = u2(bds, 23);
        long[] spd = new long[order + 1];
        int widthsAt = 25;
        if (order > 0) {
            int w = u1(bds, 25);
            MsbBits b = new MsbBits(bds, 26 * 8L, "the binary data section");
            for (int i = 0; i < order; i++) {
                spd[i] = b.bits(w);
            }
            long bias = b.bits(w);
            long sign = 1L << (w - 1);
            spd[order] = (bias & sign) != 0 ? -(bias & (sign - 1)) : bias;
            widthsAt = 26 + (int) (((order + 1L) * w + 7) / 8);
        }
        MsbBits widths = new MsbBits(bds, widthsAt * 8L, "the binary data section");
        MsbBits lengths = new MsbBits(bds, (nl - 1) * 8L, "the binary data section");
        MsbBits firsts = new MsbBits(bds, (n1 - 1) * 8L, "the binary data section");
        MsbBits seconds = new MsbBits(bds, (n2 - 1) * 8L, "the binary data section");
        long[] width = new long[groups];
        long[] length = new long[groups];
        long total = order;
        for (int g = 0; g < groups; g++) {
            width[g] = widths.bits(widthOfWidths);
            length[g] = lengths.bits(widthOfLengths);
            total += length[g];
        }
        if (total != expected) {
            throw new IOException("GRIB1 second-order packing declares " + total + " values for " + expected
                    + " points");
        }
        long[] x = new long[(int) total];
        int n = order;
        for (int g = 0; g < groups; g++) {
            long first = firsts.bits(firstWidth);
            for (long j = 0; j < length[g]; j++) {
                x[n++] = first + (width[g] > 0 ? seconds.bits((int) width[g]) : 0);
            }
        }
        for (int i = 0; i < order; i++) {
            x[i] = spd[i];
        }
        long bias = spd[order];
        switch (order) {
            case 1 -> {
                long y = x[0];
                for (int i = 1; i < x.length; i++) {
                    y += x[i] + bias;
                    x[i] = y;
                }
            }
            case 2 -> {
                long y = x[1] - x[0];
                long z = x[1];
                for (int i = 2; i < x.length; i++) {
                    y += x[i] + bias;
                    z += y;
                    x[i] = z;
                }
            }
            case 3 -> {
                long y = x[2] - x[1];
                long z = y - (x[1] - x[0]);
                long w = x[2];
                for (int i = 3; i < x.length; i++) {
                    z += x[i] + bias;
                    y += z;
                    w += y;
                    x[i] = w;
                }
            }
            default -> {
                // no spatial differencing
            }
        }
        double scale = Math.pow(2, (int) signed(u2(bds, 4), 16));
        double decimal = Math.pow(10, -d);
        double ref = GribNumbers.float4(u1(bds, 6), u1(bds, 7), u1(bds, 8), u1(bds, 9));
        double[] values = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            values[i] = (x[i] * scale + ref) * decimal;
        }
        return values;
    }

    /** Coded values at the points the bitmap marks present (all, without one), NaN elsewhere. */
    private static float[] place(double[] coded, byte[] bitmap, int points) throws IOException {
        int present = bitmap == null ? points : count(bitmap, points);
        if (coded.length != present) {
            throw new IOException(coded.length + " coded values for " + present + " points");
        }
        float[] out = new float[points];
        for (int i = 0, k = 0; i < points; i++) {
            boolean here = bitmap == null || (bitmap[i >> 3] & (0x80 >> (i & 7))) != 0;
            out[i] = here ? (float) coded[k++] : Float.NaN;
        }
        return out;
    }

    /**
     * ECMWF's {@code grid_ieee}    /**
     * ECMWF's {@code grid_ieee} (ecCodes' packingType concept: integer-values and additional-flags
     * bits both set): octet 12 the precision (1: 32-bit, 2: 64-bit IEEE floats), the values
     * big-endian from octet 13, one per point the bitmap marks present.
     */
    private static float[] ieee(byte[] bds, byte[] bitmap, int points) throws IOException {
        int width = switch (u1(bds, 11)) {
            case 1 -> 4;
            case 2 -> 8;
            default -> throw new IOException("GRIB1 IEEE precision " + u1(bds, 11) + " is not 32 or 64 bits");
        };
        int present = bitmap == null ? points : count(bitmap, points);
        if (12L + (long) present * width > bds.length) {
            throw new IOException(present + " IEEE values of " + width + " bytes do not fit the section");
        }
        java.nio.ByteBuffer values = java.nio.ByteBuffer.wrap(bds, 12, present * width); // big-endian
        float[] out = new float[points];
        for (int i = 0; i < points; i++) {
            if (bitmap != null && (bitmap[i >> 3] & (0x80 >> (i & 7))) == 0) {
                out[i] = Float.NaN;
            } else {
                out[i] = width == 4 ? values.getFloat() : (float) values.getDouble();
            }
        }
        return out;
    }

    private static int count(byte[] bitmap, int points) {
        int n = 0;
        for (int i = 0; i < points && (i >> 3) < bitmap.length; i++) {
            n += (bitmap[i >> 3] >> (7 - (i & 7))) & 1;
        }
        return n;
    }

    /** A section's length, checked to be at least {@code min} and to end inside the message. */
    private static int section(byte[] message, int at, int min, String name) throws IOException {
        int length = u3(message, at);
        if (length < min || at + length > message.length) {
            throw new IOException(name + " section of " + length + " bytes at " + at + " does not fit the message");
        }
        return length;
    }

    private static int u3(byte[] b, int i) throws IOException {
        if (i + 3 > b.length) {
            throw new IOException("section header at " + i + " past the message");
        }
        return (int) BigEndian.u3(b, i);
    }
}
