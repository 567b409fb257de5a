package io.refcat.indexer;

/**
 * How scanners shape the chunks they reference.
 *
 * @param targetChunkBytes contiguous data larger than this is split into several chunks along
 *                         its first dimension (never below one row), so that clients do not
 *                         fetch a whole multi-GB variable to read a slice
 * @param strict           a bad part of a file (a corrupt GRIB message) fails the whole file
 *                         instead of being reported while the rest is indexed
 * @param sidecars         where a GRIB file's index sidecar is found ({@link Sidecars#NONE}: never looked for)
 */
public record ScanOptions(long targetChunkBytes, boolean strict, Sidecars sidecars) {
    /** Finds the index sidecar of a file (a wgrib2 {@code .idx}, an ECMWF {@code .index}): its text, if there is one. */
    @FunctionalInterface
    public interface Sidecars {
        Sidecars NONE = url -> java.util.Optional.empty();

        java.util.Optional<byte[]> find(String url) throws java.io.IOException;
    }

    public static final long DEFAULT_TARGET_CHUNK_BYTES = 16L << 20;

    public ScanOptions {
        if (targetChunkBytes <= 0) {
            throw new IllegalArgumentException("target chunk size must be positive, got " + targetChunkBytes);
        }
    }

    public ScanOptions(long targetChunkBytes) {
        this(targetChunkBytes, false);
    }

    public ScanOptions(long targetChunkBytes, boolean strict) {
        this(targetChunkBytes, strict, Sidecars.NONE);
    }

    public ScanOptions withSidecars(Sidecars sidecars) {
        return new ScanOptions(targetChunkBytes, strict, sidecars);
    }

    public static ScanOptions defaults() {
        return new ScanOptions(DEFAULT_TARGET_CHUNK_BYTES);
    }

    public ScanOptions withStrict(boolean strict) {
        return new ScanOptions(targetChunkBytes, strict, sidecars);
    }
}
