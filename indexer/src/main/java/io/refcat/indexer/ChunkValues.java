package io.refcat.indexer;

import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;

/**
 * Reads one chunk of a reference set decoded (codecs undone, in the array's dtype and byte
 * order, the whole chunk), to learn coordinate values. Given by the caller: decoding lives beside
 * the sources, in the virtual store.
 */
@FunctionalInterface
public interface ChunkValues {
    byte[] decoded(ReferenceSet refs, String chunkKey, ZarrArrayMetadata meta) throws IOException;
}
