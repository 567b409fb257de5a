package io.refcat.store.codec;

import static io.refcat.reference.BigEndian.u4;

import java.io.IOException;
import java.util.zip.CRC32;

/**
 * The chunk structure of a PNG image (PNG specification, section 5): the signature, then chunks of
 * length, type, data and a CRC-32 of type and data, IHDR first and IEND last. Java's PNG reader
 * does not check the CRCs, so a damaged image would decode to other values without a word; every
 * chunk's CRC is checked before the image is decoded.
 */
final class PngChunks {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngChunks() {
    }

    static void check(byte[] b, int offset, int length) throws IOException {
        int end = offset + length;
        if (length < SIGNATURE.length || !java.util.Arrays.equals(b, offset, offset + SIGNATURE.length, SIGNATURE, 0,
                SIGNATURE.length)) {
            throw new IOException("PNG packing: section 7 is not a PNG image (no PNG signature)");
        }
        int at = offset + SIGNATURE.length;
        boolean first = true;
        while (true) {
            if (end - at < 12) {
                throw new IOException("PNG packing: the image ends inside a chunk header at byte " + (at - offset)
                        + " (no IEND chunk)");
            }
            long size = u4(b, at);
            if (size > end - at - 12) {
                throw new IOException("PNG packing: a chunk at byte " + (at - offset) + " claims " + size
                        + " bytes, past the end of the image");
            }
            String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(b, at + 4, 4 + (int) size);
            if (crc.getValue() != u4(b, at + 8 + (int) size)) {
                throw new IOException("PNG packing: the " + type + " chunk at byte " + (at - offset)
                        + " fails its CRC: the image is corrupt");
            }
            if (first && !type.equals("IHDR")) {
                throw new IOException("PNG packing: the image begins with a " + type + " chunk, not IHDR");
            }
            first = false;
            at += 12 + (int) size;
            if (type.equals("IEND")) {
                return;
            }
        }
    }
}
