package io.refcat.indexer.grib;

import static io.refcat.reference.BigEndian.u1;
import static io.refcat.reference.BigEndian.u4;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of one GRIB2 message that describe it, read ahead of NetCDF-Java's scanner: sections 0
 * to 5 whole, the first octets of each bitmap and data section (length, number, bitmap indicator)
 * and the closing "7777", but never a bitmap or packed data. NetCDF-Java reads through a fixed
 * buffer wherever it seeks, so a message used to cost two or three buffers (about 550 bytes) of
 * whatever lay there; now it costs its own section headers and at most {@link #FIRST_READ} bytes
 * more, whatever the field's size.
 *
 * <p>The walk follows the sections' declared lengths and stops at the first that does not fit
 * the message; whatever NetCDF-Java then asks for beyond the bytes held is read from the message
 * itself ({@link ByteSourceRandomAccessFile}), so a corrupt message fails in NetCDF-Java's
 * words as before, and no byte is ever served that is not the file's.
 */
final class SectionHeads {
    /** The first read: sections 0 to 5 of common grids fit (about 160–200 bytes). */
    static final int FIRST_READ = 256;
    /** Sections longer than this (a huge local-use section, say) are left to NetCDF-Java's reads. */
    private static final int MAX_SECTION = 1 << 20;

    private final ByteSource message;
    private final long length;
    /** Runs of the message's bytes held, by offset; runs do not touch or overlap. */
    private final TreeMap<Long, byte[]> runs = new TreeMap<>();

    private SectionHeads(ByteSource message) throws IOException {
        this.message = message;
        this.length = message.size();
    }

    /** The section headers of the message {@code message} holds (offsets within it). */
    static SectionHeads read(ByteSource message) throws IOException {
        SectionHeads heads = new SectionHeads(message);
        heads.walk();
        return heads;
    }

    private void walk() throws IOException {
        hold(0, (int) Math.min(FIRST_READ, length));
        long at = 16; // section 0, the indicator, is 16 octets
        while (at + 4 < length) {
            byte[] head = hold(at, 5);
            long sectionLength = u4(head, 0);
            int number = u1(head, 4);
            if (sectionLength < 5 || at + sectionLength > length - 4 || number < 1 || number > 7) {
                return; // not a section: NetCDF-Java reads on by itself and reports it
            }
            if (number <= 5 && sectionLength > MAX_SECTION) {
                return; // held bytes stay small whatever a section claims; NetCDF-Java reads on
            }
            // Each read takes the next section's five header octets with it where they follow.
            if (number <= 5 || number == 6 && sectionLength == 6) {
                hold(at, (int) Math.min(sectionLength + 5, length - at));
            } else if (number == 6) {
                hold(at, 6); // the bitmap indicator, not the bitmap
            }
            at += sectionLength;
        }
        if (at + 4 == length) {
            hold(at, 4);
        }
    }

    /**
     * Makes {@code [at, at + n)} held and returns those bytes: what is not held yet is read, in one
     * read, joined to the run it extends.
     */
    private byte[] hold(long at, int n) throws IOException {
        Map.Entry<Long, byte[]> before = runs.floorEntry(at);
        if (before != null && before.getKey() + before.getValue().length >= at) {
            long start = before.getKey();
            byte[] run = before.getValue();
            long end = at + n;
            if (end > start + run.length) {
                byte[] more = message.read(start + run.length, (int) (end - start - run.length));
                byte[] joined = java.util.Arrays.copyOf(run, run.length + more.length);
                System.arraycopy(more, 0, joined, run.length, more.length);
                runs.put(start, joined);
                run = joined;
            }
            return java.util.Arrays.copyOfRange(run, (int) (at - start), (int) (at - start) + n);
        }
        byte[] read = message.read(at, n);
        runs.put(at, read);
        return read;
    }

    /**
     * Copies into {@code b} the held bytes from {@code pos} on, up to {@code len}; returns how many,
     * 0 where {@code pos} is not held.
     */
    int copy(long pos, byte[] b, int offset, int len) {
        Map.Entry<Long, byte[]> run = runs.floorEntry(pos);
        if (run == null) {
            return 0;
        }
        long available = run.getKey() + run.getValue().length - pos;
        if (available <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, available);
        System.arraycopy(run.getValue(), (int) (pos - run.getKey()), b, offset, n);
        return n;
    }

    /** Where the next held run after {@code pos} starts, or the message's length. */
    long nextHeld(long pos) {
        Long next = runs.higherKey(pos);
        return next == null ? length : next;
    }
}
