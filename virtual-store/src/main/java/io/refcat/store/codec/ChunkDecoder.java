package io.refcat.store.codec;

import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.FilterManager;
import io.jhdf.object.message.FilterPipelineMessage;
import io.refcat.reference.zarr.Codec;
import io.refcat.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a stored chunk through its Zarr v2 codec chain, for views that serve chunks decoded
 * because their clients lack the codec (v3 has no zlib or shuffle in its core; no v2 client
 * reads HDF5's lzf, lz4 or bitshuffle framing, and numcodecs before 0.12 has no fletcher32).
 * Output is capped at the chunk's decoded size, so a hostile stream cannot inflate without bound.
 */
public final class ChunkDecoder {
    private ChunkDecoder() {
    }

    /** An inner stage may hold a little more than the chunk: fletcher32 appends its checksum. */
    private static final int STAGE_SLACK = 4096;

    /** Codecs this decoder can undo. */
    public static boolean canDecode(Codec c) {
        return List.of("zlib", "shuffle", "fletcher32", HDF5_FILTER).contains(c.id()) || isGrib(c);
    }

    /** A whole GRIB message ({@link GribDecoder}), under kerchunk's codec id or refcat's own. */
    public static boolean isGrib(Codec c) {
        return c.id().equals(Codec.GRIB) || c.id().equals(Codec.REFCAT_GRIB);
    }

    /** An HDF5 filter with no numcodecs equivalent, decoded with jhdf's implementation. */
    public static final String HDF5_FILTER = "hdf5_filter";

    /**
     * @param chain       filters then compressor, in encoding order (decoded in reverse)
     * @param decodedSize the chunk's size once decoded (its element count times item size)
     */
    public static byte[] decode(byte[] stored, List<Codec> chain, int decodedSize, String where) {
        return decode(stored, chain, 0, decodedSize, where);
    }

    /** @param skipped bit i set: the i-th codec was not applied to this chunk (an HDF5 filter mask) */
    public static byte[] decode(byte[] stored, List<Codec> chain, int skipped, int decodedSize, String where) {
        byte[] data = stored;
        for (int i = chain.size() - 1; i >= 0; i--) {
            if ((skipped & (1 << i)) != 0) {
                continue;
            }
            Codec c = chain.get(i);
            data = switch (c.id()) {
                case "zlib" -> inflate(data, decodedSize + STAGE_SLACK, where);
                case "shuffle" -> unshuffle(data, ((Number) c.config().getOrDefault("elementsize", 1)).intValue());
                case "fletcher32" -> Fletcher32.verifyAndStrip(data, where);
                case Codec.GRIB, Codec.REFCAT_GRIB -> GribDecoder.decode(data, ((Number) c.config().getOrDefault("field", 0)).intValue(),
                        decodedSize / Float.BYTES, where);
                case HDF5_FILTER -> hdf5(((Number) c.config().get("filter_id")).intValue(),
                        String.valueOf(c.config().get("name")), intArray(c.config().get("data")), data, where);
                default -> throw StoreException.unsupported("codec '" + c.id() + "' of " + where
                        + " cannot be decoded by the store");
            };
        }
        if (data.length != decodedSize) {
            throw new StoreException(502, "chunk does not decode to its size", where + " decodes to "
                    + data.length + " bytes, expected " + decodedSize);
        }
        return data;
    }

    /** Decodes with jhdf's filter of that id. */
    private static byte[] hdf5(int id, String name, int[] filterData, byte[] data, String where) {
        try {
            return FilterManager.getPipeline(List.of(new FilterPipelineMessage.FilterInfo(id, name, false, filterData)))
                    .decode(data);
        } catch (HdfException e) {
            throw new StoreException(502, "chunk does not decode", where + ": HDF5 filter " + name + ": "
                    + e.getMessage());
        }
    }

    private static int[] intArray(Object list) {
        if (!(list instanceof List<?> values)) {
            return new int[0];
        }
        return values.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    static byte[] inflate(byte[] data, int limit, String where) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(limit);
            byte[] buf = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new StoreException(502, "corrupt chunk", where + ": zlib stream ends early");
                }
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw new StoreException(502, "corrupt chunk", where + ": zlib stream inflates past "
                            + limit + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new StoreException(502, "corrupt chunk", where + ": " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** numcodecs/HDF5 shuffle: byte k of every element stored together; the tail is left as is. */
    static byte[] unshuffle(byte[] data, int elementSize) {
        if (elementSize <= 1) {
            return data;
        }
        int count = data.length / elementSize;
        byte[] out = data.clone();
        for (int b = 0; b < elementSize; b++) {
            for (int e = 0; e < count; e++) {
                out[e * elementSize + b] = data[b * count + e];
            }
        }
        return out;
    }
}
