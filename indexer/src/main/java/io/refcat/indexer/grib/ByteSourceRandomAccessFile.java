package io.refcat.indexer.grib;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * NetCDF-Java's file abstraction over one GRIB2 message, so its scanner reads through the same
 * positional reads as every refcat scanner (and never opens, indexes or caches the file itself):
 * from the message's section headers read ahead ({@link SectionHeads}), and from the message for
 * anything else, never past the next bytes held. The source stays owned, and closed, by the caller.
 */
final class ByteSourceRandomAccessFile extends ucar.unidata.io.RandomAccessFile {
    private final ByteSource source;
    private final SectionHeads heads;
    private final long size;

    ByteSourceRandomAccessFile(ByteSource source, SectionHeads heads) throws IOException {
        super(512); // what the heads do not hold is rare (corrupt sections): read little beyond it
        this.source = source;
        this.heads = heads;
        this.size = source.size();
        this.location = source.url();
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    protected int read_(long pos, byte[] b, int offset, int len) throws IOException {
        int held = heads.copy(pos, b, offset, len);
        if (held > 0) {
            return held; // a short read: NetCDF-Java reads on from where the held bytes end
        }
        int n = (int) Math.max(0, Math.min(len, Math.min(size, heads.nextHeld(pos)) - pos));
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
