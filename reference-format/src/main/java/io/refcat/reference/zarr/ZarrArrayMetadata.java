package io.refcat.reference.zarr;

import io.refcat.reference.ReferenceFormatException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a Zarr v2 {@code .zarray}, validated when built: shape and chunks of the same
 * rank, positive chunk sizes, a known dtype, order C or F.
 *
 * @param fillValue as in JSON: {@code null}, a {@link Long}/{@link BigInteger}, a {@link Double}
 *                  (NaN and infinities allowed), a {@link Boolean}, or for {@code S} dtypes the
 *                  base64 text zarr-python writes
 */
public record ZarrArrayMetadata(List<Long> shape, List<Integer> chunks, DType dtype, Codec compressor,
                                List<Codec> filters, Object fillValue, char order, String dimensionSeparator) {

    public ZarrArrayMetadata {
        shape = List.copyOf(shape);
        chunks = List.copyOf(chunks);
        filters = filters == null ? List.of() : List.copyOf(filters);
        if (shape.size() != chunks.size()) {
            throw new ReferenceFormatException("shape " + shape + " and chunks " + chunks + " differ in rank");
        }
        for (int i = 0; i < shape.size(); i++) {
            if (shape.get(i) < 0 || chunks.get(i) <= 0) {
                throw new ReferenceFormatException("invalid shape " + shape + " or chunks " + chunks);
            }
        }
        if (order != 'C' && order != 'F') {
            throw new ReferenceFormatException("order must be C or F, got '" + order + "'");
        }
        if (!".".equals(dimensionSeparator) && !"/".equals(dimensionSeparator)) {
            throw new ReferenceFormatException("dimension_separator must be '.' or '/', got '" + dimensionSeparator + "'");
        }
        if (fillValue != null && !(fillValue instanceof Long || fillValue instanceof BigInteger
                || fillValue instanceof Double || fillValue instanceof Boolean || fillValue instanceof String)) {
            throw new ReferenceFormatException("unsupported fill_value " + fillValue);
        }
    }

    /** An uncompressed C-order array with '.'-separated chunk keys, as the scanners produce. */
    public static ZarrArrayMetadata uncompressed(List<Long> shape, List<Integer> chunks, DType dtype, Object fillValue) {
        return new ZarrArrayMetadata(shape, chunks, dtype, null, List.of(), fillValue, 'C', ".");
    }

    public int rank() {
        return shape.size();
    }

    /** Number of chunks along each dimension. */
    public long[] chunkGrid() {
        long[] grid = new long[rank()];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (shape.get(i) + chunks.get(i) - 1) / chunks.get(i);
        }
        return grid;
    }

    /** Bytes of one whole, uncompressed chunk. */
    public long chunkBytes() {
        long n = dtype.itemSize();
        for (int c : chunks) {
            n *= c;
        }
        return n;
    }

    /** The v2 key of a chunk, e.g. {@code 0.3} or {@code 0/3}; {@code 0} for a scalar. */
    public String chunkKey(long... index) {
        if (index.length == 0) {
            return "0";
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < index.length; i++) {
            if (i > 0) {
                key.append(dimensionSeparator);
            }
            key.append(index[i]);
        }
        return key.toString();
    }

    /** The v2 codec chain in encoding order: filters, then the compressor. */
    public List<Codec> codecChain() {
        List<Codec> chain = new ArrayList<>(filters);
        if (compressor != null) {
            chain.add(compressor);
        }
        return chain;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("chunks", chunks);
        json.put("compressor", compressor == null ? null : compressor.toJson());
        json.put("dimension_separator", dimensionSeparator);
        json.put("dtype", dtype.toJson());
        json.put("fill_value", encodeFill(fillValue));
        json.put("filters", filters.isEmpty() ? null : filters.stream().map(Codec::toJson).toList());
        json.put("order", String.valueOf(order));
        json.put("shape", shape);
        json.put("zarr_format", 2);
        return json;
    }

    public byte[] toJsonBytes() {
        return ZarrJson.writeV2(toJson());
    }

    private static Object encodeFill(Object fill) {
        if (fill instanceof Double d) {
            if (d.isNaN()) {
                return "NaN";
            }
            if (d.isInfinite()) {
                return d > 0 ? "Infinity" : "-Infinity";
            }
        }
        return fill;
    }

    @SuppressWarnings("unchecked")
    public static ZarrArrayMetadata fromJson(Map<String, Object> json, String where) {
        try {
            Object format = json.get("zarr_format");
            if (!(format instanceof Number n) || n.intValue() != 2) {
                throw new ReferenceFormatException(where + ": zarr_format must be 2, got " + format);
            }
            List<Long> shape = new ArrayList<>();
            for (Object o : (List<Object>) json.get("shape")) {
                shape.add(((Number) o).longValue());
            }
            List<Integer> chunks = new ArrayList<>();
            for (Object o : (List<Object>) json.get("chunks")) {
                chunks.add(((Number) o).intValue());
            }
            DType dtype = DType.fromJson(json.get("dtype"));
            Object compressor = json.get("compressor");
            List<Codec> filters = new ArrayList<>();
            if (json.get("filters") instanceof List<?> list) {
                for (Object f : list) {
                    filters.add(Codec.fromJson((Map<String, Object>) f));
                }
            }
            Object order = json.getOrDefault("order", "C");
            Object separator = json.getOrDefault("dimension_separator", ".");
            return new ZarrArrayMetadata(shape, chunks, dtype,
                    compressor == null ? null : Codec.fromJson((Map<String, Object>) compressor),
                    filters, decodeFill(json.get("fill_value"), dtype), order.toString().charAt(0),
                    separator == null ? "." : separator.toString());
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new ReferenceFormatException(where + ": malformed .zarray: " + e.getMessage(), e);
        }
    }

    private static Object decodeFill(Object fill, DType dtype) {
        if (fill == null) {
            return null;
        }
        if (dtype.kind() == 'f') {
            if (fill instanceof String s) {
                return switch (s) {
                    case "NaN" -> Double.NaN;
                    case "Infinity" -> Double.POSITIVE_INFINITY;
                    case "-Infinity" -> Double.NEGATIVE_INFINITY;
                    default -> throw new ReferenceFormatException("invalid float fill_value '" + s + "'");
                };
            }
            return ((Number) fill).doubleValue();
        }
        if (fill instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (fill instanceof Integer i) {
            return i.longValue();
        }
        if (fill instanceof Number n && dtype.kind() != 'f') {
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new ReferenceFormatException("fill_value " + n + " is not an integer for dtype " + dtype);
            }
            return n.longValue();
        }
        return fill;
    }
}
