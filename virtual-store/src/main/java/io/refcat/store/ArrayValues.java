package io.refcat.store;

import io.refcat.reference.Reference;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Numbers of a served array in a strided box of its index space, read from the decoded chunks that
 * intersect the box and nothing else: for quick-looks and point series, so that computing goes to
 * the data. Values come out as doubles in C order over the box, CF-unpacked
 * ({@code scale_factor}/{@code add_offset}); fill values, {@code missing_value}s and chunks that do
 * not exist are NaN.
 *
 * <p>Bounded: before reading anything, the stored bytes of the chunks to read are summed and a box
 * that would read more than the budget is refused with a 400 naming both figures, so one request
 * cannot read an archive. Chunks are read and decoded one at a time.
 */
public final class ArrayValues {
    private final SourceResolver resolver;
    private final long budget;
    private final DecodeBudget decoding;

    /** Reads within the options' budgets: stored bytes per read, decoded bytes across the server. */
    public ArrayValues(SourceResolver resolver, StoreServer.Options options) {
        this.resolver = resolver;
        this.budget = options.readBudget();
        this.decoding = options.decoding();
    }

    /** A strided box: {@code count[i]} indices from {@code start[i]} every {@code step[i]}. */
    public record Box(long[] start, long[] count, long[] step) {
        public Box {
            if (start.length != count.length || start.length != step.length) {
                throw new IllegalArgumentException("box dimensions differ");
            }
        }

        public static Box whole(ZarrArrayMetadata m) {
            long[] ones = new long[m.rank()];
            Arrays.fill(ones, 1);
            return new Box(new long[m.rank()], m.shape().stream().mapToLong(Long::longValue).toArray(), ones);
        }

        public long size() {
            long n = 1;
            for (long c : count) {
                n = Math.multiplyExact(n, c);
            }
            return n;
        }
    }

    /** An array's dimension names ({@code _ARRAY_DIMENSIONS}), or {@code dim_<i>} where it has none. */
    public static List<String> dimensions(Map<String, Object> attrs, int rank) {
        List<String> dims = new ArrayList<>();
        if (attrs.get(io.refcat.reference.VirtualArray.ARRAY_DIMENSIONS) instanceof List<?> names && names.size() == rank) {
            names.forEach(n -> dims.add(String.valueOf(n)));
        } else {
            for (int i = 0; i < rank; i++) {
                dims.add("dim_" + i);
            }
        }
        return dims;
    }

    /** An index given as text for a dimension of {@code size} elements, or a 400 naming the dimension. */
    public static long index(String text, String dim, long size) {
        try {
            long i = Long.parseLong(text.trim());
            if (i >= 0 && i < size) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StoreException(400, "invalid index", "dimension '" + dim + "' has " + size + " elements; got index '"
                + text + "'");
    }

    /** The array at {@code path} of {@code d}, or 404. */
    public static ZarrArrayMetadata array(Dataset d, String path) {
        ZarrArrayMetadata m = d.hierarchy().arrays().get(path);
        if (m == null) {
            throw StoreException.notFound("dataset '" + d.id() + "' has no variable '" + path + "'");
        }
        return m;
    }

    public double[] read(Dataset d, String path, Box box) throws IOException {
        ZarrArrayMetadata m = array(d, path);
        requireNumeric(m, d, path);
        for (int i = 0; i < m.rank(); i++) {
            long last = box.start()[i] + (box.count()[i] - 1) * box.step()[i];
            if (box.start()[i] < 0 || box.count()[i] < 1 || box.step()[i] < 1 || last >= m.shape().get(i)) {
                throw new StoreException(400, "index out of range", "dimension " + i + " of '" + path
                        + "' has " + m.shape().get(i) + " elements; asked for " + box.count()[i] + " from "
                        + box.start()[i] + " every " + box.step()[i]);
            }
        }
        long elements = box.size();
        if (elements > budget / Double.BYTES) {
            throw new StoreException(400, "selection too large", elements + " values of '" + path + "' ("
                    + elements * Double.BYTES + " bytes as numbers) exceed the budget of " + budget
                    + " bytes per request; select fewer indices");
        }
        List<long[]> chunks = chunksOf(m, box);
        long stored = 0;
        for (long[] c : chunks) {
            stored += Math.max(m.chunkBytes(), storedLength(d, key(path, m, c)));
        }
        if (stored > budget) {
            throw new StoreException(400, "selection reads too much", "reading that part of '" + path + "' touches "
                    + chunks.size() + " chunks (" + stored + " bytes), more than the budget of " + budget
                    + " bytes per request; select fewer indices");
        }
        Map<String, Object> attrs = d.hierarchy().arrayAttributes(path);
        Unpacking unpacking = Unpacking.of(m, attrs);
        double[] out = new double[Math.toIntExact(elements)];
        Arrays.fill(out, Double.NaN);
        for (long[] c : chunks) {
            String key = key(path, m, c);
            Optional<Reference> ref = d.refs().get(key);
            if (ref.isPresent()) {
                scatter(m, box, c, decoded(d, m, path, key, ref.get()), unpacking, out);
            }
        }
        return out;
    }

    private static String key(String path, ZarrArrayMetadata m, long[] chunk) {
        return path.isEmpty() ? m.chunkKey(chunk) : path + "/" + m.chunkKey(chunk);
    }

    private static void requireNumeric(ZarrArrayMetadata m, Dataset d, String path) {
        if ("iufb".indexOf(m.dtype().kind()) < 0 || m.dtype().structured()) {
            throw StoreException.unsupported("variable '" + path + "' of dataset '" + d.id() + "' is of type "
                    + m.dtype() + ", not numbers");
        }
    }

    private static long storedLength(Dataset d, String key) {
        return d.refs().get(key).map(r -> r instanceof Reference.Range range ? range.length()
                : r instanceof Reference.Inline inline ? (long) inline.data().length : Long.MAX_VALUE / 4).orElse(0L);
    }

    private byte[] decoded(Dataset d, ZarrArrayMetadata m, String path, String key, Reference ref) throws IOException {
        List<Codec> chain = m.codecChain();
        for (Codec c : chain) {
            if (!ChunkDecoder.canDecode(c)) {
                throw StoreException.unsupported("variable '" + path + "' of dataset '"
                        + d.id() + "' uses codec '" + c.id() + "', which the store cannot decode");
            }
        }
        Payload p = ZarrKeys.payload(d.refs(), ref, "application/octet-stream", 1);
        int skipped = d.refs().filterMask(key);
        int size = Math.toIntExact(m.chunkBytes());
        String where = d.id() + "/" + key;
        try (DecodeBudget.Lease lease = decoding.reserve(ChunkDecoder.workingBytes(storedLength(d, key), chain, skipped,
                size), where)) {
            byte[] stored = p instanceof Payload.Bytes b ? b.data()
                    : PayloadResponder.readWhole(resolver, (Payload.SourceRange) p);
            return ChunkDecoder.decode(stored, chain, skipped, size, where);
        }
    }

    /** Every chunk index (along each dimension, the chunks the box's indices fall in), in C order. */
    private static List<long[]> chunksOf(ZarrArrayMetadata m, Box box) {
        List<long[]> perDim = new ArrayList<>();
        for (int i = 0; i < m.rank(); i++) {
            int chunk = m.chunks().get(i);
            long start = box.start()[i];
            long step = box.step()[i];
            long[] hit = java.util.stream.LongStream.range(0, box.count()[i])
                    .map(o -> (start + o * step) / chunk).distinct().toArray();
            perDim.add(hit);
        }
        List<long[]> out = new ArrayList<>();
        product(perDim, 0, new long[m.rank()], out);
        return out;
    }

    private static void product(List<long[]> perDim, int dim, long[] at, List<long[]> out) {
        if (dim == perDim.size()) {
            out.add(at.clone());
            return;
        }
        for (long v : perDim.get(dim)) {
            at[dim] = v;
            product(perDim, dim + 1, at, out);
        }
    }

    /** Copies the elements of one decoded chunk that the box selects into their places in {@code out}. */
    private static void scatter(ZarrArrayMetadata m, Box box, long[] chunk, byte[] data, Unpacking unpacking,
                                double[] out) {
        int rank = m.rank();
        // for each dimension: output positions inside this chunk and their offsets within it
        int[][] outIndex = new int[rank][];
        int[][] local = new int[rank][];
        for (int i = 0; i < rank; i++) {
            int size = m.chunks().get(i);
            List<int[]> pairs = new ArrayList<>();
            for (long o = 0; o < box.count()[i]; o++) {
                long g = box.start()[i] + o * box.step()[i];
                if (g / size == chunk[i]) {
                    pairs.add(new int[] {(int) o, (int) (g % size)});
                }
            }
            outIndex[i] = pairs.stream().mapToInt(p -> p[0]).toArray();
            local[i] = pairs.stream().mapToInt(p -> p[1]).toArray();
        }
        long[] chunkStrides = strides(m.chunks().stream().mapToLong(Integer::longValue).toArray(), m.order());
        long[] outStrides = strides(box.count(), 'C');
        ByteBuffer buf = ByteBuffer.wrap(data).order(m.dtype().bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int[] pos = new int[rank];
        if (rank == 0) {
            out[0] = unpacking.apply(element(buf, 0, m.dtype()));
            return;
        }
        for (int i = 0; i < rank; i++) {
            if (outIndex[i].length == 0) {
                return;
            }
        }
        while (true) {
            long src = 0;
            long dst = 0;
            for (int i = 0; i < rank; i++) {
                src += local[i][pos[i]] * chunkStrides[i];
                dst += outIndex[i][pos[i]] * outStrides[i];
            }
            out[(int) dst] = unpacking.apply(element(buf, (int) src, m.dtype()));
            int i = rank - 1;
            while (i >= 0 && ++pos[i] == outIndex[i].length) {
                pos[i] = 0;
                i--;
            }
            if (i < 0) {
                return;
            }
        }
    }

    private static long[] strides(long[] shape, char order) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int k = 0; k < shape.length; k++) {
            int i = order == 'C' ? shape.length - 1 - k : k;
            s[i] = step;
            step *= shape[i];
        }
        return s;
    }

    private static double element(ByteBuffer b, int index, DType t) {
        int at = index * t.itemSize();
        return switch (t.kind()) {
            case 'f' -> switch (t.itemSize()) {
                case 2 -> halfToFloat(b.getShort(at));
                case 4 -> b.getFloat(at);
                default -> b.getDouble(at);
            };
            case 'i' -> switch (t.itemSize()) {
                case 1 -> b.get(at);
                case 2 -> b.getShort(at);
                case 4 -> b.getInt(at);
                default -> b.getLong(at);
            };
            case 'u' -> switch (t.itemSize()) {
                case 1 -> b.get(at) & 0xff;
                case 2 -> b.getShort(at) & 0xffff;
                case 4 -> b.getInt(at) & 0xffffffffL;
                default -> unsigned(b.getLong(at));
            };
            default -> b.get(at) != 0 ? 1 : 0; // bool
        };
    }

    /** IEEE 754 binary16 (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static double unsigned(long v) {
        double d = v & Long.MAX_VALUE;
        return v < 0 ? d + 0x1p63 : d;
    }
}
