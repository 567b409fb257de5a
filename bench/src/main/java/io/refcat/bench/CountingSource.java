package io.refcat.bench;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes a scanner reads, to compare with the size of the header. */
final class CountingSource implements ByteSource {
    private final ByteSource inner;
    private final AtomicLong counter;

    CountingSource(ByteSource inner, AtomicLong counter) {
        this.inner = inner;
        this.counter = counter;
    }

    @Override
    public String url() {
        return inner.url();
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        counter.addAndGet(dst.remaining());
        inner.read(position, dst);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
