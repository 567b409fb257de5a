package io.refcat.indexer.grib;

import io.refcat.reference.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One message of a file as a source of its own, so NetCDF-Java's scanner sees exactly that message. */
final class SliceSource implements ByteSource {
    private final ByteSource file;
    private final long offset;
    private final long length;

    SliceSource(ByteSource file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public String url() {
        return file.url() + "#" + offset;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        if (position < 0 || position + dst.remaining() > length) {
            throw new EOFException("read of " + dst.remaining() + " bytes at " + position + " outside the message of "
                    + length + " bytes at " + offset);
        }
        file.read(offset + position, dst);
    }

    @Override
    public void close() {
        // the file belongs to the caller
    }
}
