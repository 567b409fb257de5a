package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.refcat.reference.zarr.DType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecodingTest {

    /** The vlen-utf8 encoding numcodecs defines: a u32le count, then u32le length + UTF-8 bytes per element. */
    private static byte[] vlenUtf8(String... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, items.length);
        for (String s : items) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(out, b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    @Test
    void fixedLengthBytesBecomeTextWithoutTrailingNuls() {
        byte[] stored = {'a', 'b', 0, 0, 'c', 'd', 'e', 'f', 0, 0, 0, 0, (byte) 0xc3, (byte) 0xa9, 0, 0};
        assertArrayEquals(vlenUtf8("ab", "cdef", "", "é"), new Recoding.Utf8Strings(DType.parse("|S4")).apply(stored));
    }

    @Test
    void bytesThatAreNotUtf8AreReadOneCharacterPerByte() {
        byte[] stored = {'c', 'a', 'f', (byte) 0xe9};
        assertArrayEquals(vlenUtf8("café"), new Recoding.Utf8Strings(DType.parse("|S4")).apply(stored));
    }

    @Test
    void netcdfCharArraysAreOneCharacterPerElement() {
        assertArrayEquals(vlenUtf8("h", "i", ""), new Recoding.Utf8Strings(DType.parse("|S1")).apply(new byte[] {'h', 'i', 0}));
    }

    @Test
    void utf32StringsInEitherByteOrder() {
        byte[] little = {'o', 0, 0, 0, 'k', 0, 0, 0, 0, 0, 0, 0};
        byte[] big = {0, 0, 0, 'o', 0, 0, 0, 'k', 0, 0, 0, 0};
        assertArrayEquals(vlenUtf8("ok"), new Recoding.Utf8Strings(DType.parse("<U3")).apply(little));
        assertArrayEquals(vlenUtf8("ok"), new Recoding.Utf8Strings(DType.parse(">U3")).apply(big));
    }

    @Test
    void paddedStructuresArePackedAtAnyDepth() {
        // {a: i1, pad 3, b: <i4} as C aligns it, and a member holding two of them beside a byte
        DType inner = DType.fromJson(List.of(List.of("a", "|i1"), List.of("", "|V3"), List.of("b", "<i4")));
        assertEquals(DType.fromJson(List.of(List.of("a", "|i1"), List.of("b", "<i4"))), Recoding.Packed.packed(inner));
        byte[] stored = {1, 9, 9, 9, 2, 0, 0, 0, 3, 9, 9, 9, 4, 0, 0, 0};
        assertArrayEquals(new byte[] {1, 2, 0, 0, 0, 3, 4, 0, 0, 0}, new Recoding.Packed(inner, false).apply(stored));

        DType outer = DType.structured(List.of(new DType.Field("pair", inner, List.of(2)),
                new DType.Field("c", DType.parse("|u1"), List.of()), new DType.Field("", DType.parse("|V3"), List.of())));
        byte[] element = {1, 9, 9, 9, 2, 0, 0, 0, 3, 9, 9, 9, 4, 0, 0, 0, 5, 9, 9, 9};
        assertArrayEquals(new byte[] {1, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5}, new Recoding.Packed(outer, false).apply(element));
        assertEquals(11, Recoding.Packed.packed(outer).itemSize());
    }

    @Test
    void structuresForV3AreLittleEndianThroughout() {
        // {a: >i2, pad 2, b: <f4, c: >u4 [2]}: big-endian members swapped, element by element
        DType stored = DType.fromJson(List.of(List.of("a", ">i2"), List.of("", "|V2"), List.of("b", "<f4"),
                List.of("c", ">u4", List.of(2))));
        byte[] element = {0, 7, 9, 9, 1, 2, 3, 4, 0, 0, 0, 5, 0, 0, 1, 0};
        assertArrayEquals(new byte[] {7, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 1, 0, 0},
                new Recoding.Packed(stored, true).apply(element));
    }
}
