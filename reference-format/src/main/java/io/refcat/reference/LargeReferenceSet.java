package io.refcat.reference;

import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;

/**
 * A reference set too large to hold in memory: the metadata keys in memory, each array's chunk
 * references read back one array at a time in chunk order (C order over the chunk grid, the
 * order of kerchunk's Parquet records). Writers stream from it with bounded memory.
 */
public interface LargeReferenceSet {

    /** The {@code .zgroup}, {@code .zattrs} and {@code .zarray} keys. */
    SortedMap<String, Reference> metadata();

    /** Every array by path, with the metadata that fixes its chunk grid. */
    Map<String, ZarrArrayMetadata> arrays();

    /** Visits the stored chunks of one array in increasing linear chunk index; absent chunks are skipped. */
    void chunks(String arrayPath, ChunkVisitor visitor) throws IOException;

    SortedMap<String, ReferenceSet.SourceInfo> sources();

    SortedMap<String, String> unsupported();

    @FunctionalInterface
    interface ChunkVisitor {
        void accept(long linearIndex, Reference ref) throws IOException;
    }

    /** The chunk indices of a linear (C-order) index over a chunk grid. */
    static long[] unravel(long linear, long[] grid) {
        long[] index = new long[grid.length];
        for (int d = grid.length - 1; d >= 0; d--) {
            index[d] = linear % grid[d];
            linear /= grid[d];
        }
        return index;
    }

    /** The linear (C-order) index of chunk indices over a chunk grid. */
    static long ravel(long[] index, long[] grid) {
        long linear = 0;
        for (int d = 0; d < grid.length; d++) {
            linear = linear * grid[d] + index[d];
        }
        return linear;
    }

    /** The number of chunks of a grid; 1 for a scalar. */
    static long chunkCount(long[] grid) {
        long n = 1;
        for (long g : grid) {
            n *= g;
        }
        return n;
    }
}
