package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte ranges read from remote objects, kept up to a size in bytes (least recently used dropped
 * first), so that a popular chunk costs the origin one request, not one per client. Entries are
 * keyed by the object's URL and the version recorded at indexing: the bytes of one version never
 * change, so a cached range is exactly what the references describe, and an object replaced since
 * is noticed at the first read the cache does not answer. Local files are not cached (the
 * operating system's page cache does that better).
 */
public final class RangeCache {
    /** Ranges larger than this are read through (one chunk must not empty the cache). */
    private final long maxEntry;
    private final long capacity;
    private long held;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public RangeCache(long capacity) {
        this.capacity = capacity;
        this.maxEntry = Math.max(0, capacity / 8);
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** {@code source} with its ranged reads answered from the cache where they can be. */
    ByteSource around(ByteSource source) throws IOException {
        String version = source.version().orElse(null);
        if (capacity <= 0 || version == null) {
            return source; // without a version, the bytes cannot be tied to what was indexed
        }
        String prefix = source.url() + "\u0000" + version + "\u0000";
        return new DelegatingSource(source) {
            @Override
            public void read(long position, ByteBuffer dst) throws IOException {
                int length = dst.remaining();
                if (length > maxEntry) {
                    source.read(position, dst);
                    return;
                }
                String key = prefix + position + "\u0000" + length;
                byte[] bytes = get(key);
                if (bytes == null) {
                    misses.incrementAndGet();
                    bytes = source.read(position, length);
                    put(key, bytes);
                } else {
                    hits.incrementAndGet();
                }
                dst.put(bytes);
            }
        };
    }

    private synchronized byte[] get(String key) {
        return entries.get(key);
    }

    private synchronized void put(String key, byte[] bytes) {
        if (entries.put(key, bytes) == null) {
            held += bytes.length;
        }
        var it = entries.entrySet().iterator();
        while (held > capacity && it.hasNext()) {
            Map.Entry<String, byte[]> eldest = it.next();
            held -= eldest.getValue().length;
            it.remove();
        }
    }
}
