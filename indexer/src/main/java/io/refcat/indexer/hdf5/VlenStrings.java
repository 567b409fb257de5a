package io.refcat.indexer.hdf5;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** numcodecs' {@code vlen-utf8} encoding: a little-endian count, then each item's length and bytes. */
final class VlenStrings {
    /** Above this, the strings are not inlined into the references and the variable is unsupported. */
    static final int MAX_INLINE_BYTES = 16 << 20;

    private VlenStrings() {
    }

    static byte[] encode(Object flat, String path) throws UnsupportedVariableException {
        Object items = flat != null && flat.getClass().isArray() ? flat : new Object[] {flat};
        int n = Array.getLength(items);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(int32(n));
        for (int i = 0; i < n; i++) {
            Object item = Array.get(items, i);
            byte[] utf8 = (item == null ? "" : item.toString()).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(int32(utf8.length));
            out.writeBytes(utf8);
            if (out.size() > MAX_INLINE_BYTES) {
                throw new UnsupportedVariableException("variable-length strings of '" + path + "' exceed "
                        + MAX_INLINE_BYTES + " bytes, too large to inline into the references");
            }
        }
        return out.toByteArray();
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
