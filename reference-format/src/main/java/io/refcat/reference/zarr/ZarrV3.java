package io.refcat.reference.zarr;

import io.refcat.reference.VirtualArray;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Zarr v3 view of a v2 hierarchy: {@code zarr.json} documents and chunk keys under {@code c/}.
 * Chunk bytes are the same in both views, so every v2 codec chain is translated to its v3 form:
 * order F becomes a {@code transpose} codec, the dtype's byte order the {@code bytes} codec's
 * endian, and numcodecs compressors/filters their registered v3 names.
 *
 * <p>Codecs that v3 readers implement (gzip, zstd, blosc) pass through; a chain with any other
 * codec (zlib and shuffle from HDF5, ...) is described as plain {@code bytes}, and the store
 * serves those chunks decoded ({@link #passesThrough}, {@code array(m, attrs, true)}).
 *
 * <p>Variable-length strings (v2 object arrays with the {@code vlen-utf8} filter) are the v3
 * {@code string} data type with the {@code vlen-utf8} array-to-bytes codec, as registered in
 * zarr-extensions and read by zarr-python 3 and zarrita: the chunk bytes are the same.
 *
 * <p>Decision: fixed-length strings ({@code |S<n>}, NetCDF {@code char} arrays as {@code |S1},
 * and {@code <U<n>}) are the same {@code string} type, each element its text, so the store
 * re-encodes their chunks ({@link #isFixedString}): zarr-python 3 and zarrita both read
 * {@code string}, while no independent reader implements the registry's fixed-length types yet.
 *
 * <p>Structured types (HDF5 compounds) are the registry's {@code structured} type: fields packed in
 * order, no padding, every multi-byte field in the one byte order of the {@code bytes} codec. The
 * store serves their chunks re-packed, little-endian ({@link #isStructured}); the fill value is an
 * object, member to value. Members that are arrays, strings or other types without a fixed-size v3
 * type have no such form, and other types without a v3 equivalent raise
 * {@link UnsupportedV3Exception}.
 */
public final class ZarrV3 {
    private ZarrV3() {
    }

    /** A v2 array that has no v3 translation (a dtype or codec v3 lacks). */
    public static final class UnsupportedV3Exception extends RuntimeException {
        public UnsupportedV3Exception(String message) {
            super(message);
        }
    }

    public static Map<String, Object> group(Map<String, Object> attributes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("zarr_format", 3);
        json.put("node_type", "group");
        json.put("attributes", attributes);
        return json;
    }

    private static final java.util.Set<String> V3_CODECS = java.util.Set.of("gzip", "zstd", "blosc");

    /** Whether every codec of the array's chain has a v3 form its readers implement. */
    public static boolean passesThrough(ZarrArrayMetadata m) {
        if (isFixedString(m) || isStructured(m)) {
            return false;
        }
        List<Codec> filters = isVlenString(m) ? m.filters().subList(1, m.filters().size()) : m.filters();
        return filters.stream().allMatch(c -> V3_CODECS.contains(c.id()))
                && (m.compressor() == null || V3_CODECS.contains(m.compressor().id()));
    }

    /** An object array whose first filter encodes variable-length UTF-8 strings. */
    static boolean isVlenString(ZarrArrayMetadata m) {
        return m.dtype().kind() == 'O' && !m.filters().isEmpty() && m.filters().get(0).id().equals(VLEN_UTF8);
    }

    /** Fixed-length strings, which the v3 view serves re-encoded as {@code vlen-utf8} {@code string}s. */
    public static boolean isFixedString(ZarrArrayMetadata m) {
        return m.dtype().kind() == 'S' || m.dtype().kind() == 'U';
    }

    /** Structured types, which the v3 view serves packed and little-endian. */
    public static boolean isStructured(ZarrArrayMetadata m) {
        return m.dtype().structured();
    }

    private static boolean isString(ZarrArrayMetadata m) {
        return isVlenString(m) || isFixedString(m);
    }

    private static final String VLEN_UTF8 = "vlen-utf8";

    public static Map<String, Object> array(ZarrArrayMetadata m, Map<String, Object> v2Attributes) {
        return array(m, v2Attributes, !passesThrough(m));
    }

    /** @param decoded the chunks are served decoded, so the codec chain is only {@code bytes} */
    public static Map<String, Object> array(ZarrArrayMetadata m, Map<String, Object> v2Attributes, boolean decoded) {
        Map<String, Object> attributes = new LinkedHashMap<>(v2Attributes);
        Object dims = attributes.remove(VirtualArray.ARRAY_DIMENSIONS);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("zarr_format", 3);
        json.put("node_type", "array");
        json.put("shape", m.shape());
        json.put("data_type", isString(m) ? "string" : dataType(m.dtype()));
        json.put("chunk_grid", Map.of("name", "regular", "configuration", Map.of("chunk_shape", m.chunks())));
        json.put("chunk_key_encoding", Map.of("name", "default", "configuration", Map.of("separator", "/")));
        json.put("fill_value", fillValue(m));
        json.put("codecs", codecs(m, decoded));
        json.put("attributes", attributes);
        if (dims instanceof List<?> names && names.size() == m.rank()) {
            json.put("dimension_names", names);
        }
        return json;
    }

    /**
     * The arrays of a hierarchy that have no v3 view, by path, with the reason (what the store's
     * 501 says), for {@code refcat index --json} and the coverage table.
     */
    public static Map<String, String> withoutView(ZarrHierarchy h) {
        Map<String, String> missing = new java.util.TreeMap<>();
        h.arrays().forEach((path, meta) -> {
            try {
                array(meta, Map.of(), true);
            } catch (UnsupportedV3Exception e) {
                missing.put(path, e.getMessage());
            }
        });
        return missing;
    }

    /** {@code "c/0/3"} → {@code "0.3"} (in the array's own separator); empty when not a chunk key of this rank. */
    public static Optional<String> v2ChunkKey(String v3Key, ZarrArrayMetadata m) {
        if (m.rank() == 0) {
            return v3Key.equals("c") ? Optional.of("0") : Optional.empty();
        }
        if (!v3Key.startsWith("c/")) {
            return Optional.empty();
        }
        String[] parts = v3Key.substring(2).split("/", -1);
        if (parts.length != m.rank()) {
            return Optional.empty();
        }
        long[] index = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                index[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (index[i] < 0 || !parts[i].equals(Long.toString(index[i]))) {
                return Optional.empty();
            }
        }
        return Optional.of(m.chunkKey(index));
    }

    static Object dataType(DType d) {
        if (d.structured()) {
            return structuredType(d);
        }
        String name = switch (d.kind()) {
            case 'i' -> "int" + d.itemSize() * 8;
            case 'u' -> "uint" + d.itemSize() * 8;
            case 'f' -> "float" + d.itemSize() * 8;
            case 'b' -> d.itemSize() == 1 ? "bool" : null;
            case 'V' -> d.fields().isEmpty() ? "r" + d.itemSize() * 8 : null; // opaque bytes: v3's raw bits
            default -> null;
        };
        if (name != null && name.startsWith("r")) {
            return name;
        }
        if (d.kind() == 'O') {
            throw new UnsupportedV3Exception("variable-length sequences have no Zarr v3 data type or codec "
                    + "(vlen-array is not in the zarr-extensions registry)");
        }
        if (name == null || !List.of("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                "uint64", "float16", "float32", "float64").contains(name)) {
            throw new UnsupportedV3Exception("dtype " + d + " has no Zarr v3 core data type");
        }
        return name;
    }

    /** The registry's {@code structured} type: named fields in order, padding left out. */
    private static Map<String, Object> structuredType(DType d) {
        List<List<Object>> fields = new ArrayList<>();
        for (DType.Field f : d.fields()) {
            if (f.name().isEmpty()) {
                continue; // padding: the v3 encoding is packed
            }
            if (!f.shape().isEmpty()) {
                throw new UnsupportedV3Exception("compound member '" + f.name() + "' is an array " + f.shape()
                        + "; the structured data type has no array fields");
            }
            Object type;
            try {
                type = dataType(f.type());
            } catch (UnsupportedV3Exception e) {
                throw new UnsupportedV3Exception("compound member '" + f.name() + "': " + e.getMessage());
            }
            fields.add(List.of(f.name(), type));
        }
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("name", "structured");
        type.put("configuration", Map.of("fields", fields));
        return type;
    }

    /**
     * A structured fill value as the registry wants it, member to value, from v2's base64 of the
     * stored bytes (null: zeros, as v2 readers fill).
     */
    private static Map<String, Object> structuredFill(DType d, java.nio.ByteBuffer bytes) {
        Map<String, Object> fill = new LinkedHashMap<>();
        int base = bytes.position();
        int at = base;
        for (DType.Field f : d.fields()) {
            if (!f.name().isEmpty()) {
                fill.put(f.name(), leafFill(f.type(), bytes.position(at)));
            }
            at += f.size();
        }
        bytes.position(base);
        return fill;
    }

    private static Object leafFill(DType t, java.nio.ByteBuffer b) {
        if (t.structured()) {
            return structuredFill(t, b);
        }
        java.nio.ByteBuffer v = b.slice(b.position(), t.itemSize())
                .order(t.bigEndian() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        return switch (t.kind()) {
            case 'b' -> v.get(0) != 0;
            case 'f' -> t.itemSize() == 2 ? (Object) half(v.getShort(0))
                    : t.itemSize() == 4 ? (Object) (double) v.getFloat(0) : (Object) v.getDouble(0);
            case 'i', 'u' -> {
                byte[] be = new byte[t.itemSize()];
                for (int i = 0; i < be.length; i++) {
                    be[i] = v.get(t.bigEndian() ? i : be.length - 1 - i);
                }
                BigInteger n = t.kind() == 'u' ? new BigInteger(1, be) : new BigInteger(be);
                yield n.bitLength() < 64 ? (Object) n.longValue() : n;
            }
            default -> { // raw bits: one integer per byte
                List<Integer> raw = new ArrayList<>();
                for (int i = 0; i < t.itemSize(); i++) {
                    raw.add(v.get(i) & 0xff);
                }
                yield raw;
            }
        };
    }

    /** IEEE 754 binary16 (Java 17 has no {@code Float.float16ToFloat}). */
    private static double half(short h) {
        int exponent = (h >> 10) & 0x1f;
        int fraction = h & 0x3ff;
        double v = exponent == 0 ? fraction * 0x1p-24
                : exponent == 31 ? (fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : (1 + fraction / 1024.0) * Math.pow(2, exponent - 15);
        return h < 0 ? -v : v;
    }

    private static Object fillValue(ZarrArrayMetadata m) {
        Object fill = m.fillValue();
        char kind = m.dtype().kind();
        if (isVlenString(m)) {
            return fill instanceof String text ? text : "";
        }
        if (isFixedString(m)) {
            // v2 writes a fixed-length string's fill value as base64 of its bytes
            return fill instanceof String b64 ? fixedText(b64, m.dtype()) : "";
        }
        if (isStructured(m)) {
            byte[] stored = fill instanceof String b64 ? Base64.getDecoder().decode(b64) : new byte[m.dtype().itemSize()];
            return structuredFill(m.dtype(), java.nio.ByteBuffer.wrap(stored));
        }
        if (kind == 'V') {
            // raw bits: the fill value is one integer per byte; v2's null becomes zeros
            return java.util.Collections.nCopies(m.dtype().itemSize(), 0);
        }
        if (fill == null) {
            // v3 requires a fill value; v2's null means "undefined", so any value is faithful.
            return kind == 'b' ? (Object) false : kind == 'f' ? (Object) 0.0 : (Object) 0L;
        }
        if (fill instanceof BigInteger || fill instanceof Long || fill instanceof Double || fill instanceof Boolean) {
            return fill;
        }
        throw new UnsupportedV3Exception("fill_value " + fill + " of dtype " + m.dtype() + " has no v3 form");
    }

    private static List<Map<String, Object>> codecs(ZarrArrayMetadata m, boolean decoded) {
        List<Map<String, Object>> codecs = new ArrayList<>();
        if (m.order() == 'F' && m.rank() > 1) {
            List<Integer> reversed = new ArrayList<>();
            for (int i = m.rank() - 1; i >= 0; i--) {
                reversed.add(i);
            }
            codecs.add(codec("transpose", Map.of("order", reversed)));
        }
        boolean strings = isVlenString(m);
        if (strings || isFixedString(m)) {
            codecs.add(codec(VLEN_UTF8, Map.of()));
        } else {
            codecs.add(singleBytes(m.dtype()) ? codec("bytes", Map.of())
                    : codec("bytes", Map.of("endian", m.dtype().bigEndian() ? "big" : "little")));
        }
        if (decoded) {
            return codecs;
        }
        for (Codec f : strings ? m.filters().subList(1, m.filters().size()) : m.filters()) {
            codecs.add(bytesToBytes(f));
        }
        if (m.compressor() != null) {
            codecs.add(bytesToBytes(m.compressor()));
        }
        return codecs;
    }

    /** Whether no element has a byte order: single bytes, or structures of single-byte fields only. */
    private static boolean singleBytes(DType d) {
        if (d.structured()) {
            return d.fields().stream().allMatch(f -> f.name().isEmpty() || singleBytes(f.type()));
        }
        return d.itemSize() == 1 || d.kind() == 'V';
    }

    private static String fixedText(String b64, DType type) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return b64; // not base64: zarr-python 2 also accepts the text itself
        }
        java.nio.charset.Charset charset = type.kind() == 'U'
                ? java.nio.charset.Charset.forName(type.bigEndian() ? "UTF-32BE" : "UTF-32LE")
                : java.nio.charset.StandardCharsets.UTF_8;
        return new String(bytes, charset).replaceAll("\u0000+$", "");
    }

    private static Map<String, Object> bytesToBytes(Codec c) {
        Map<String, Object> cfg = c.config();
        return switch (c.id()) {
            case "gzip" -> codec("gzip", Map.of("level", cfg.getOrDefault("level", 1)));
            case "zstd" -> codec("zstd", Map.of("level", cfg.getOrDefault("level", 0), "checksum", false));
            case "blosc" -> codec("blosc", bloscConfig(cfg));
            default -> throw new UnsupportedV3Exception("codec '" + c.id() + "' has no Zarr v3 translation");
        };
    }

    private static Map<String, Object> bloscConfig(Map<String, Object> cfg) {
        Object shuffle = cfg.getOrDefault("shuffle", 1);
        String mode = switch (((Number) shuffle).intValue()) {
            case 0 -> "noshuffle";
            case 2 -> "bitshuffle";
            default -> "shuffle";
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cname", cfg.getOrDefault("cname", "lz4"));
        out.put("clevel", cfg.getOrDefault("clevel", 5));
        out.put("shuffle", mode);
        out.put("typesize", cfg.getOrDefault("typesize", 1));
        out.put("blocksize", cfg.getOrDefault("blocksize", 0));
        return out;
    }

    private static Map<String, Object> codec(String name, Map<String, Object> configuration) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        if (!configuration.isEmpty()) {
            c.put("configuration", configuration);
        }
        return c;
    }
}
