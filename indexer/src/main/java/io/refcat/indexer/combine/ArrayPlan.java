package io.refcat.indexer.combine;

import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * How one output variable is made from the inputs' chunks.
 *
 * <p>Decision (unequal lengths): a chunk of the output is always exactly one stored chunk of one
 * source (or a byte slice of one), never assembled from several, so the references stay plain
 * kerchunk references that fsspec reads too. Along a concatenation dimension the output keeps the
 * sources' chunk length where every file starts on a chunk boundary and only the last file ends
 * inside a chunk; otherwise uncompressed chunks are cut into slabs one step long (byte ranges of
 * the same chunk), which fits any lengths. Compressed chunks that do not line up cannot be cut: the
 * variable is left out and reported (kerchunk fails the whole run there with "chunk size mismatch").
 * A partial chunk is never placed anywhere but at the end, so no data shift.
 */
final class ArrayPlan {
    enum Kind { CONCAT, FIRST }

    final ArraySpec spec;
    final Kind kind;
    final List<String> dims;
    /** Per output axis: the concatenation dimension's index, or -1. */
    final int[] concatOf;
    /** Per output axis: the source axis, or -1 for a dimension the files lack. */
    final int[] sourceAxis;
    final int splitAxis;
    final ZarrArrayMetadata target;
    long base;

    private ArrayPlan(ArraySpec spec, Kind kind, List<String> dims, int[] concatOf, int[] sourceAxis, int splitAxis,
                      ZarrArrayMetadata target) {
        this.spec = spec;
        this.kind = kind;
        this.dims = List.copyOf(dims);
        this.concatOf = concatOf;
        this.sourceAxis = sourceAxis;
        this.splitAxis = splitAxis;
        this.target = target;
    }

    /** The plan of a variable, or a reason it cannot be combined ({@link Unplannable}). */
    static ArrayPlan of(ArraySpec spec, Survey survey, Layout layout, List<InputSummary> files, CombineOptions options)
            throws Unplannable {
        List<String> concat = options.concatDims();
        boolean keep = options.identical().contains(spec.path) || options.identical().contains(spec.name())
                || (spec.meta.rank() == 1 && spec.dims.get(0).equals(spec.name())) || !spec.varies;
        List<String> dims = new ArrayList<>();
        List<Integer> concatOf = new ArrayList<>();
        List<Integer> sourceAxis = new ArrayList<>();
        for (int d = 0; d < concat.size(); d++) {
            if (survey.axes[d].lacking && !keep) {
                dims.add(concat.get(d));
                concatOf.add(d);
                sourceAxis.add(-1);
            }
        }
        for (int a = 0; a < spec.dims.size(); a++) {
            dims.add(spec.dims.get(a));
            concatOf.add(concat.indexOf(spec.dims.get(a)));
            sourceAxis.add(a);
        }
        boolean concatenated = concatOf.stream().anyMatch(d -> d >= 0);
        if (concatenated && options.identical().contains(spec.name())) {
            throw new Unplannable("is listed as identical but lies along a concatenation dimension");
        }
        List<Long> shape = new ArrayList<>();
        List<Integer> chunks = new ArrayList<>();
        int split = -1;
        for (int a = 0; a < dims.size(); a++) {
            int d = concatOf.get(a);
            int src = sourceAxis.get(a);
            if (d < 0) {
                shape.add(spec.meta.shape().get(src));
                chunks.add(spec.meta.chunks().get(src));
                continue;
            }
            shape.add((long) layout.axis[d].length);
            if (src < 0) {
                chunks.add(1);
                continue;
            }
            int chunk = alignedChunk(spec, d, files, layout.axis[d].length);
            if (chunk > 0) {
                chunks.add(chunk);
            } else if (split < 0 && cuttable(spec, src)) {
                split = a;
                chunks.add(1);
            } else {
                throw new Unplannable(misalignment(spec, d, concat.get(d), files));
            }
        }
        ZarrArrayMetadata m = spec.meta;
        ZarrArrayMetadata target = new ZarrArrayMetadata(shape, chunks, m.dtype(), m.compressor(), m.filters(),
                m.fillValue(), m.order(), m.dimensionSeparator());
        return new ArrayPlan(spec, concatenated ? Kind.CONCAT : Kind.FIRST, dims,
                concatOf.stream().mapToInt(Integer::intValue).toArray(),
                sourceAxis.stream().mapToInt(Integer::intValue).toArray(), split, target);
    }

    /** A variable left out, with the reason. */
    static final class Unplannable extends Exception {
        Unplannable(String message) {
            super(message);
        }
    }

    /** The common chunk length along dimension {@code d} if every file starts on a boundary of it; else 0. */
    private static int alignedChunk(ArraySpec spec, int d, List<InputSummary> files, long total) {
        int chunk = 0;
        for (InputSummary f : files) {
            int c = f.chunkAlong(spec.id, d);
            if (c < 0) {
                continue;
            }
            if (chunk != 0 && c != chunk) {
                return 0;
            }
            chunk = c;
        }
        if (chunk == 0) {
            return 0;
        }
        for (InputSummary f : files) {
            if (f.has(spec.id) && (f.start[d] % chunk != 0 || (f.length[d] % chunk != 0 && f.end(d) != total))) {
                return 0;
            }
        }
        return chunk;
    }

    /** Whether uncompressed C-order chunks can be cut into contiguous one-step slabs along source axis {@code src}. */
    private static boolean cuttable(ArraySpec spec, int src) {
        ZarrArrayMetadata m = spec.meta;
        if (m.compressor() != null || !m.filters().isEmpty() || m.order() != 'C' || m.dtype().kind() == 'O') {
            return false;
        }
        for (int a = 0; a < src; a++) {
            if (m.chunks().get(a) != 1) {
                return false;
            }
        }
        return true;
    }

    private static String misalignment(ArraySpec spec, int d, String dim, List<InputSummary> files) {
        for (InputSummary f : files) {
            int c = f.chunkAlong(spec.id, d);
            if (c > 0 && f.start[d] % c != 0) {
                return "cannot be combined along '" + dim + "': " + f.name + " starts at step " + f.start[d]
                        + ", inside a chunk of " + c + " steps, and its compressed chunks cannot be cut";
            }
        }
        return "cannot be combined along '" + dim + "': files are chunked differently along it or end inside a "
                + "chunk, and their compressed chunks cannot be cut";
    }

    /** Bytes of one source slab one step long along the split axis. */
    long slabBytes() {
        long n = spec.meta.dtype().itemSize();
        for (int a = sourceAxis[splitAxis] + 1; a < spec.meta.rank(); a++) {
            n *= spec.meta.chunks().get(a);
        }
        return n;
    }
}
