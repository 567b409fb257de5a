package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * What every remote object shares: its size and version as known (from indexing, or asked once),
 * ranged reads retried as {@link Retries} says, a body shorter than promised retried, and the
 * requests counted. Subclasses only send one ranged request.
 */
abstract class RemoteByteSource implements ByteSource {
    final String url;
    final long size;
    final String version;
    final Instant modified;
    final Retries retries;
    final SourceCounter counter;

    RemoteByteSource(String url, long size, String version, Instant modified, Retries retries, SourceCounter counter) {
        this.url = url;
        this.size = size;
        this.version = version;
        this.modified = modified;
        this.retries = retries;
        this.counter = counter;
    }

    /**
     * One ranged request for bytes {@code first} to {@code last} inclusive; the body from
     * {@code first} on. Failures that may pass are {@link Retries.Transient}.
     */
    abstract InputStream range(long first, long last) throws IOException;

    @Override
    public final String url() {
        return url;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final Optional<String> version() {
        return Optional.ofNullable(version);
    }

    @Override
    public final Optional<Instant> lastModified() {
        return Optional.ofNullable(modified);
    }

    @Override
    public final long requests() {
        return counter.requests();
    }

    @Override
    public final long bytesFetched() {
        return counter.bytes();
    }

    @Override
    public final void read(long position, ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        if (want == 0) {
            return;
        }
        if (position + want > size) {
            throw new EOFException(url + ": " + want + " bytes at " + position + " run past the end of the object ("
                    + size + " bytes)");
        }
        int start = dst.position();
        retries.run(url, () -> {
            dst.position(start);
            try (InputStream body = range(position, position + want - 1)) {
                // into the buffer's own array where it has one: a chunk read costs no copy and no garbage
                boolean intoArray = dst.hasArray();
                byte[] buf = intoArray ? dst.array() : new byte[Math.min(want, 1 << 16)];
                while (dst.hasRemaining()) {
                    int n = intoArray ? body.read(buf, dst.arrayOffset() + dst.position(), dst.remaining())
                            : body.read(buf, 0, Math.min(buf.length, dst.remaining()));
                    if (n < 0) {
                        throw new Retries.Transient("the body ended after " + (dst.position() - start) + " of " + want
                                + " bytes", null, null);
                    }
                    if (intoArray) {
                        dst.position(dst.position() + n);
                    } else {
                        dst.put(buf, 0, n);
                    }
                }
                return null;
            } catch (RemoteSourceException | Retries.Transient e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new Retries.Transient("reading the body failed: " + e.getMessage(), null, e);
            }
        });
    }

    @Override
    public void close() {
        // clients and their connections are shared by every source of the process
    }
}
