package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A remote source as scanners read it: many small reads of headers, B-tree nodes and message
 * sections, scattered through the file. Each miss fetches a block that starts where the read does
 * and is twice as large as the last one (1 MiB first, at most 32 MiB), so a file costs a handful of
 * requests whatever its layout, and a small file is read in one; blocks are kept up to a memory
 * budget, oldest dropped first.
 */
public final class ReadAheadSource extends DelegatingSource {
    static final int FIRST_BLOCK = 1 << 20;
    static final int MAX_BLOCK = 32 << 20;

    private final long budget;
    private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
    private final java.util.ArrayDeque<Long> age = new java.util.ArrayDeque<>();
    private long held;
    private int nextBlock = FIRST_BLOCK;

    public ReadAheadSource(ByteSource source, long budget) {
        super(source);
        this.budget = budget;
    }

    @Override
    public ByteSource unbuffered() {
        return source.unbuffered();
    }

    @Override
    public synchronized void read(long position, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            Map.Entry<Long, byte[]> block = blocks.floorEntry(position);
            if (block == null || position >= block.getKey() + block.getValue().length) {
                block = fetch(position, dst.remaining());
            }
            int offset = (int) (position - block.getKey());
            int n = Math.min(dst.remaining(), block.getValue().length - offset);
            dst.put(block.getValue(), offset, n);
            position += n;
        }
    }

    private Map.Entry<Long, byte[]> fetch(long position, int wanted) throws IOException {
        long size = source.size();
        if (position >= size) {
            throw new java.io.EOFException(url() + ": read at byte " + position + " past the end (" + size + " bytes)");
        }
        Long next = blocks.higherKey(position);
        long end = Math.min(size, position + Math.max(wanted, nextBlock));
        if (next != null && next < end && next >= position + wanted) {
            end = next; // what follows is held already
        }
        nextBlock = Math.min(MAX_BLOCK, nextBlock * 2);
        byte[] data = source.read(position, (int) (end - position));
        blocks.put(position, data);
        age.add(position);
        held += data.length;
        while (held > budget && age.size() > 1) {
            byte[] dropped = blocks.remove(age.poll());
            held -= dropped == null ? 0 : dropped.length;
        }
        return Map.entry(position, data);
    }

    @Override
    public void close() throws IOException {
        blocks.clear();
        super.close();
    }
}
