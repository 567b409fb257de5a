package io.refcat.store;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import io.refcat.reference.zarr.ZarrJson;
import io.refcat.reference.zarr.ZarrV3;
import io.refcat.store.codec.ChunkDecoder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves Zarr v2 and v3 keys of a dataset to payloads. Pure: no I/O.
 *
 * <p>Decision: the v2 view serves big-endian arrays (all of NetCDF3) as little-endian, swapping
 * bytes as chunks stream out (after decoding them, where they are compressed). Several v2 readers accept only
 * little-endian dtypes (zarr-java 0.0.9 rejects {@code ">f8"}), and every numpy user gets native
 * order. The kerchunk JSON keeps the source's order (its chunks are the source bytes), and the
 * v3 view states it in the {@code bytes} codec, which all v3 readers support.
 */
public final class ZarrKeys {
    private static final String JSON = "application/json";

    private ZarrKeys() {
    }

    public static Payload v2(Dataset d, String key) {
        if (key.equals(".zmetadata")) {
            return new Payload.Bytes(ZarrJson.writeV2(consolidated(d)), JSON);
        }
        Reference ref = d.refs().get(key).orElseThrow(() -> StoreException.notFound(
                "dataset '" + d.id() + "' has no key '" + key + "'"));
        String node = ZarrHierarchy.parentOf(key);
        ZarrArrayMetadata meta = d.hierarchy().arrays().get(node);
        if (key.endsWith("/.zarray") && meta != null) {
            return new Payload.Bytes(v2View(meta, masked(d, node)).toJsonBytes(), JSON);
        }
        boolean metadata = key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup");
        if (metadata || meta == null) {
            return payload(d.refs(), ref, metadata ? JSON : "application/octet-stream", 1);
        }
        if (decodedInV2(meta, masked(d, node))) {
            Payload stored = payload(d.refs(), ref, "application/octet-stream", 1);
            Recoding recoding = padded(meta) ? new Recoding.Packed(meta.dtype(), false) : new Recoding.Swap(swapOf(meta));
            return decoded(stored, meta, d.refs().filterMask(key), d.id() + "/" + key, recoding);
        }
        return payload(d.refs(), ref, "application/octet-stream", meta.codecChain().isEmpty() ? swapOf(meta) : 1);
    }

    /** The element size whose byte order the v2 view reverses: big-endian data go out little-endian. */
    private static int swapOf(ZarrArrayMetadata m) {
        return m.dtype().bigEndian() ? m.dtype().itemSize() : 1;
    }

    /** Codecs that v2 clients (numcodecs 0.11, zarr-java) decode themselves. */
    private static final java.util.Set<String> V2_CODECS = java.util.Set.of("zlib", "gzip", "shuffle", "blosc", "zstd",
            "bz2", "lzma", "vlen-utf8", "vlen-array");

    /**
     * Decoded where the store can decode the whole chain and either a codec is one v2 clients lack
     * or the data are big-endian (so they can go out little-endian); a chain the store cannot
     * decode is passed through for clients that may have its codecs.
     */
    private static boolean decodedInV2(ZarrArrayMetadata meta, boolean masked) {
        List<Codec> chain = meta.codecChain();
        boolean decodable = chain.stream().allMatch(ChunkDecoder::canDecode);
        if (padded(meta)) {
            return decodable;
        }
        boolean clientsLack = masked || !chain.stream().allMatch(c -> V2_CODECS.contains(c.id()));
        return !chain.isEmpty() && decodable && (clientsLack || swapOf(meta) > 1);
    }

    /**
     * A structured type with padding, which the v2 view serves packed: NumPy's list form cannot
     * state offsets, so padding would read back as extra fields ({@code f1}) that the file does not
     * have. The references keep the stored layout (their chunks are the file's bytes).
     */
    private static boolean padded(ZarrArrayMetadata meta) {
        return meta.dtype().structured() && Recoding.Packed.hasPadding(meta.dtype());
    }

    /** Whether some chunks of the array were stored with filters skipped, which no client can follow. */
    private static boolean masked(Dataset d, String node) {
        return d.refs().hasFilterMasks(node);
    }

    /** The .zarray the v2 view serves: no codecs where decoded, little-endian where bytes are swapped. */
    private static ZarrArrayMetadata v2View(ZarrArrayMetadata meta, boolean masked) {
        boolean decoded = decodedInV2(meta, masked);
        if (!decoded && !meta.codecChain().isEmpty()) {
            return meta;
        }
        boolean packed = padded(meta) && decoded;
        DType dtype = swapOf(meta) > 1 ? new DType('<', meta.dtype().kind(), meta.dtype().itemSize())
                : packed ? Recoding.Packed.packed(meta.dtype()) : meta.dtype();
        Object fill = packed && meta.fillValue() instanceof String b64
                ? Base64.getEncoder().encodeToString(new Recoding.Packed(meta.dtype(), false).apply(Base64.getDecoder().decode(b64)))
                : decodedFill(meta);
        return new ZarrArrayMetadata(meta.shape(), meta.chunks(), dtype, null, List.of(), fill, meta.order(),
                meta.dimensionSeparator());
    }

    /**
     * The fill value of a decoded view: NaN for GRIB arrays (fields no message holds), as cfgrib
     * shows them, also for references written before their fill value was NaN.
     */
    private static Object decodedFill(ZarrArrayMetadata meta) {
        return meta.codecChain().stream().anyMatch(ChunkDecoder::isGrib) ? (Object) Double.NaN : meta.fillValue();
    }

    private static void requireDecodable(List<Codec> chain, String node, Dataset d) {
        for (Codec c : chain) {
            if (!ChunkDecoder.canDecode(c)) {
                throw StoreException.unsupported("array '" + node + "' of dataset '" + d.id() + "' uses codec '"
                        + c.id() + "', which has no Zarr v3 form and which the store cannot decode");
            }
        }
    }

    private static Payload decoded(Payload stored, ZarrArrayMetadata meta, int skipped, String where,
                                   Recoding recoding) {
        int size = Math.toIntExact(meta.chunkBytes());
        if (stored instanceof Payload.Bytes b) {
            return new Payload.Bytes(recoding.apply(ChunkDecoder.decode(b.data(), meta.codecChain(), skipped, size, where)),
                    b.contentType());
        }
        return new Payload.Decoded((Payload.SourceRange) stored, meta.codecChain(), skipped, size, recoding);
    }

    public static Payload v3(Dataset d, String key) {
        ZarrHierarchy h = d.hierarchy();
        if (key.equals("zarr.json") || key.endsWith("/zarr.json")) {
            String node = ZarrHierarchy.parentOf(key);
            Map<String, Object> json;
            if (h.isArray(node)) {
                try {
                    ZarrArrayMetadata meta = h.arrays().get(node);
                    boolean decoded = decodedInV3(meta, node, d);
                    ZarrArrayMetadata served = decoded ? new ZarrArrayMetadata(meta.shape(), meta.chunks(), meta.dtype(),
                            meta.compressor(), meta.filters(), decodedFill(meta), meta.order(), meta.dimensionSeparator())
                            : meta;
                    json = ZarrV3.array(served, h.arrayAttributes(node), decoded);
                } catch (ZarrV3.UnsupportedV3Exception e) {
                    throw StoreException.unsupported("array '" + node + "' of dataset '" + d.id()
                            + "' has no Zarr v3 view: " + e.getMessage());
                }
            } else if (h.isGroup(node)) {
                json = ZarrV3.group(h.groups().get(node));
            } else {
                throw StoreException.notFound("dataset '" + d.id() + "' has no node '" + node + "'");
            }
            return new Payload.Bytes(ZarrJson.writeV3(json), JSON);
        }
        for (int slash = key.indexOf("/c"); slash >= 0; slash = key.indexOf("/c", slash + 1)) {
            String node = key.substring(0, slash);
            ZarrArrayMetadata meta = h.arrays().get(node);
            if (meta == null) {
                continue;
            }
            String chunk = ZarrV3.v2ChunkKey(key.substring(slash + 1), meta).orElseThrow(() ->
                    StoreException.notFound("'" + key + "' is not a chunk key of array '" + node + "'"));
            String v2Key = node + "/" + chunk;
            Reference ref = d.refs().get(v2Key).orElseThrow(() -> StoreException.notFound(
                    "dataset '" + d.id() + "' has no chunk '" + key + "'"));
            Payload stored = payload(d.refs(), ref, "application/octet-stream", 1);
            if (!decodedInV3(meta, node, d)) {
                return stored;
            }
            Recoding recoding = ZarrV3.isFixedString(meta) ? new Recoding.Utf8Strings(meta.dtype())
                    : ZarrV3.isStructured(meta) ? new Recoding.Packed(meta.dtype(), true) : Recoding.NONE;
            return decoded(stored, meta, d.refs().filterMask(v2Key), d.id() + "/" + v2Key, recoding);
        }
        throw StoreException.notFound("dataset '" + d.id() + "' has no key '" + key + "'");
    }

    /** Whether the v3 view serves this array's chunks decoded; 501 where the store cannot decode them. */
    private static boolean decodedInV3(ZarrArrayMetadata meta, String node, Dataset d) {
        if (ZarrV3.passesThrough(meta) && !masked(d, node)) {
            return false;
        }
        requireDecodable(meta.codecChain(), node, d);
        return true;
    }

    /** Where a reference's bytes are: in memory, or a range of its source (checked against the indexed size). */
    static Payload payload(ReferenceLookup refs, Reference ref, String contentType, int swap) {
        if (ref instanceof Reference.Inline inline) {
            byte[] data = inline.data();
            ByteSwap.inPlace(data, 0, data.length, swap);
            return new Payload.Bytes(data, contentType);
        }
        if (ref instanceof Reference.Range r) {
            return new Payload.SourceRange(r.url(), r.offset(), r.length(), indexed(refs, r.url()), swap);
        }
        Reference.WholeFile w = (Reference.WholeFile) ref;
        return new Payload.SourceRange(w.url(), 0, -1, indexed(refs, w.url()), swap);
    }

    private static ReferenceSet.SourceInfo indexed(ReferenceLookup refs, String url) {
        return refs.source(url).orElse(ReferenceSet.SourceInfo.UNKNOWN);
    }

    /**
     * The consolidated metadata document zarr-python's {@code open_consolidated} reads. Built from
     * the hierarchy's nodes, so its cost follows the number of variables, not of chunks.
     */
    static Map<String, Object> consolidated(Dataset d) {
        Map<String, Object> metadata = new java.util.TreeMap<>();
        ZarrHierarchy h = d.hierarchy();
        for (String group : h.groups().keySet()) {
            String prefix = group.isEmpty() ? "" : group + "/";
            putInline(d, prefix + ".zgroup", metadata);
            putInline(d, prefix + ".zattrs", metadata);
        }
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            String prefix = a.getKey().isEmpty() ? "" : a.getKey() + "/";
            metadata.put(prefix + ".zarray", v2View(a.getValue(), masked(d, a.getKey())).toJson());
            putInline(d, prefix + ".zattrs", metadata);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("metadata", metadata);
        doc.put("zarr_consolidated_format", 1);
        return doc;
    }

    private static void putInline(Dataset d, String key, Map<String, Object> metadata) {
        d.refs().get(key).ifPresent(r -> {
            if (r instanceof Reference.Inline inline) {
                metadata.put(key, ZarrJson.readObject(inline.data(), key));
            }
        });
    }
}
