package io.refcat.indexer.hdf5;

import io.refcat.reference.zarr.DType;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * numcodecs' variable-length encodings, into which HDF5's variable-length data (kept in the
 * global heap, where no reference can point) are inlined: {@code vlen-utf8} for strings and
 * {@code vlen-array} for sequences. Both are a little-endian item count, then each item's byte
 * length and bytes; a sequence's elements are written in its declared dtype.
 */
final class Vlen {
    /** Above this, the values are not inlined into the references and the variable is unsupported. */
    static final int MAX_INLINE_BYTES = 16 << 20;

    private Vlen() {
    }

    static byte[] strings(Object flat, String path) throws UnsupportedVariableException {
        Writer out = new Writer(path, flat);
        for (int i = 0; i < out.count; i++) {
            Object item = Array.get(out.items, i);
            out.item((item == null ? "" : item.toString()).getBytes(StandardCharsets.UTF_8));
        }
        return out.bytes();
    }

    static byte[] arrays(Object flat, DType element, String path) throws UnsupportedVariableException {
        Writer out = new Writer(path, flat);
        ByteOrder order = element.byteOrder() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < out.count; i++) {
            Object item = Array.get(out.items, i);
            int n = item == null ? 0 : Array.getLength(item);
            ByteBuffer buf = ByteBuffer.allocate(n * element.itemSize()).order(order);
            for (int j = 0; j < n; j++) {
                put(buf, (Number) Array.get(item, j), element);
            }
            out.item(buf.array());
        }
        return out.bytes();
    }

    /** Writes one element; integers keep their low bytes, so jhdf's widened unsigned values fit. */
    private static void put(ByteBuffer buf, Number v, DType t) {
        if (t.kind() == 'f') {
            if (t.itemSize() == 4) {
                buf.putFloat(v.floatValue());
            } else {
                buf.putDouble(v.doubleValue());
            }
            return;
        }
        long bits = v instanceof BigInteger b ? b.longValue() : v.longValue();
        switch (t.itemSize()) {
            case 1 -> buf.put((byte) bits);
            case 2 -> buf.putShort((short) bits);
            case 4 -> buf.putInt((int) bits);
            default -> buf.putLong(bits);
        }
    }

    private static final class Writer {
        final String path;
        final Object items;
        final int count;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer(String path, Object flat) {
            this.path = path;
            this.items = flat != null && flat.getClass().isArray() && !(flat instanceof byte[]) ? flat : new Object[] {flat};
            this.count = Array.getLength(items);
            out.writeBytes(int32(count));
        }

        void item(byte[] bytes) throws UnsupportedVariableException {
            out.writeBytes(int32(bytes.length));
            out.writeBytes(bytes);
            if (out.size() > MAX_INLINE_BYTES) {
                throw new UnsupportedVariableException("variable-length data of '" + path + "' exceed "
                        + MAX_INLINE_BYTES + " bytes, too large to inline into the references");
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
