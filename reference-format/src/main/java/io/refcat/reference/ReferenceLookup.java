package io.refcat.reference;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.UnaryOperator;

/**
 * What serving a reference set needs of it: one key at a time, its metadata keys, what is known of
 * its sources. A {@link ReferenceSet} answers from memory; Parquet references
 * ({@code ParquetReferences.open}) read the record holding a key when it is asked for, so a
 * served set need not fit in memory.
 */
public interface ReferenceLookup {

    Optional<Reference> get(String key);

    /** The {@code .zgroup}, {@code .zattrs} and {@code .zarray} keys. */
    SortedMap<String, Reference> metadata();

    /** The HDF5 filter mask of a chunk key; 0 where every codec was applied. */
    int filterMask(String key);

    /** Whether some chunk of the array at {@code arrayPath} was stored with filters skipped. */
    boolean hasFilterMasks(String arrayPath);

    SortedMap<String, ReferenceSet.SourceInfo> sources();

    default Optional<ReferenceSet.SourceInfo> source(String url) {
        return Optional.ofNullable(sources().get(url));
    }

    /** The whole set as kerchunk JSON (version 1). */
    default void writeJson(OutputStream out) throws IOException {
        writeJson(out, UnaryOperator.identity());
    }

    /** The whole set as kerchunk JSON (version 1), each source URL written as {@code urls} maps it. */
    void writeJson(OutputStream out, UnaryOperator<String> urls) throws IOException;

    static boolean isMetadataKey(String key) {
        return key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup");
    }
}
