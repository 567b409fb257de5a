package io.refcat.indexer.grib;

import static io.refcat.reference.BigEndian.u3;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the GRIB messages of a file: each "GRIB" indicator section, its edition and total length,
 * checked against the "7777" that must end it. Bytes between messages (bulletin headers, padding,
 * junk) are skipped; a message that is cut short or does not end in "7777" is reported with its
 * offset and the search goes on after its indicator. Only indicator and end bytes are read, plus
 * whatever lies between messages.
 */
final class GribMessages {
    private static final byte[] MAGIC = "GRIB".getBytes(StandardCharsets.US_ASCII);
    private static final int WINDOW = 64 * 1024;
    private static final int FIRST_WINDOW = 256;
    private static final long LARGE = 0x800000;

    private GribMessages() {
    }

    /** A message found: where it is, its edition and length. */
    record Message(long offset, long length, int edition) {
    }

    /** A message that could not be used, and why. */
    record Bad(long offset, String reason) {
    }

    record Found(List<Message> messages, List<Bad> bad) {
    }

    static Found find(ByteSource source) throws IOException {
        long size = source.size();
        List<Message> messages = new ArrayList<>();
        List<Bad> bad = new ArrayList<>();
        long at = 0;
        while (true) {
            // Messages usually follow each other directly: the next one's 16 header octets are read
            // at once, and the bytes between messages searched only where they are not there.
            byte[] head = at + 16 <= size ? source.read(at, 16) : null;
            long start = at;
            if (head == null || !startsWithMagic(head)) {
                Start next = next(source, at, size);
                if (next == null) {
                    break;
                }
                start = next.offset();
                if (start + 16 > size) {
                    bad.add(new Bad(start, "message header cut short at the end of the file"));
                    break;
                }
                head = next.head() != null ? next.head() : source.read(start, 16);
            }
            int edition = head[7] & 0xFF;
            if (edition != 1 && edition != 2) {
                bad.add(new Bad(start, "GRIB edition " + edition + " is not GRIB1 or GRIB2"));
                at = start + 4;
                continue;
            }
            long length = declaredLength(head);
            if (edition == 1 && (length & LARGE) != 0) {
                length = large(source, start, length, size);
            }
            String problem = null;
            if (length < 16 || start + length > size) {
                problem = "message of " + length + " bytes runs past the end of the file (" + size + " bytes): cut short";
            } else if (!"7777".equals(new String(source.read(start + length - 4, 4), StandardCharsets.US_ASCII))) {
                problem = "message of " + length + " bytes does not end in 7777: corrupt";
            }
            if (problem != null) {
                bad.add(new Bad(start, problem));
                at = start + 4;
            } else {
                messages.add(new Message(start, length, edition));
                at = start + length;
            }
        }
        return new Found(messages, bad);
    }

    /**
     * The length a message's first 16 bytes declare (GRIB1: 3 octets, perhaps with ECMWF's
     * large-message bit set, see {@link #large}; GRIB2: 8 octets, negative if its top bit is set), or
     * -1 for another edition.
     */
    static long declaredLength(byte[] head) {
        int edition = head[7] & 0xFF;
        if (edition == 1) {
            return ((head[4] & 0xFFL) << 16) | ((head[5] & 0xFFL) << 8) | (head[6] & 0xFFL);
        }
        if (edition != 2) {
            return -1;
        }
        long length = 0;
        for (int i = 8; i < 16; i++) {
            length = (length << 8) | (head[i] & 0xFFL);
        }
        return length;
    }

    /**
     * ECMWF's convention for GRIB1 messages over 16 MB, whose length does not fit 3 octets: the top
     * bit of the length is set, the other 23 count units of 120 octets, and the binary data
     * section's length field (then under 120) is subtracted; the total is
     * {@code (length & 0x7FFFFF) * 120 - bdsLength + 4}. A length with the top bit set and a real
     * data section length is a plain length between 8 and 16 MB.
     */
    private static long large(ByteSource source, long start, long length, long size) throws IOException {
        long at = start + 8;
        if (at + 8 > size) {
            return length;
        }
        byte[] pds = source.read(at, 8);
        int flags = pds[7] & 0xFF;
        at += u3(pds, 0);
        for (int present : new int[] {flags & 0x80, flags & 0x40}) {
            if (present != 0) {
                if (at + 3 > size) {
                    return length;
                }
                at += u3(source.read(at, 3), 0);
            }
        }
        if (at + 3 > size) {
            return length;
        }
        long bds = u3(source.read(at, 3), 0);
        return bds < 120 ? (length & 0x7FFFFF) * 120 - bds + 4 : length;
    }

    private static boolean startsWithMagic(byte[] head) {
        return java.util.Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** A "GRIB" found by searching, with its 16 header octets where the search read them all. */
    private record Start(long offset, byte[] head) {
    }

    /** The next "GRIB" at or after {@code from}, or null. */
    private static Start next(ByteSource source, long from, long size) throws IOException {
        // Small windows first, growing: bytes between messages are usually few (padding to a word,
        // a bulletin header), and a 64 KiB read per message read most files many times over.
        int window = FIRST_WINDOW;
        for (long at = from; at + MAGIC.length <= size; at += window - MAGIC.length + 1, window = Math.min(WINDOW, window * 4)) {
            int n = (int) Math.min(window, size - at);
            byte[] b = source.read(at, n);
            for (int i = 0; i + MAGIC.length <= n; i++) {
                if (b[i] == 'G' && b[i + 1] == 'R' && b[i + 2] == 'I' && b[i + 3] == 'B') {
                    return new Start(at + i, i + 16 <= n ? java.util.Arrays.copyOfRange(b, i, i + 16) : null);
                }
            }
        }
        return null;
    }
}
