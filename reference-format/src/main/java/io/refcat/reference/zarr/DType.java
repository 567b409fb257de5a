package io.refcat.reference.zarr;

import io.refcat.reference.ReferenceFormatException;

/**
 * A NumPy array-protocol type string as Zarr v2 uses it: byte order ({@code <}, {@code >} or
 * {@code |}), kind ({@code i u f b S}) and item size in bytes, e.g. {@code ">f4"} or {@code "|S1"};
 * or {@code "|O"}, NumPy objects, whose bytes a codec such as {@code vlen-utf8} defines.
 */
public record DType(char byteOrder, char kind, int itemSize) {

    public DType {
        if ("<>|".indexOf(byteOrder) < 0) {
            throw new ReferenceFormatException("dtype byte order must be <, > or |, got '" + byteOrder + "'");
        }
        if ("iufbSUcVO".indexOf(kind) < 0) {
            throw new ReferenceFormatException("unknown dtype kind '" + kind + "'");
        }
        if (itemSize <= 0) {
            throw new ReferenceFormatException("dtype item size must be positive, got " + itemSize);
        }
        if (itemSize == 1 && byteOrder != '|') {
            byteOrder = '|';
        }
    }

    /** NumPy's object dtype, as zarr-python writes it. */
    public static final DType OBJECT = new DType('|', 'O', 8);

    public static DType parse(String text) {
        if ("|O".equals(text)) {
            return OBJECT;
        }
        if (text == null || text.length() < 3) {
            throw new ReferenceFormatException("not a dtype: " + text);
        }
        try {
            return new DType(text.charAt(0), text.charAt(1), Integer.parseInt(text.substring(2)));
        } catch (NumberFormatException e) {
            throw new ReferenceFormatException("not a dtype: " + text);
        }
    }

    public static DType bigEndian(char kind, int itemSize) {
        return new DType(itemSize == 1 ? '|' : '>', kind, itemSize);
    }

    public boolean bigEndian() {
        return byteOrder == '>';
    }

    @Override
    public String toString() {
        return kind == 'O' ? "|O" : "" + byteOrder + kind + itemSize;
    }
}
