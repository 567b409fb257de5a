package io.refcat.store.codec;

import static io.refcat.reference.BigEndian.signed;
import static io.refcat.reference.BigEndian.u1;
import static io.refcat.reference.BigEndian.u2;
import static io.refcat.reference.BigEndian.u4;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import ucar.nc2.grib.grib2.Grib2JpegDecoder;
import ucar.nc2.grib.grib2.Grib2Record;
import ucar.unidata.io.RandomAccessFile;

/**
 * GRIB2 packings refcat unpacks itself because NetCDF-Java 4.5.5 cannot, or not always, or more slowly
 * (simple packing, 5.0: a byte-at-a-time bit reader, faster than NetCDF-Java's): JPEG 2000
 * (5.40; NetCDF-Java's decoding budget truncates codestreams, see {@link #jpeg2000}), complex packing
 * declared as spatially differenced with order 0 (template 5.3 as ecCodes writes it, which 4.5.5
 * decodes to NaN), plain complex packing (5.2, the same layout), PNG (5.41, which 4.5.5 lacks) and
 * CCSDS (5.42, {@link AecDecoder}). The algorithms follow WMO templates 5.2/5.41/5.42 and
 * 7.2/7.41/7.42; values are
 * {@code (R + X * 2^E) / 10^D}, placed at the points the bitmap marks present (NaN elsewhere).
 * Other packings, spatial differencing of order 1 and 2 among them, go to NetCDF-Java.
 */
final class Grib2Unpacker {
    private static final int I_NEGATIVE = 0x80;
    private static final int J_POSITIVE = 0x40;

    private Grib2Unpacker() {
    }

    static float[] decode(Grib2Record r, RandomAccessFile raf) throws IOException {
        int template = r.getDataRepresentationSection().getDataTemplate();
        byte[] drs = section(raf, r.getDataRepresentationSection().getStartingPosition());
        boolean differenced = template == 3 && u1(drs, 47) > 0;
        if ((template != 0 && template != 2 && template != 3 && template != 40 && template != 41 && template != 42)
                || differenced) {
            float[] values = r.readData(raf); // NetCDF-Java undoes spatial differencing of order 1 and 2
            int scanMode = r.getGDSsection().getGDS().getScanMode();
            if (scanMode == I_NEGATIVE || scanMode == (I_NEGATIVE | J_POSITIVE)) {
                // NetCDF-Java reverses every row of a grid scanned east to west; ecCodes, cfgrib and
                // refcat's coordinates keep the stored order, so the rows go back.
                reverseRows(values, r.getGDSsection().getGDS().getNxRaw(), 0, 1);
            }
            return values;
        }
        byte[] data = section(raf, r.getDataSection().getStartingPosition());
        long declared = u4(drs, 5);
        if (declared > r.getGDSsection().getNumberPoints()) {
            throw new IOException(declared + " packed values for a grid of " + r.getGDSsection().getNumberPoints()
                    + " points");
        }
        int packed = (int) declared;
        double ref = Float.intBitsToFloat((int) u4(drs, 11));
        int e = (int) signed(u2(drs, 15), 16);
        int d = (int) signed(u2(drs, 17), 16);
        double[] x = switch (template) {
            case 40 -> jpeg2000(drs, data, packed);
            case 41 -> png(drs, data, packed);
            case 0 -> simple(drs, data, packed);
            case 42 -> ccsds(drs, data, packed);
            default -> complex(drs, data, packed);
        };
        double scale = Math.pow(2, e);
        double decimal = Math.pow(10, -d);
        float[] values = new float[packed];
        for (int i = 0; i < packed; i++) {
            values[i] = Double.isNaN(x[i]) ? Float.NaN : (float) ((ref + x[i] * scale) * decimal);
        }
        float[] out = placed(values, r, raf);
        alternateRows(out, r.getGDSsection().getGDS().getScanMode(), r.getGDSsection().getGDS().getNxRaw());
        return out;
    }

    /**
     * Scanning mode flag 0x10 (alternate rows in opposite directions): every second row is
     * reversed, so rows come out in one direction as ecCodes' values are read by cfgrib.
     */
    static void alternateRows(float[] values, int scanMode, int nx) {
        if ((scanMode & 0x10) != 0) {
            reverseRows(values, nx, 1, 2);
        }
    }

    /** Reverses rows {@code first}, {@code first + step}, … of a grid {@code nx} points wide. */
    private static void reverseRows(float[] values, int nx, int first, int step) {
        if (nx <= 1 || values.length % nx != 0) {
            return;
        }
        for (int row = first; row < values.length / nx; row += step) {
            for (int i = row * nx, j = row * nx + nx - 1; i < j; i++, j--) {
                float t = values[i];
                values[i] = values[j];
                values[j] = t;
            }
        }
    }

    /** The packed values put at the points the bitmap (section 6) marks present. */
    private static float[] placed(float[] values, Grib2Record r, RandomAccessFile raf) throws IOException {
        int points = r.getGDSsection().getNumberPoints();
        byte[] bitmap = r.getBitmapSection().getBitmap(raf);
        if (bitmap == null) {
            if (values.length != points) {
                throw new IOException(values.length + " packed values for " + points + " points and no bitmap");
            }
            return values;
        }
        float[] out = new float[points];
        int next = 0;
        for (int i = 0; i < points; i++) {
            boolean present = (bitmap[i >> 3] & (0x80 >> (i & 7))) != 0;
            out[i] = present && next < values.length ? values[next++] : Float.NaN;
        }
        return out;
    }

    /**
     * Template 7.2 (and 7.3 with spatial differencing of order 0, as ecCodes writes it): groups
     * of bit-packed integers, each group's reference plus its values of the group's width.
     */
    private static double[] complex(byte[] drs, byte[] data, int packed) throws IOException {
        int nbits = u1(drs, 19);
        int missingMode = u1(drs, 22);
        int groups = (int) u4(drs, 31);
        int widthRef = u1(drs, 35);
        int widthBits = u1(drs, 36);
        long lengthRef = u4(drs, 37);
        int lengthIncrement = u1(drs, 41);
        long lastLength = u4(drs, 42);
        int lengthBits = u1(drs, 46);
        MsbBits in = new MsbBits(data, 5 * 8L, "section 7");
        long[] refs = new long[groups];
        for (int g = 0; g < groups; g++) {
            refs[g] = in.bits(nbits);
        }
        in.align();
        int[] widths = new int[groups];
        for (int g = 0; g < groups; g++) {
            widths[g] = widthRef + (int) in.bits(widthBits);
        }
        in.align();
        long[] lengths = new long[groups];
        long total = 0;
        for (int g = 0; g < groups; g++) {
            lengths[g] = lengthRef + in.bits(lengthBits) * lengthIncrement;
        }
        in.align();
        if (groups > 0) {
            lengths[groups - 1] = lastLength;
        }
        for (long l : lengths) {
            total += l;
        }
        if (total != packed) {
            throw new IOException("complex packing: groups hold " + total + " values, the section says " + packed);
        }
        double[] x = new double[packed];
        int n = 0;
        for (int g = 0; g < groups; g++) {
            int w = widths[g];
            long missing1 = (1L << w) - 1;
            long groupMissing = nbits == 0 ? -1 : (1L << nbits) - 1;
            for (long i = 0; i < lengths[g]; i++, n++) {
                if (w == 0) {
                    x[n] = missingMode >= 1 && refs[g] == groupMissing ? Double.NaN : refs[g];
                } else {
                    long v = in.bits(w);
                    boolean missing = (missingMode >= 1 && v == missing1) || (missingMode == 2 && v == missing1 - 1);
                    x[n] = missing ? Double.NaN : refs[g] + v;
                }
            }
        }
        return x;
    }

    /**
     * Template 7.40: a JPEG 2000 codestream, decoded by NetCDF-Java's jj2000 wrapper. The wrapper
     * takes a bit-rate budget and NetCDF-Java passes the bits per value, which truncates any
     * codestream larger than that (small images, noisy data, the one-row images ecCodes writes
     * under a bitmap: the values after the budget come out as the mid-level). refcat passes a
     * budget covering the whole codestream.
     */
    private static double[] jpeg2000(byte[] drs, byte[] data, int packed) throws IOException {
        double[] x = new double[packed];
        if (u1(drs, 19) == 0 || data.length <= 5 || packed == 0) {
            return x; // a constant field: every value is the reference value
        }
        byte[] codestream = java.util.Arrays.copyOfRange(data, 5, data.length);
        Jpeg2000Markers.check(codestream, packed);
        int rate = (int) Math.min(Integer.MAX_VALUE / 2, 8L * codestream.length / packed + 64);
        Grib2JpegDecoder decoder = new Grib2JpegDecoder(rate, false);
        decoder.decode(codestream);
        int[] values = decoder.getGdata();
        if (values == null || values.length < packed) {
            throw new IOException("JPEG 2000 codestream gives " + (values == null ? 0 : values.length) + " values for "
                    + packed);
        }
        for (int i = 0; i < packed; i++) {
            x[i] = values[i];
        }
        return x;
    }

    /** Template 7.0: the integers one after the other, each of template 5.0's bits per value. */
    private static double[] simple(byte[] drs, byte[] data, int packed) throws IOException {
        double[] x = new double[packed];
        int bits = u1(drs, 19);
        if (bits == 0) {
            return x; // a constant field: every value is the reference value
        }
        if (5 + ((long) packed * bits + 7) / 8 > data.length) {
            throw new IOException(packed + " values of " + bits + " bits do not fit section 7 of " + data.length + " bytes");
        }
        MsbBits in = new MsbBits(data, 5 * 8L, "section 7");
        for (int i = 0; i < packed; i++) {
            x[i] = in.bits(bits);
        }
        return x;
    }

    /** Template 7.42: the integers coded by CCSDS adaptive entropy coding, with template 5.42's parameters. */
    private static double[] ccsds(byte[] drs, byte[] data, int packed) throws IOException {
        double[] x = new double[packed];
        int bits = u1(drs, 19);
        if (bits == 0 || packed == 0) {
            return x; // a constant field: every value is the reference value
        }
        long[] samples = AecDecoder.decode(data, 5, data.length - 5, bits, u1(drs, 22), u2(drs, 23), u1(drs, 21), packed);
        for (int i = 0; i < packed; i++) {
            x[i] = samples[i];
        }
        return x;
    }

    /** Template 7.41: the integers are the samples of a PNG image (grey, or RGB/RGBA for 24/32 bits). */
    private static double[] png(byte[] drs, byte[] data, int packed) throws IOException {
        double[] x = new double[packed];
        int depth = u1(drs, 19);
        if (depth == 0 || data.length <= 5) {
            return x; // a constant field: every value is the reference value
        }
        PngChunks.check(data, 5, data.length - 5);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(data, 5, data.length - 5));
        if (image == null) {
            throw new IOException("PNG packing: section 7 is not a PNG image");
        }
        Raster raster = image.getRaster();
        int width = raster.getWidth();
        if ((long) width * raster.getHeight() < packed) {
            throw new IOException("PNG packing: image of " + width + "x" + raster.getHeight() + " for " + packed
                    + " values");
        }
        int bands = raster.getNumBands();
        for (int i = 0; i < packed; i++) {
            long v = 0;
            for (int b = 0; b < bands; b++) {
                v = (v << (depth / bands)) | raster.getSample(i % width, i / width, b);
            }
            x[i] = v;
        }
        return x;
    }

    private static byte[] section(RandomAccessFile raf, long start) throws IOException {
        raf.seek(start);
        int length = raf.readInt();
        if (length < 5 || start + length > raf.length()) {
            throw new IOException("section of " + length + " bytes at " + start + " runs past the message");
        }
        byte[] b = new byte[length];
        raf.seek(start);
        raf.readFully(b);
        return b;
    }
}
