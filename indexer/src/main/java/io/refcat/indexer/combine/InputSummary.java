package io.refcat.indexer.combine;

/**
 * What the survey keeps of one input: small, whatever the number of its chunks. Chunk lengths
 * along the concatenation dimensions are stored per variable id and dimension in one flat array:
 * -1 where the file lacks the variable, 0 where the variable lacks the dimension.
 */
final class InputSummary {
    final int index;
    final String name;
    final long[] length;
    final double[][] values;
    private int[] chunkAlong;
    private final int dims;
    long[] start;

    InputSummary(int index, String name, int dims) {
        this.index = index;
        this.name = name;
        this.dims = dims;
        this.length = new long[dims];
        this.values = new double[dims][];
        this.chunkAlong = new int[0];
    }

    void record(int arrayId, int dim, int chunk) {
        int at = arrayId * dims + dim;
        if (at >= chunkAlong.length) {
            int old = chunkAlong.length;
            chunkAlong = java.util.Arrays.copyOf(chunkAlong, Math.max(at + 1, old * 2));
            java.util.Arrays.fill(chunkAlong, old, chunkAlong.length, -1);
        }
        chunkAlong[at] = chunk;
    }

    boolean has(int arrayId) {
        int at = arrayId * dims;
        return at < chunkAlong.length && chunkAlong[at] >= 0;
    }

    int chunkAlong(int arrayId, int dim) {
        int at = arrayId * dims + dim;
        return at < chunkAlong.length ? chunkAlong[at] : -1;
    }

    long end(int dim) {
        return start[dim] + length[dim];
    }
}
