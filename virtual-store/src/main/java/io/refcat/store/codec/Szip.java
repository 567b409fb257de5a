package io.refcat.store.codec;

import java.io.IOException;

/**
 * HDF5's szip filter (id 4), decoded with {@link AecDecoder} as libaec's szip interface decodes it:
 * the chunk is the decoded size (a little-endian uint32) and the coded stream; the filter's
 * parameters are the szip options mask, pixels per block, bits per pixel and pixels per scanline
 * (H5Zszip.c's order). Each scanline is coded padded to whole blocks; 32- and 64-bit pixels are
 * coded as bytes, byte plane by byte plane, and interleaved back; other pixels are written in the
 * byte order the options name (MSB or LSB first).
 */
final class Szip {
    static final int ID = 4;
    private static final int MSB = 16;
    private static final int NN = 32;

    private Szip() {
    }

    /** @param limit the most bytes the chunk may decode to */
    static byte[] decode(byte[] chunk, int[] parameters, int limit) throws IOException {
        if (parameters.length < 4) {
            throw new IOException("szip: " + parameters.length + " filter parameters, 4 expected");
        }
        if (chunk.length < 4) {
            throw new IOException("szip: chunk of " + chunk.length + " bytes has no size header");
        }
        long size = (chunk[0] & 0xffL) | (chunk[1] & 0xffL) << 8 | (chunk[2] & 0xffL) << 16 | (chunk[3] & 0xffL) << 24;
        if (size > limit) {
            throw new IOException("szip: the chunk declares " + size + " bytes, more than its " + limit);
        }
        int options = parameters[0];
        int perBlock = parameters[1];
        int bitsPerPixel = parameters[2];
        int perScanline = parameters[3];
        if (perBlock < 2 || perScanline < 1 || bitsPerPixel < 1 || bitsPerPixel > 64) {
            throw new IOException("szip: parameters " + java.util.Arrays.toString(parameters) + " are not szip's");
        }
        boolean interleaved = bitsPerPixel == 32 || bitsPerPixel == 64;
        int bits = interleaved ? 8 : bitsPerPixel;
        if (bits > 32) {
            throw new IOException("szip: " + bitsPerPixel + " bits per pixel");
        }
        int pixelSize = bits > 16 ? 4 : bits > 8 ? 2 : 1;
        long pixels = size / pixelSize;
        int blocksPerScanline = (perScanline + perBlock - 1) / perBlock;
        long scanlines = (pixels + perScanline - 1) / perScanline;
        long coded = scanlines * blocksPerScanline * perBlock;
        int flags = AecDecoder.NOT_ENFORCE | ((options & NN) != 0 ? AecDecoder.PREPROCESS : 0);
        byte[] out = new byte[(int) size];
        boolean msb = (options & MSB) != 0;
        int padded = blocksPerScanline * perBlock;
        int word = interleaved ? bitsPerPixel / 8 : 1;
        long words = size / word;
        // each decoded sample goes straight to its place: padding dropped, byte planes interleaved
        AecDecoder.decode(chunk, 4, chunk.length - 4, bits, perBlock, blocksPerScanline, flags, coded,
                (values, n, at) -> {
                    for (int i = 0; i < n; i++) {
                        long s = at + i;
                        long column = s % padded;
                        if (column >= perScanline) {
                            continue;
                        }
                        long p = (s / padded) * perScanline + column;
                        if (p >= pixels) {
                            continue;
                        }
                        long v = values[i];
                        if (interleaved) {
                            out[(int) ((p % words) * word + p / words)] = (byte) v;
                        } else {
                            int base = (int) (p * pixelSize);
                            for (int b = 0; b < pixelSize; b++) {
                                out[base + b] = (byte) (v >>> (8 * (msb ? pixelSize - 1 - b : b)));
                            }
                        }
                    }
                });
        return out;
    }
}
