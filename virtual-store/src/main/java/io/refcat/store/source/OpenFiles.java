package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Local source files kept open between requests, so that serving a chunk costs one {@code stat}
 * and one positional read, not an open, three stats and a close. A file is reused only while its
 * size, modification time and identity (device and inode) are those it was opened with: a file
 * replaced or rewritten since is opened afresh, and its old channel closed once no request reads
 * from it. At most {@link #MAX_OPEN} files stay open, the least recently used closed first.
 *
 * <p>Chunks served as stored are handed to the server as slices of the file's memory mapping
 * ({@link Mapped}), so they go from the page cache to the socket without passing through the Java
 * heap. Files are mapped in windows of {@link #WINDOW} bytes, {@link #STRIDE} apart, so that any
 * range up to their overlap lies whole in one; a larger range, or one past them, is read.
 */
public final class OpenFiles {
    static final int MAX_OPEN = 256;
    static final long WINDOW = 1L << 30;
    static final long STRIDE = WINDOW - (64L << 20);

    /** A source whose ranges can be had as slices of a memory mapping. */
    public interface Mapped {
        /** The range as a read-only buffer; empty where it is not mapped (too large, past the windows). */
        java.util.Optional<ByteBuffer> mapped(long position, long length) throws IOException;
    }

    private final Map<Path, Entry> open = new LinkedHashMap<>(16, 0.75f, true);

    /** A source over {@code real} as {@code now} describes it; closing it releases the file. */
    ByteSource open(Path real, BasicFileAttributes now) throws IOException {
        Entry e;
        synchronized (this) {
            e = open.get(real);
            if (e != null && !e.describedBy(now)) {
                open.remove(real);
                e.retire();
                e = null;
            }
            if (e == null) {
                e = new Entry(real, FileChannel.open(real, StandardOpenOption.READ), now);
                open.put(real, e);
                trim();
            }
            e.users++;
        }
        return new Shared(e);
    }

    private void trim() {
        Iterator<Entry> eldest = open.values().iterator();
        while (open.size() > MAX_OPEN && eldest.hasNext()) {
            Entry old = eldest.next();
            eldest.remove();
            old.retire();
        }
    }

    private final class Entry {
        final Path path;
        final String url;
        final FileChannel channel;
        final long size;
        final long modified;
        final java.time.Instant modifiedAt;
        final Object identity;
        int users;
        boolean retired;
        /** Mapped on first use; a mapping lives until the garbage collector frees it. */
        final java.nio.MappedByteBuffer[] windows;

        Entry(Path path, FileChannel channel, BasicFileAttributes a) {
            this.path = path;
            this.url = FileByteSource.urlOf(path);
            this.channel = channel;
            this.size = a.size();
            this.modified = a.lastModifiedTime().toMillis();
            this.modifiedAt = a.lastModifiedTime().toInstant();
            this.identity = a.fileKey();
            this.windows = new java.nio.MappedByteBuffer[(int) Math.min(64, size / STRIDE + 1)];
        }

        synchronized java.util.Optional<ByteBuffer> slice(long position, long length) throws IOException {
            long w = position / STRIDE;
            long start = w * STRIDE;
            if (w >= windows.length || position + length > Math.min(size, start + WINDOW) || length > STRIDE) {
                return java.util.Optional.empty();
            }
            if (windows[(int) w] == null) {
                windows[(int) w] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            }
            return java.util.Optional.of(windows[(int) w].slice((int) (position - start), (int) length).asReadOnlyBuffer());
        }

        boolean describedBy(BasicFileAttributes a) {
            return a.size() == size && a.lastModifiedTime().toInstant().equals(modifiedAt)
                    && Objects.equals(a.fileKey(), identity);
        }

        /** Called with the lock held. */
        void retire() {
            retired = true;
            closeIfUnused();
        }

        void closeIfUnused() {
            if (retired && users == 0) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // a read-only channel has nothing to flush
                }
            }
        }
    }

    /** One request's view of an open file. */
    private final class Shared implements ByteSource, Mapped {
        private final Entry e;
        private boolean closed;

        Shared(Entry e) {
            this.e = e;
        }

        @Override
        public String url() {
            return e.url;
        }

        @Override
        public long size() {
            return e.size;
        }

        /** As {@link FileByteSource#version()}: the modification time, recorded at indexing. */
        @Override
        public java.util.Optional<String> version() {
            return java.util.Optional.of(FileByteSource.MTIME + e.modified);
        }

        @Override
        public java.util.Optional<java.time.Instant> lastModified() {
            return java.util.Optional.of(e.modifiedAt);
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long at = position;
            while (dst.hasRemaining()) {
                int n = e.channel.read(dst, at);
                if (n < 0) {
                    throw new EOFException(e.url + ": end of file at byte " + at + " with " + dst.remaining()
                            + " bytes still to read");
                }
                at += n;
            }
        }

        @Override
        public java.util.Optional<ByteBuffer> mapped(long position, long length) throws IOException {
            return e.slice(position, length);
        }

        @Override
        public void close() {
            synchronized (OpenFiles.this) {
                if (!closed) {
                    closed = true;
                    e.users--;
                    e.closeIfUnused();
                }
            }
        }
    }
}
