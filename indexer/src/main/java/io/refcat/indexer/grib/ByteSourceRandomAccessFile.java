package io.refcat.indexer.grib;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * NetCDF-Java's file abstraction over a {@link ByteSource}, so its GRIB scanner reads through the
 * same positional reads as every refcat scanner (and never opens, indexes or caches the file
 * itself). The source stays owned, and closed, by the caller.
 */
final class ByteSourceRandomAccessFile extends ucar.unidata.io.RandomAccessFile {
    private final ByteSource source;
    private final long size;

    ByteSourceRandomAccessFile(ByteSource source) throws IOException {
        super(512); // sections are small and the packed data is skipped: read little beyond them
        this.source = source;
        this.size = source.size();
        this.location = source.url();
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    protected int read_(long pos, byte[] b, int offset, int len) throws IOException {
        int n = (int) Math.max(0, Math.min(len, size - pos));
        if (n > 0) {
            source.read(pos, ByteBuffer.wrap(b, offset, n));
        }
        return n == 0 && len > 0 ? -1 : n;
    }

    @Override
    public synchronized void close() {
        // the ByteSource belongs to the caller
    }
}
