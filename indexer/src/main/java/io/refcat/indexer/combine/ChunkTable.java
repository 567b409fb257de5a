package io.refcat.indexer.combine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chunk references of a combined dataset, one fixed-size slot per chunk of every output
 * array, kept in a temporary file with a page cache of bounded size: memory is set by the
 * budget, not by the number of references. Inline chunk bytes go to a second temporary file.
 *
 * <p>A slot is {@code int source, long offset, long length}: source 0 is an empty slot, -1 inline
 * bytes at {@code offset} in the blob file, {@code k > 0} the (k-1)-th URL, length -1 its whole file.
 */
final class ChunkTable implements AutoCloseable {
    static final int SLOT = 20;
    static final int INLINE = -1;
    private static final int PAGE = 64 * 1024 / SLOT * SLOT;

    record Slot(int source, long offset, long length) {
        boolean empty() {
            return source == 0;
        }
    }

    private final Path file;
    private final Path blobFile;
    private final FileChannel slots;
    private final FileChannel blobs;
    private final Map<Long, Page> pages;
    private long blobEnd;

    private static final class Page {
        final ByteBuffer data = ByteBuffer.allocate(PAGE);
        boolean dirty;
    }

    ChunkTable(Path tempDir, long memoryBudget) throws IOException {
        Files.createDirectories(tempDir);
        this.file = Files.createTempFile(tempDir, "refcat-combine-", ".slots");
        this.blobFile = Files.createTempFile(tempDir, "refcat-combine-", ".inline");
        this.slots = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.blobs = FileChannel.open(blobFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        int maxPages = (int) Math.max(4, Math.min(Integer.MAX_VALUE, memoryBudget / PAGE));
        this.pages = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Page> eldest) {
                if (size() <= maxPages) {
                    return false;
                }
                writeBack(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    void put(long slot, int source, long offset, long length) throws IOException {
        ByteBuffer page = page(slot);
        int at = (int) (slot * SLOT % PAGE);
        page.putInt(at, source).putLong(at + 4, offset).putLong(at + 12, length);
        pages.get(slot * SLOT / PAGE).dirty = true;
    }

    void putInline(long slot, byte[] data) throws IOException {
        long at = blobEnd;
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            blobEnd += blobs.write(buf, blobEnd);
        }
        put(slot, INLINE, at, data.length);
    }

    Slot get(long slot) throws IOException {
        ByteBuffer page = page(slot);
        int at = (int) (slot * SLOT % PAGE);
        return new Slot(page.getInt(at), page.getLong(at + 4), page.getLong(at + 12));
    }

    byte[] inline(Slot slot) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(slot.length()));
        while (buf.hasRemaining()) {
            if (blobs.read(buf, slot.offset() + buf.position()) < 0) {
                throw new IOException("inline chunk store " + blobFile + " ends early");
            }
        }
        return buf.array();
    }

    private ByteBuffer page(long slot) throws IOException {
        long number = slot * SLOT / PAGE;
        Page page = pages.get(number);
        if (page == null) {
            page = new Page();
            ByteBuffer buf = page.data.duplicate();
            long at = number * PAGE;
            while (buf.hasRemaining() && at + buf.position() < slots.size()) {
                if (slots.read(buf, at + buf.position()) < 0) {
                    break;
                }
            }
            pages.put(number, page);
        }
        return page.data;
    }

    private void writeBack(long number, Page page) {
        if (!page.dirty) {
            return;
        }
        try {
            ByteBuffer buf = page.data.duplicate().clear();
            while (buf.hasRemaining()) {
                slots.write(buf, number * PAGE + buf.position());
            }
            page.dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("writing combine table " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        pages.clear();
        try (slots; blobs) {
            // the files are deleted below; nothing to write back
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(blobFile);
        }
    }
}
