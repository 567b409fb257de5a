package io.refcat.indexer.netcdf3;

import io.refcat.indexer.ScanException;
import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A big-endian cursor over the header of a NetCDF3 file. Reads the source in windows that start
 * at 1 KiB and double each time the header runs past one (up to 1 MiB), so a scan reads little
 * more than the header in a few requests however large it is; and checks every length against
 * the bytes that remain, so a hostile count fails at once instead of allocating.
 */
final class HeaderReader {
    private static final int FIRST_WINDOW = 1024;
    private static final int MAX_WINDOW = 1 << 20;

    private final ByteSource source;
    private final long size;
    private ByteBuffer window = ByteBuffer.allocate(0);
    private long windowStart;
    private long pos;
    private int nextWindow = FIRST_WINDOW;

    HeaderReader(ByteSource source) throws IOException {
        this.source = source;
        this.size = source.size();
    }

    long position() {
        return pos;
    }

    long fileSize() {
        return size;
    }

    long remaining() {
        return size - pos;
    }

    ScanException error(long at, String reason) {
        return new ScanException(source.url(), at, reason);
    }

    private void ensure(int n, String what) throws IOException {
        if (pos + n > size) {
            throw error(pos, "header ends early: " + what + " needs " + n + " bytes, the file has "
                    + Math.max(0, size - pos) + " left (size " + size + ")");
        }
        if (pos >= windowStart && pos + n <= windowStart + window.limit()) {
            return;
        }
        int len = (int) Math.min(Math.max(n, nextWindow), size - pos);
        nextWindow = Math.min(MAX_WINDOW, nextWindow * 2);
        ByteBuffer buf = ByteBuffer.allocate(len);
        source.read(pos, buf);
        buf.flip();
        window = buf;
        windowStart = pos;
    }

    int readInt(String what) throws IOException {
        ensure(4, what);
        int v = window.getInt((int) (pos - windowStart));
        pos += 4;
        return v;
    }

    long readLong(String what) throws IOException {
        ensure(8, what);
        long v = window.getLong((int) (pos - windowStart));
        pos += 8;
        return v;
    }

    /** A count or length that is 64 bits in CDF5 and 32 bits (non-negative) otherwise. */
    long readCount(boolean wide, String what) throws IOException {
        long at = pos;
        long v = wide ? readLong(what) : Integer.toUnsignedLong(readInt(what));
        if (v < 0 || (!wide && v > Integer.MAX_VALUE)) {
            throw error(at, what + " is negative: " + (wide ? Long.toUnsignedString(v) : Long.toString((int) v)));
        }
        return v;
    }

    /** Bytes padded to a multiple of 4, as NetCDF3 stores names and attribute values. */
    byte[] readPadded(long n, String what) throws IOException {
        long padded = (n + 3) & ~3L;
        if (padded > remaining()) {
            throw error(pos, "header ends early: " + what + " of " + n + " bytes, the file has " + remaining()
                    + " left (size " + size + ")");
        }
        byte[] out = new byte[(int) n];
        if (n > 0) {
            ensure((int) n, what);
            window.get((int) (pos - windowStart), out);
        }
        pos += padded;
        return out;
    }

    /** Fails when {@code count} elements of at least {@code minBytes} each cannot fit in the file. */
    void checkFits(long count, long minBytes, long at, String what) throws ScanException {
        if (count > remaining() / Math.max(1, minBytes)) {
            throw error(at, what + " count " + count + " cannot fit in the " + remaining()
                    + " bytes left in the file");
        }
    }
}
