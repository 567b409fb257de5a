package io.refcat.indexer;

/**
 * How scanners shape the chunks they reference.
 *
 * @param targetChunkBytes contiguous data larger than this is split into several chunks along
 *                         its first dimension (never below one row), so that clients do not
 *                         fetch a whole multi-GB variable to read a slice
 */
public record ScanOptions(long targetChunkBytes) {
    public static final long DEFAULT_TARGET_CHUNK_BYTES = 16L << 20;

    public ScanOptions {
        if (targetChunkBytes <= 0) {
            throw new IllegalArgumentException("target chunk size must be positive, got " + targetChunkBytes);
        }
    }

    public static ScanOptions defaults() {
        return new ScanOptions(DEFAULT_TARGET_CHUNK_BYTES);
    }
}
