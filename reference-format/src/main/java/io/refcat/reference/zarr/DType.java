package io.refcat.reference.zarr;

import io.refcat.reference.ReferenceFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * A NumPy array-protocol type string as Zarr v2 uses it: byte order ({@code <}, {@code >} or
 * {@code |}), kind ({@code i u f b S}) and item size in bytes, e.g. {@code ">f4"} or {@code "|S1"};
 * or {@code "|O"}, NumPy objects, whose bytes a codec such as {@code vlen-utf8} defines; or a
 * structured type ({@code kind 'V'} with fields), which Zarr v2 writes as NumPy's list form
 * {@code [["a", "<i4"], ["b", ">f8", [3]]]}: fields in order, padding as unnamed {@code |V<n>}
 * fields ({@code ["", "|V7"]}), as NumPy's {@code descr} writes it.
 */
/** @param itemSize bytes per element (for {@code U}, four per character: {@code <U3} is 12 bytes) */
public record DType(char byteOrder, char kind, int itemSize, List<Field> fields) {

    /** One field of a structured type; {@code shape} is empty for a scalar field. */
    public record Field(String name, DType type, List<Integer> shape) {
        public Field {
            shape = List.copyOf(shape);
        }

        public int size() {
            int n = type.itemSize();
            for (int s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }
    }

    public DType(char byteOrder, char kind, int itemSize) {
        this(byteOrder, kind, itemSize, List.of());
    }

    public static DType structured(List<Field> fields) {
        int size = 0;
        for (Field f : fields) {
            size = Math.addExact(size, f.size());
        }
        return new DType('|', 'V', size, fields);
    }

    public DType {
        fields = List.copyOf(fields);
        if (!fields.isEmpty() && kind != 'V') {
            throw new ReferenceFormatException("only structured (V) dtypes have fields");
        }
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
            int n = Integer.parseInt(text.substring(2));
            // NumPy counts a unicode type's size in characters of 4 bytes (UTF-32)
            return new DType(text.charAt(0), text.charAt(1), text.charAt(1) == 'U' ? Math.multiplyExact(n, 4) : n);
        } catch (NumberFormatException e) {
            throw new ReferenceFormatException("not a dtype: " + text);
        }
    }

    public static DType bigEndianOf(char kind, int itemSize) {
        return new DType(itemSize == 1 ? '|' : '>', kind, itemSize);
    }

    public boolean bigEndian() {
        return byteOrder == '>';
    }

    public boolean structured() {
        return !fields.isEmpty();
    }

    /** The {@code .zarray} form: a type string, or NumPy's list form for structured types. */
    public Object toJson() {
        if (!structured()) {
            return toString();
        }
        List<Object> list = new ArrayList<>();
        for (Field f : fields) {
            List<Object> entry = new ArrayList<>(List.of(f.name(), f.type().toJson()));
            if (!f.shape().isEmpty()) {
                entry.add(f.shape());
            }
            list.add(entry);
        }
        return list;
    }

    public static DType fromJson(Object json) {
        if (json instanceof String s) {
            return parse(s);
        }
        if (!(json instanceof List<?> list) || list.isEmpty()) {
            throw new ReferenceFormatException("not a dtype: " + json);
        }
        List<Field> fields = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof List<?> entry) || entry.size() < 2 || !(entry.get(0) instanceof String name)) {
                throw new ReferenceFormatException("not a structured dtype field: " + o);
            }
            List<Integer> shape = new ArrayList<>();
            if (entry.size() > 2 && entry.get(2) instanceof List<?> dims) {
                dims.forEach(d -> shape.add(((Number) d).intValue()));
            }
            fields.add(new Field(name, fromJson(entry.get(1)), shape));
        }
        return structured(fields);
    }

    @Override
    public String toString() {
        return kind == 'O' ? "|O" : "" + byteOrder + kind + (kind == 'U' ? itemSize / 4 : itemSize);
    }
}
