package io.refcat.indexer;

import io.refcat.reference.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The chunks of an array stored contiguously in C order at one offset: one chunk, or, when larger
 * than the target, equal slabs along the first dimension. Zarr v2 chunks all have the same shape
 * and a reference to a short last range would not decode, so a split uses the largest number of
 * rows that divides the first dimension and fits the target (a prime length gives single rows).
 *
 * @param chunks chunk shape (each at least 1, as Zarr requires, also for empty dimensions)
 * @param refs   chunk key ({@code "3.0.0"}, {@code "0"} for a scalar) → byte range
 */
public record ContiguousLayout(List<Integer> chunks, SortedMap<String, Reference> refs) {

    public static ContiguousLayout of(String url, long offset, List<Long> shape, int itemSize, long targetBytes) {
        long total = itemSize;
        for (long s : shape) {
            total = Math.multiplyExact(total, s);
        }
        List<Integer> chunks = new ArrayList<>();
        for (long s : shape) {
            chunks.add(Math.toIntExact(Math.max(1, s)));
        }
        TreeMap<String, Reference> refs = new TreeMap<>();
        if (total == 0) {
            return new ContiguousLayout(chunks, refs);
        }
        if (shape.isEmpty()) {
            refs.put("0", new Reference.Range(url, offset, total));
            return new ContiguousLayout(chunks, refs);
        }
        long rowBytes = total / shape.get(0);
        long rows = total > targetBytes ? rowsPerChunk(shape.get(0), rowBytes, targetBytes) : shape.get(0);
        chunks.set(0, Math.toIntExact(rows));
        String rest = ".0".repeat(shape.size() - 1);
        for (long c = 0; c < shape.get(0) / rows; c++) {
            refs.put(c + rest, new Reference.Range(url, offset + c * rows * rowBytes, rows * rowBytes));
        }
        return new ContiguousLayout(chunks, refs);
    }

    /** The largest divisor of {@code length} whose rows fit in {@code target} bytes; at least 1. */
    static long rowsPerChunk(long length, long rowBytes, long target) {
        long limit = Math.max(1, Math.min(length, target / Math.max(1, rowBytes)));
        for (long d = limit; d > 1; d--) {
            if (length % d == 0) {
                return d;
            }
        }
        return 1;
    }
}
