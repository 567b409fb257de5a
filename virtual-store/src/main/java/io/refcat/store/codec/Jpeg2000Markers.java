package io.refcat.store.codec;

import static io.refcat.reference.BigEndian.u2;
import static io.refcat.reference.BigEndian.u4;

import java.io.IOException;

/**
 * The marker structure of a JPEG 2000 codestream (ISO/IEC 15444-1, annex A): SOC, SIZ, the main
 * header's marker segments, tile-parts that each begin with SOT and whose declared lengths chain
 * to EOC at the end. jj2000 is built to be resilient and decodes a damaged codestream to some
 * image; the format carries no checksum of the coded data, but a structure that does not hold
 * together means the stream is cut or corrupt, and is refused instead of decoded.
 */
final class Jpeg2000Markers {
    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int SOT = 0xFF90;
    private static final int EOC = 0xFFD9;

    private Jpeg2000Markers() {
    }

    /** @param values the values the codestream must hold at least (image width × height) */
    static void check(byte[] cs, long values) throws IOException {
        if (cs.length < 4 || u2(cs, 0) != SOC || u2(cs, 2) != SIZ) {
            throw corrupt("it does not begin with the SOC and SIZ markers");
        }
        int lsiz = segmentLength(cs, 2);
        if (lsiz < 41 || 4 + lsiz > cs.length) {
            throw corrupt("its SIZ segment of " + lsiz + " bytes does not fit");
        }
        long width = u4(cs, 8) - u4(cs, 16);
        long height = u4(cs, 12) - u4(cs, 20);
        int components = u2(cs, 40);
        if (components < 1 || lsiz != 38 + 3 * components || width <= 0 || height <= 0) {
            throw corrupt("its SIZ segment is inconsistent (" + components + " components in " + lsiz
                    + " bytes, image " + width + "x" + height + ")");
        }
        if (width * height < values) {
            throw corrupt("its image of " + width + "x" + height + " holds fewer than the " + values + " values packed");
        }
        int at = 4 + lsiz;
        while (at + 2 <= cs.length && u2(cs, at) != SOT) { // main header marker segments
            if ((cs[at] & 0xFF) != 0xFF || at + 4 > cs.length) {
                throw corrupt("no marker at byte " + at + " of its main header");
            }
            at += 2 + segmentLength(cs, at);
        }
        while (at + 2 <= cs.length && u2(cs, at) == SOT) { // tile-parts
            if (at + 12 > cs.length || u2(cs, at + 2) != 10) {
                throw corrupt("the tile-part header at byte " + at + " is cut short or malformed");
            }
            long psot = u4(cs, at + 6);
            if (psot == 0) { // the last tile-part runs to EOC
                at = cs.length - 2;
                break;
            }
            if (psot < 14 || at + psot > cs.length - 2) {
                throw corrupt("the tile-part at byte " + at + " claims " + psot + " bytes, past the codestream's end");
            }
            at += (int) psot;
        }
        if (at != cs.length - 2 || u2(cs, at) != EOC) {
            throw corrupt("its tile-parts do not end at an EOC marker at its end (byte " + at + " of " + cs.length + ")");
        }
    }

    private static int segmentLength(byte[] cs, int marker) throws IOException {
        int length = u2(cs, marker + 2);
        if (length < 2) {
            throw corrupt("the marker segment at byte " + marker + " has length " + length);
        }
        return length;
    }

    private static IOException corrupt(String why) {
        return new IOException("JPEG 2000 packing: the codestream is corrupt: " + why);
    }
}
