package io.refcat.indexer;

import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.util.Arrays;

/**
 * A whole numeric array of a reference set as doubles in C order, chunk by chunk: for coordinate
 * values (time, latitude, longitude), which are small. Missing chunks and fill values read as NaN.
 */
public final class ArrayValues {
    private ArrayValues() {
    }

    /** @throws IllegalArgumentException for a non-numeric array or one of more than {@code maxElements} */
    public static double[] read(ReferenceSet set, String path, ZarrArrayMetadata meta, ChunkValues chunks,
                                long maxElements) throws IOException {
        if (!NumericValues.numeric(meta.dtype())) {
            throw new IllegalArgumentException("'" + path + "' is not numeric (" + meta.dtype() + ")");
        }
        long count = 1;
        for (long n : meta.shape()) {
            count *= n;
        }
        if (count > maxElements) {
            throw new IllegalArgumentException("'" + path + "' has " + count + " elements, more than " + maxElements);
        }
        double[] out = new double[(int) count];
        Arrays.fill(out, Double.NaN);
        int rank = meta.rank();
        long[] grid = meta.chunkGrid();
        int chunkElements = (int) (meta.chunkBytes() / meta.dtype().itemSize());
        double fill = meta.fillValue() instanceof Number n ? n.doubleValue() : Double.NaN;
        for (long c = 0; c < LargeReferenceSet.chunkCount(grid); c++) {
            long[] index = LargeReferenceSet.unravel(c, grid);
            String key = (path.isEmpty() ? "" : path + "/") + meta.chunkKey(index);
            if (set.get(key).isEmpty()) {
                continue;
            }
            double[] v = NumericValues.read(chunks.decoded(set, key, meta), meta.dtype(), chunkElements);
            for (int e = 0; e < chunkElements; e++) {
                long target = 0;
                int rest = e;
                boolean inside = true;
                for (int d = rank - 1; d >= 0 && inside; d--) {
                    int size = meta.chunks().get(d);
                    long at = index[d] * size + rest % size;
                    rest /= size;
                    inside = at < meta.shape().get(d);
                    target += at * stride(meta, d);
                }
                if (inside) {
                    out[(int) target] = v[e] == fill ? Double.NaN : v[e];
                }
            }
        }
        return out;
    }

    private static long stride(ZarrArrayMetadata meta, int d) {
        long s = 1;
        for (int i = d + 1; i < meta.rank(); i++) {
            s *= meta.shape().get(i);
        }
        return s;
    }
}
