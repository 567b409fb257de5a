package io.refcat.store.codec;

import io.refcat.reference.zarr.Codec;
import io.refcat.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a stored chunk through its Zarr v2 codec chain, for views that serve chunks decoded
 * because their clients lack the codec (the v3 view has no zlib or shuffle in its core).
 * Output is capped at the chunk's decoded size, so a hostile stream cannot inflate without bound.
 */
public final class ChunkDecoder {
    private ChunkDecoder() {
    }

    /** Codecs this decoder can undo. */
    public static boolean canDecode(Codec c) {
        return c.id().equals("zlib") || c.id().equals("shuffle");
    }

    /**
     * @param chain       filters then compressor, in encoding order (decoded in reverse)
     * @param decodedSize the chunk's size once decoded (its element count times item size)
     */
    public static byte[] decode(byte[] stored, List<Codec> chain, int decodedSize, String where) {
        byte[] data = stored;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Codec c = chain.get(i);
            data = switch (c.id()) {
                case "zlib" -> inflate(data, decodedSize, where);
                case "shuffle" -> unshuffle(data, ((Number) c.config().getOrDefault("elementsize", 1)).intValue());
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
