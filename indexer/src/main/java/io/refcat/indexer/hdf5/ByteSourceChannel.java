package io.refcat.indexer.hdf5;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over a {@link ByteSource}, so that jhdf reads HDF5 structures through the
 * same positional reads as every other scanner (local file, HTTP or S3 alike).
 */
final class ByteSourceChannel implements SeekableByteChannel {
    private final ByteSource source;
    private final long size;
    private long position;
    private long lastReadAt = -1;
    private long maxReadEnd;
    private boolean open = true;

    ByteSourceChannel(ByteSource source) throws IOException {
        this.source = source;
        this.size = source.size();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        ByteBuffer slice = dst.slice();
        slice.limit(n);
        lastReadAt = position;
        maxReadEnd = Math.max(maxReadEnd, position + n);
        source.read(position, slice);
        dst.position(dst.position() + n);
        position += n;
        return n;
    }

    /** Where the last read began: where jhdf was reading when it gave up, for error messages. */
    long lastReadAt() {
        return lastReadAt;
    }

    /** The end of the furthest bytes read. */
    long maxReadEnd() {
        return maxReadEnd;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
