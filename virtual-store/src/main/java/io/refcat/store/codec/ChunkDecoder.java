package io.refcat.store.codec;

import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.FilterManager;
import io.jhdf.object.message.FilterPipelineMessage;
import io.refcat.reference.zarr.Codec;
import io.refcat.store.StoreException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a stored chunk through its Zarr v2 codec chain, for views that serve chunks decoded
 * because their clients lack the codec (v3 has no zlib or shuffle in its core; no v2 client
 * reads HDF5's lzf, lz4 or bitshuffle framing, and numcodecs before 0.12 has no fletcher32).
 * Output is capped at the chunk's decoded size, so a hostile stream cannot inflate without bound,
 * and framings that declare a size are checked before anything is allocated ({@link Hdf5Framing}).
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
        try {
            return decodeChain(stored, chain, skipped, decodedSize, where);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // a decoder tripping over a corrupt stream (an underflow, an overflow, a bad index):
            // the chunk is corrupt, not the server; the library's words are only the detail
            throw new StoreException(502, "corrupt chunk", where + " does not decode: the stored stream is corrupt ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static byte[] decodeChain(byte[] stored, List<Codec> chain, int skipped, int decodedSize, String where) {
        byte[] data = stored;
        for (int i = chain.size() - 1; i >= 0; i--) {
            if ((skipped & (1 << i)) != 0) {
                continue;
            }
            Codec c = chain.get(i);
            if (c.id().equals("zlib") && lastStageIsShuffle(chain, skipped, i)) {
                // inflated straight into place: one decoded array, not two
                return checkedSize(inflateUnshuffled(data, decodedSize, elementSize(chain.get(i - 1)), where),
                        decodedSize, where);
            }
            data = switch (c.id()) {
                case "zlib" -> inflate(data, decodedSize, where);
                case "shuffle" -> unshuffle(data, elementSize(c));
                case "fletcher32" -> Fletcher32.verifyAndStrip(data, where);
                case Codec.GRIB, Codec.REFCAT_GRIB -> GribDecoder.decode(data, ((Number) c.config().getOrDefault("field", 0)).intValue(),
                        decodedSize / Float.BYTES, where);
                case HDF5_FILTER -> hdf5(c, data, decodedSize + STAGE_SLACK, where);
                default -> throw StoreException.unsupported("codec '" + c.id() + "' of " + where
                        + " cannot be decoded by the store");
            };
        }
        return checkedSize(data, decodedSize, where);
    }

    /**
     * The most heap decoding one chunk holds at once: the stored bytes and, while a stage runs, its
     * input and output (a fused inflate-and-unshuffle has one output). Budgets reserve this.
     */
    public static long workingBytes(long storedLength, List<Codec> chain, int skipped, int decodedSize) {
        int stages = 0;
        for (int i = chain.size() - 1; i >= 0; i--) {
            if ((skipped & (1 << i)) == 0) {
                stages++;
                if (chain.get(i).id().equals("zlib") && lastStageIsShuffle(chain, skipped, i)) {
                    break; // the shuffle is done in the same pass
                }
            }
        }
        return storedLength + (long) Math.min(stages, 2) * (decodedSize + STAGE_SLACK);
    }

    /** Whether stage {@code i - 1} is a shuffle and the last one applied in decoding. */
    private static boolean lastStageIsShuffle(List<Codec> chain, int skipped, int i) {
        if (i == 0 || (skipped & (1 << (i - 1))) != 0 || !chain.get(i - 1).id().equals("shuffle")) {
            return false;
        }
        for (int j = i - 2; j >= 0; j--) {
            if ((skipped & (1 << j)) == 0) {
                return false;
            }
        }
        return true;
    }

    private static int elementSize(Codec shuffle) {
        return ((Number) shuffle.config().getOrDefault("elementsize", 1)).intValue();
    }

    private static byte[] checkedSize(byte[] data, int decodedSize, String where) {
        if (data.length != decodedSize) {
            throw new StoreException(502, "chunk does not decode to its size", where + " decodes to "
                    + data.length + " bytes, expected " + decodedSize);
        }
        return data;
    }

    /** Decodes with jhdf's filter of that id, once its framing promises no more than {@code limit} bytes. */
    private static byte[] hdf5(Codec c, byte[] data, int limit, String where) {
        int id = ((Number) c.config().get("filter_id")).intValue();
        String name = String.valueOf(c.config().get("name"));
        int[] filterData = intArray(c.config().get("data"));
        if (id == Szip.ID) {
            try {
                return Szip.decode(data, filterData, limit);
            } catch (IOException e) {
                throw new StoreException(502, "corrupt chunk", where + " does not decode with HDF5 filter szip ("
                        + e.getMessage() + ")", e);
            }
        }
        Hdf5Framing.check(id, name, filterData, data, limit, where);
        try {
            return FilterManager.getPipeline(List.of(new FilterPipelineMessage.FilterInfo(id, name, false, filterData)))
                    .decode(data);
        } catch (HdfException e) {
            throw new StoreException(502, "corrupt chunk", where + " does not decode with HDF5 filter " + name
                    + " (" + e.getMessage() + ")", e);
        }
    }

    private static int[] intArray(Object list) {
        if (!(list instanceof List<?> values)) {
            return new int[0];
        }
        return values.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    /**
     * Inflates into an array of the expected size, allocated once; a stream that inflates past it
     * by more than {@link #STAGE_SLACK} (a fletcher32 checksum inside) is corrupt or hostile.
     */
    static byte[] inflate(byte[] data, int expected, String where) {
        byte[] out = new byte[expected];
        byte[] tail = new byte[STAGE_SLACK];
        int n = inflate(data, expected + STAGE_SLACK, (buf, at, len) -> {
            int head = Math.max(0, Math.min(len, expected - at));
            System.arraycopy(buf, 0, out, at, head);
            if (len > head) {
                System.arraycopy(buf, head, tail, at + head - expected, len - head);
            }
        }, where);
        if (n <= expected) {
            return n == expected ? out : Arrays.copyOf(out, n);
        }
        byte[] longer = Arrays.copyOf(out, n);
        System.arraycopy(tail, 0, longer, expected, n - expected);
        return longer;
    }

    /** Inflates and unshuffles on the way: byte {@code p} of the stream lands where unshuffling puts it. */
    static byte[] inflateUnshuffled(byte[] data, int expected, int elementSize, String where) {
        if (elementSize <= 1) {
            return inflate(data, expected, where);
        }
        byte[] out = new byte[expected];
        int count = expected / elementSize;
        int shuffled = count * elementSize;
        int n = inflate(data, expected, (buf, at, len) -> {
            for (int k = 0; k < len; k++) {
                int p = at + k;
                out[p < shuffled ? (p % count) * elementSize + p / count : p] = buf[k];
            }
        }, where);
        return n == expected ? out : Arrays.copyOf(out, n);
    }

    /** Where inflated bytes go: {@code len} bytes of {@code buf} that start at stream offset {@code at}. */
    private interface Sink {
        void accept(byte[] buf, int at, int len);
    }

    /** Inflates through a fixed buffer into {@code sink}; returns the length, at most {@code limit}. */
    private static int inflate(byte[] data, int limit, Sink sink, String where) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] buf = new byte[64 * 1024];
            int total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new StoreException(502, "corrupt chunk", where + ": zlib stream ends early");
                }
                if (n > limit - total) {
                    throw new StoreException(502, "corrupt chunk", where + ": zlib stream inflates past "
                            + limit + " bytes, more than the chunk holds");
                }
                sink.accept(buf, total, n);
                total += n;
            }
            return total;
        } catch (DataFormatException e) {
            throw new StoreException(502, "corrupt chunk", where + ": not a zlib stream (" + e.getMessage() + ")");
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
