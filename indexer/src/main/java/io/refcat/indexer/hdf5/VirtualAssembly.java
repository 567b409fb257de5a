package io.refcat.indexer.hdf5;

import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A virtual dataset as one Zarr array whose chunks are its sources' chunks, moved to where the
 * mappings put them. That is exact only when the mappings tile the virtual dataset on one chunk
 * grid, so refcat follows a virtual dataset when:
 * <ul>
 * <li>each mapping takes a whole source dataset (selection "all", or a box equal to its extent)
 * to one box of the virtual dataset of the same shape, leaving out dimensions of length 1
 * ({@code layout[i] = source} stacks sources along a new first dimension);</li>
 * <li>all sources have the same dtype as the virtual dataset, the same codecs and the same chunk
 * shape (a contiguous source is one chunk, or several split along its first dimension);</li>
 * <li>every box starts on that chunk grid and ends on it or at the end of the virtual dataset,
 * and no two boxes overlap;</li>
 * <li>a source with unwritten chunks has the virtual dataset's fill value.</li>
 * </ul>
 * Regions no mapping covers have no chunk: readers see the virtual dataset's fill value, as
 * libhdf5 gives. Anything else (strided or point selections, unlimited mappings, type
 * conversion, sources that cannot be opened) is reported as unsupported with the reason:
 * libhdf5 would read those through its own machinery, a chunk reference cannot.
 */
final class VirtualAssembly {
    private VirtualAssembly() {
    }

    /** One mapping with its source dataset already described as an array. */
    record Source(VirtualMapping mapping, VirtualArray array) {
    }

    static VirtualArray assemble(VirtualArray blank, List<Source> sources) throws UnsupportedVariableException {
        ZarrArrayMetadata meta = blank.metadata();
        long[] extent = meta.shape().stream().mapToLong(Long::longValue).toArray();
        if (extent.length == 0) {
            throw new UnsupportedVariableException("a scalar virtual dataset is not followed");
        }
        List<Integer> chunks = null;
        ZarrArrayMetadata codecs = null;
        TreeMap<String, Reference> refs = new TreeMap<>();
        TreeMap<String, Integer> masks = new TreeMap<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            String which = "mapping " + i + " (" + s.mapping().sourceFile() + ":" + s.mapping().sourceDataset() + ")";
            ZarrArrayMetadata src = s.array().metadata();
            long[] srcExtent = src.shape().stream().mapToLong(Long::longValue).toArray();
            long[][] srcBox = s.mapping().source().box(srcExtent);
            if (!s.mapping().source().isBox() || !Arrays.equals(srcBox[0], new long[srcExtent.length])
                    || !Arrays.equals(srcBox[1], srcExtent)) {
                throw new UnsupportedVariableException(which + " selects part of its source; only whole sources "
                        + "are followed");
            }
            VirtualMapping.Selection virtual = s.mapping().virtual();
            if (!virtual.isBox()) {
                throw new UnsupportedVariableException(which + " maps to " + virtual.why() + "; only boxes are followed");
            }
            long[][] box = virtual.box(extent);
            int[] axis = axes(box[1], srcExtent, which);
            if (!src.dtype().equals(meta.dtype())) {
                throw new UnsupportedVariableException(which + " has dtype " + src.dtype().toJson() + ", the virtual dataset "
                        + meta.dtype().toJson() + "; libhdf5 converts, references cannot");
            }
            List<Integer> lifted = new ArrayList<>();
            for (int d = 0; d < extent.length; d++) {
                lifted.add(axis[d] < 0 ? 1 : src.chunks().get(axis[d]));
            }
            if (chunks == null) {
                chunks = lifted;
                codecs = src;
            } else if (!chunks.equals(lifted) || !Objects.equals(codecs.compressor(), src.compressor())
                    || !Objects.equals(codecs.filters(), src.filters())) {
                throw new UnsupportedVariableException(which + " has chunks " + lifted + " and codecs unlike those of "
                        + "mapping 0 (" + chunks + "); one Zarr array needs one chunk grid and one codec pipeline");
            }
            long[] first = new long[extent.length];
            for (int d = 0; d < extent.length; d++) {
                int c = lifted.get(d);
                if (box[0][d] % c != 0 || (box[1][d] % c != 0 && box[0][d] + box[1][d] != extent[d])) {
                    throw new UnsupportedVariableException(which + " covers [" + box[0][d] + ", " + (box[0][d] + box[1][d])
                            + ") of dimension " + d + ", off the chunk grid of " + c);
                }
                first[d] = box[0][d] / c;
            }
            if (s.array().chunks().size() < chunkCount(srcExtent, src.chunks())
                    && !Objects.equals(src.fillValue(), meta.fillValue())) {
                throw new UnsupportedVariableException(which + " has unwritten chunks and fill value " + src.fillValue()
                        + ", the virtual dataset " + meta.fillValue());
            }
            for (Map.Entry<String, Reference> e : s.array().chunks().entrySet()) {
                long[] index = index(e.getKey(), src.dimensionSeparator(), srcExtent.length);
                long[] at = first.clone();
                for (int d = 0; d < extent.length; d++) {
                    if (axis[d] >= 0) {
                        at[d] += index[axis[d]];
                    }
                }
                String key = meta.chunkKey(at);
                if (refs.put(key, e.getValue()) != null) {
                    throw new UnsupportedVariableException(which + " overlaps another mapping at chunk " + key);
                }
                Integer mask = s.array().filterMasks().get(e.getKey());
                if (mask != null) {
                    masks.put(key, mask);
                }
            }
        }
        ZarrArrayMetadata out = chunks == null ? meta
                : new ZarrArrayMetadata(meta.shape(), chunks, meta.dtype(), codecs.compressor(), codecs.filters(),
                        meta.fillValue(), 'C', ".");
        return new VirtualArray(blank.path(), out, blank.attributes(), blank.dimensions(), refs, masks);
    }

    /**
     * For each virtual dimension, the source dimension it holds, or -1 for a dimension of length 1
     * the source does not have: the non-unit dimensions must match in order.
     */
    private static int[] axes(long[] box, long[] source, String which) throws UnsupportedVariableException {
        int[] axis = new int[box.length];
        int s = 0;
        for (int d = 0; d < box.length; d++) {
            while (s < source.length && source[s] == 1 && box[d] != 1) {
                s++;
            }
            if (s < source.length && source[s] == box[d]) {
                axis[d] = s++;
            } else if (box[d] == 1) {
                axis[d] = -1;
            } else {
                throw new UnsupportedVariableException(which + " maps a source of shape " + Arrays.toString(source)
                        + " to a box of shape " + Arrays.toString(box) + "; reshaping is not followed");
            }
        }
        while (s < source.length && source[s] == 1) {
            s++;
        }
        if (s != source.length) {
            throw new UnsupportedVariableException(which + " maps a source of shape " + Arrays.toString(source)
                    + " to a box of shape " + Arrays.toString(box) + "; reshaping is not followed");
        }
        return axis;
    }

    private static long chunkCount(long[] extent, List<Integer> chunks) {
        long n = 1;
        for (int d = 0; d < extent.length; d++) {
            n *= (extent[d] + chunks.get(d) - 1) / chunks.get(d);
        }
        return n;
    }

    private static long[] index(String key, String separator, int rank) {
        long[] index = new long[rank];
        if (rank > 0) {
            String[] parts = key.split(java.util.regex.Pattern.quote(separator));
            for (int d = 0; d < rank; d++) {
                index[d] = Long.parseLong(parts[d]);
            }
        }
        return index;
    }
}
