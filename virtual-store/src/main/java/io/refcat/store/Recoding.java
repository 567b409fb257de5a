package io.refcat.store;

import io.refcat.reference.zarr.DType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a decoded chunk becomes the bytes a view serves, where a view's type differs from the
 * stored one: byte order reversed, fixed-length text re-encoded as {@code vlen-utf8}, or a
 * structured type packed.
 */
sealed interface Recoding {

    byte[] apply(byte[] decoded);

    /** The stored bytes as they are. */
    Recoding NONE = new Swap(1);

    /** Each element's byte order reversed ({@code item} 1: none). */
    record Swap(int item) implements Recoding {
        @Override
        public byte[] apply(byte[] decoded) {
            ByteSwap.inPlace(decoded, 0, decoded.length, item);
            return decoded;
        }
    }

    /**
     * Fixed-length strings ({@code |S<n>} bytes, {@code <U<n>} UTF-32) as the {@code vlen-utf8}
     * encoding (a u32le count, then each element as u32le length and UTF-8 bytes), trailing NULs
     * stripped as NumPy strips them.
     *
     * <p>Decision: bytes are read as UTF-8 where they are valid UTF-8 and otherwise as ISO-8859-1,
     * one character per byte, so no byte is lost or replaced.
     */
    record Utf8Strings(DType fixed) implements Recoding {
        @Override
        public byte[] apply(byte[] decoded) {
            int size = fixed.itemSize();
            int count = decoded.length / size;
            ByteArrayOutputStream out = new ByteArrayOutputStream(decoded.length + 4 * count + 4);
            writeU32(out, count);
            for (int e = 0; e < count; e++) {
                byte[] utf8 = text(decoded, e * size).getBytes(StandardCharsets.UTF_8);
                writeU32(out, utf8.length);
                out.writeBytes(utf8);
            }
            return out.toByteArray();
        }

        private String text(byte[] data, int at) {
            if (fixed.kind() == 'U') {
                ByteBuffer b = ByteBuffer.wrap(data, at, fixed.itemSize())
                        .order(fixed.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                StringBuilder s = new StringBuilder();
                while (b.remaining() >= 4) {
                    int cp = b.getInt();
                    if (cp == 0) {
                        break;
                    }
                    s.appendCodePoint(Character.isValidCodePoint(cp) ? cp : 0xFFFD);
                }
                return s.toString();
            }
            int end = at + fixed.itemSize();
            while (end > at && data[end - 1] == 0) {
                end--;
            }
            ByteBuffer bytes = ByteBuffer.wrap(data, at, end - at);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                return new String(data, at, end - at, StandardCharsets.ISO_8859_1);
            }
        }

        private static void writeU32(ByteArrayOutputStream out, int v) {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
        }
    }

    /**
     * A structured type served packed: the named members' bytes only, in order (the v2 view of a
     * padded type); with {@code littleEndian}, every multi-byte member also little-endian (the v3
     * {@code structured} type, whose {@code bytes} codec states one byte order for all members).
     */
    record Packed(DType stored, boolean littleEndian) implements Recoding {
        @Override
        public byte[] apply(byte[] decoded) {
            List<int[]> runs = new ArrayList<>();
            runs(stored, 0, runs);
            int packedSize = runs.stream().mapToInt(r -> r[1]).sum();
            int count = decoded.length / stored.itemSize();
            byte[] out = new byte[count * packedSize];
            for (int e = 0, to = 0; e < count; e++) {
                int base = e * stored.itemSize();
                for (int[] run : runs) {
                    System.arraycopy(decoded, base + run[0], out, to, run[1]);
                    ByteSwap.inPlace(out, to, run[1], run[2]);
                    to += run[1];
                }
            }
            return out;
        }

        /**
         * Runs ({offset, length, swap item}) of member bytes within one element; adjacent runs that
         * need no swapping are joined.
         */
        private void runs(DType type, int base, List<int[]> runs) {
            int at = base;
            for (DType.Field f : type.fields()) {
                if (f.name().isEmpty()) {
                    at += f.size();
                    continue;
                }
                int swap = littleEndian && f.type().bigEndian() ? f.type().itemSize() : 1;
                int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (f.type().structured()) {
                    for (int i = 0; i < f.size() / f.type().itemSize(); i++) {
                        runs(f.type(), at + i * f.type().itemSize(), runs);
                    }
                } else if (swap == 1 && last != null && last[2] == 1 && last[0] + last[1] == at) {
                    last[1] += f.size();
                } else {
                    runs.add(new int[] {at, f.size(), swap});
                }
                at += f.size();
            }
        }

        /** Whether a structured type has unnamed padding fields, at any depth. */
        static boolean hasPadding(DType type) {
            return type.fields().stream().anyMatch(f -> f.name().isEmpty() || hasPadding(f.type()));
        }

        /** The type without its padding fields, at any depth. */
        static DType packed(DType type) {
            if (!type.structured()) {
                return type;
            }
            List<DType.Field> fields = new ArrayList<>();
            for (DType.Field f : type.fields()) {
                if (!f.name().isEmpty()) {
                    fields.add(new DType.Field(f.name(), packed(f.type()), f.shape()));
                }
            }
            return DType.structured(fields);
        }
    }
}
