package io.refcat.reference;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional, read-only access to the bytes of one source (a local file, an HTTP object, an S3
 * object). The contract lives here so that scanners and the store share it; the implementations
 * that do I/O live in the virtual-store module.
 */
public interface ByteSource extends AutoCloseable {

    /** Whether a source location is a remote object ({@code s3://}, {@code http(s)://}) rather than a local file. */
    static boolean isRemote(String location) {
        return location.startsWith("s3://") || location.startsWith("http://") || location.startsWith("https://");
    }

    /** The URL that references to this source carry. */
    String url();

    long size() throws IOException;

    /** When the source was last changed, where that is known (for HTTP's {@code Last-Modified}). */
    default java.util.Optional<java.time.Instant> lastModified() throws IOException {
        return java.util.Optional.empty();
    }

    /**
     * The version of a remote object ({@code ETag}, or {@code Last-Modified} where there is no
     * tag), which references record so that later reads require the same object.
     */
    default java.util.Optional<String> version() throws IOException {
        return java.util.Optional.empty();
    }

    /**
     * This source without any buffering or read-ahead of its own, for a reader that knows exactly
     * which few bytes it needs (a GRIB index sidecar's message heads).
     */
    default ByteSource unbuffered() {
        return this;
    }

    /** Requests this source has made of its storage (reads of a file, HTTP requests), or -1 if not counted. */
    default long requests() {
        return -1;
    }

    /** Bytes this source has fetched from its storage, or -1 if not counted. */
    default long bytesFetched() {
        return -1;
    }

    /** Fills {@code dst} from {@code position} on; fewer bytes than asked is an {@link EOFException}. */
    void read(long position, ByteBuffer dst) throws IOException;

    default byte[] read(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        read(position, buf);
        return buf.array();
    }

    @Override
    void close() throws IOException;
}
