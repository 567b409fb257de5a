package io.refcat.indexer.hdf5;

import io.jhdf.object.message.FilterPipelineMessage.FilterInfo;
import io.refcat.reference.zarr.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HDF5 filter pipeline → Zarr v2 codecs: deflate → {@code zlib}, shuffle → {@code shuffle}
 * with the element size, fletcher32 → {@code fletcher32} (numcodecs 0.12+, as kerchunk writes it),
 * in pipeline order (a shuffle that follows another filter excepted: see below). Filters with no numcodecs equivalent that the store
 * decodes (lzf, lz4 and bitshuffle through jhdf, szip through refcat's own AEC decoder) become {@code {"id": "hdf5_filter", "filter_id", "name", "data"}}: references keep
 * the stored bytes, and the served views decode them (see the store's ChunkDecoder). A final deflate becomes the {@code compressor} and the
 * rest the {@code filters} (kerchunk puts all in {@code filters}; Zarr decodes both alike, and
 * readers such as zarr-java accept zlib only as a compressor). A filter without a standard codec
 * makes the dataset unsupported, naming the filter.
 */
final class Hdf5Filters {
    static final int DEFLATE = 1;
    static final int SHUFFLE = 2;
    static final int FLETCHER32 = 3;

    private Hdf5Filters() {
    }

    /** The Zarr form of a pipeline; {@code compressor} may be null. */
    record Chain(List<Codec> filters, Codec compressor) {
    }

    static Chain chain(List<FilterInfo> pipeline, int itemSize) {
        List<Codec> codecs = codecs(pipeline, itemSize);
        if (!codecs.isEmpty() && codecs.get(codecs.size() - 1).id().equals("zlib")) {
            return new Chain(List.copyOf(codecs.subList(0, codecs.size() - 1)), codecs.get(codecs.size() - 1));
        }
        return new Chain(codecs, null);
    }

    /** The pipeline as the filter pipeline message lists it (jhdf's own pipeline refuses filters it lacks, szip). */
    private static List<Codec> codecs(List<FilterInfo> pipeline, int itemSize) {
        List<Codec> codecs = new ArrayList<>();
        for (FilterInfo f : pipeline) {
            int[] data = f.getData();
            switch (f.getId()) {
                case DEFLATE -> codecs.add(new Codec("zlib", Map.of("level", data.length > 0 ? data[0] : 6)));
                // numcodecs' shuffle takes whole elements only; after another filter (deflate,
                // fletcher32) HDF5 shuffles any length and leaves the tail. Such a chain is written
                // with HDF5's own filter, which kerchunk clients refuse and the served views decode.
                case SHUFFLE -> codecs.add(codecs.isEmpty() ? new Codec("shuffle", Map.of("elementsize", itemSize))
                        : hdf5Filter(f.getId(), f.getName(), data));
                case FLETCHER32 -> codecs.add(Codec.of("fletcher32"));
                default -> codecs.add(hdf5Filter(f.getId(), f.getName(), data));
            }
        }
        return codecs;
    }

    private static Codec hdf5Filter(int id, String name, int[] data) {
        return new Codec("hdf5_filter", Map.of("filter_id", id, "name", name,
                "data", java.util.Arrays.stream(data).boxed().toList()));
    }
}
