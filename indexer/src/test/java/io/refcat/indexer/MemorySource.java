package io.refcat.indexer;

import io.refcat.reference.ByteSource;
import java.io.EOFException;
import java.nio.ByteBuffer;

/** An in-memory source that counts what is read, to check that scanners read headers only. */
public final class MemorySource implements ByteSource {
    private final String url;
    private final byte[] data;
    private long bytesRead;
    private int reads;

    public MemorySource(String url, byte[] data) {
        this.url = url;
        this.data = data;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws EOFException {
        if (position + dst.remaining() > data.length) {
            throw new EOFException(url + ": read past the end");
        }
        bytesRead += dst.remaining();
        reads++;
        dst.put(data, (int) position, dst.remaining());
    }

    public long bytesRead() {
        return bytesRead;
    }

    public int reads() {
        return reads;
    }

    @Override
    public void close() {
    }
}
