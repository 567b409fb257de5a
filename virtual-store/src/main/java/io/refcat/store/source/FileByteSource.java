package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read with positional reads on one {@link FileChannel}; safe for concurrent reads. */
public final class FileByteSource implements ByteSource {
    private final Path path;
    private final String url;
    private final FileChannel channel;
    private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder fetched = new java.util.concurrent.atomic.LongAdder();

    private FileByteSource(Path path, FileChannel channel) {
        this.path = path;
        this.url = urlOf(path);
        this.channel = channel;
    }

    public static FileByteSource open(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        return new FileByteSource(abs, FileChannel.open(abs, StandardOpenOption.READ));
    }

    /**
     * The URL written into references: {@code file://} and the absolute path, not percent-encoded,
     * which is what fsspec's local file system strips back to a path.
     */
    public static String urlOf(Path path) {
        return "file://" + path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    /**
     * A local file's version is its modification time: recorded at indexing, it tells a file
     * replaced since — even by one of the same size — from the one the references describe.
     */
    @Override
    public java.util.Optional<String> version() throws IOException {
        return java.util.Optional.of(MTIME + modified().toEpochMilli());
    }

    /** Read once per opening: a served chunk asks for it twice (its check and its ETag). */
    private java.time.Instant modified;

    private java.time.Instant modified() throws IOException {
        if (modified == null) {
            modified = java.nio.file.Files.getLastModifiedTime(path).toInstant();
        }
        return modified;
    }

    static final String MTIME = "mtime:";

    @Override
    public java.util.Optional<java.time.Instant> lastModified() throws IOException {
        return java.util.Optional.of(modified());
    }

    @Override
    public long requests() {
        return reads.sum();
    }

    @Override
    public long bytesFetched() {
        return fetched.sum();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        reads.increment();
        fetched.add(dst.remaining());
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException(url + ": end of file at byte " + at + " with " + dst.remaining()
                        + " bytes still to read");
            }
            at += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
