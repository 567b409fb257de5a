package io.refcat.indexer.hdf5;

import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkOffset;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

/**
 * The one place refcat reaches into jhdf: its per-chunk index (address, stored size, filter
 * mask, for every chunk index type jhdf reads: v1 and v2 B-trees, single chunk, implicit, fixed
 * and extensible arrays) is kept behind the protected {@code ChunkedDatasetBase#getChunkLookup()}.
 * Offsets jhdf reports are relative to the user block; callers add its size.
 */
final class ChunkLookup {
    private static final Method GET_CHUNK_LOOKUP;

    static {
        try {
            GET_CHUNK_LOOKUP = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            GET_CHUNK_LOOKUP.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("jhdf no longer has ChunkedDatasetBase#getChunkLookup: " + e);
        }
    }

    private ChunkLookup() {
    }

    @SuppressWarnings("unchecked")
    static Collection<Chunk> chunks(ChunkedDatasetBase dataset) {
        try {
            return ((Map<ChunkOffset, Chunk>) GET_CHUNK_LOOKUP.invoke(dataset)).values();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read jhdf's chunk index", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
