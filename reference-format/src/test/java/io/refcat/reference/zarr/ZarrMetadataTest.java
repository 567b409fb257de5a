package io.refcat.reference.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.VirtualArray;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZarrMetadataTest {

    @Test
    void zarrayRoundTripsThroughJson() {
        ZarrArrayMetadata m = new ZarrArrayMetadata(List.of(10L, 4L), List.of(5, 4), DType.parse("<f8"),
                new Codec("zlib", Map.of("level", 4)), List.of(new Codec("shuffle", Map.of("elementsize", 8))),
                Double.NaN, 'C', "/");
        byte[] json = m.toJsonBytes();
        assertTrue(new String(json, StandardCharsets.US_ASCII).contains("\"fill_value\":\"NaN\""));
        ZarrArrayMetadata back = ZarrArrayMetadata.fromJson(ZarrJson.readObject(json, "t"), "t");
        assertEquals(m.shape(), back.shape());
        assertEquals(m.chunks(), back.chunks());
        assertEquals(m.dtype(), back.dtype());
        assertEquals(m.compressor().id(), back.compressor().id());
        assertEquals("shuffle", back.filters().get(0).id());
        assertTrue(((Double) back.fillValue()).isNaN());
        assertEquals("3/1", back.chunkKey(3, 1));
    }

    @Test
    void structuredDtypesUseNumpysListForm() {
        DType t = DType.fromJson(List.of(List.of("a", "<i4"), List.of("b", ">f8", List.of(3))));
        assertEquals(28, t.itemSize());
        assertEquals(List.of(List.of("a", "<i4"), List.of("b", ">f8", List.of(3))), t.toJson());
        ZarrArrayMetadata m = ZarrArrayMetadata.uncompressed(List.of(2L), List.of(2), t, null);
        assertEquals(t, ZarrArrayMetadata.fromJson(ZarrJson.readObject(m.toJsonBytes(), "t"), "t").dtype());
        assertThrows(ZarrV3.UnsupportedV3Exception.class, () -> ZarrV3.array(m, Map.of()));
    }

    @Test
    void invalidMetadataCannotBeBuilt() {
        assertThrows(ReferenceFormatException.class, () -> ZarrArrayMetadata.uncompressed(List.of(3L), List.of(1, 1),
                DType.parse(">i4"), 0L));
        assertThrows(ReferenceFormatException.class, () -> ZarrArrayMetadata.uncompressed(List.of(3L), List.of(0),
                DType.parse(">i4"), 0L));
        assertThrows(ReferenceFormatException.class, () -> DType.parse(">x4"));
        assertThrows(ReferenceFormatException.class, () -> DType.parse("f4"));
        assertEquals("|u1", DType.parse("<u1").toString(), "single bytes have no byte order");
    }

    @Test
    void nonAsciiAttributesAreEscapedForZarrPython() {
        String json = new String(ZarrJson.writeV2(Map.of("t", "\u00e9", "n", Double.NaN)), StandardCharsets.US_ASCII);
        assertTrue(json.contains("\\u00E9") || json.contains("\\u00e9"), json);
        assertTrue(json.contains(":NaN"), "bare NaN as Python's json writes it: " + json);
    }

    @Test
    void v3ViewTranslatesTypesEndianAndFill() {
        ZarrArrayMetadata m = ZarrArrayMetadata.uncompressed(List.of(4L, 3L), List.of(1, 3), DType.parse(">i2"), -32767L);
        Map<String, Object> json = ZarrV3.array(m, Map.of("units", "K", VirtualArray.ARRAY_DIMENSIONS, List.of("t", "x")));
        assertEquals("int16", json.get("data_type"));
        assertEquals(List.of(Map.of("name", "bytes", "configuration", Map.of("endian", "big"))), json.get("codecs"));
        assertEquals(-32767L, json.get("fill_value"));
        assertEquals(List.of("t", "x"), json.get("dimension_names"));
        assertEquals(Map.of("units", "K"), json.get("attributes"));

        ZarrArrayMetadata chars = ZarrArrayMetadata.uncompressed(List.of(2L), List.of(2), DType.parse("|S1"), "AA==");
        Map<String, Object> c = ZarrV3.array(chars, Map.of());
        assertEquals("string", c.get("data_type"), "char arrays are text in v3, one character per element");
        assertEquals("", c.get("fill_value"));
        assertEquals(List.of(Map.of("name", "vlen-utf8")), c.get("codecs"));
        assertFalse(ZarrV3.passesThrough(chars), "the store re-encodes fixed-length strings");

        ZarrArrayMetadata fortran = new ZarrArrayMetadata(List.of(2L, 2L), List.of(2, 2), DType.parse("<f4"), null,
                List.of(), null, 'F', ".");
        Map<String, Object> f = ZarrV3.array(fortran, Map.of());
        assertEquals("transpose", ((List<Map<String, Object>>) f.get("codecs")).get(0).get("name"));
        assertEquals(0.0, f.get("fill_value"));

        Map<String, Object> text = ZarrV3.array(ZarrArrayMetadata.uncompressed(List.of(2L), List.of(2),
                DType.parse("<U3"), "eAAAAA=="), Map.of());
        assertEquals("string", text.get("data_type"));
        assertEquals("x", text.get("fill_value"), "UTF-32 fill, trailing NULs stripped");
        assertThrows(ZarrV3.UnsupportedV3Exception.class, () -> ZarrV3.array(ZarrArrayMetadata.uncompressed(
                List.of(2L), List.of(2), DType.fromJson(List.of(List.of("a", "<i4", List.of(2)))), null), Map.of()),
                "array members have no structured form");

        // {a: >i2, pad 2, b: {x: <f4}}, fill a=-2, b.x=1.5, stored big/little as HDF5 had it
        DType compound = DType.fromJson(List.of(List.of("a", ">i2"), List.of("", "|V2"),
                List.of("b", List.of(List.of("x", "<f4")))));
        ZarrArrayMetadata s = ZarrArrayMetadata.uncompressed(List.of(2L), List.of(2), compound, "//4AAAAAwD8=");
        Map<String, Object> st = ZarrV3.array(s, Map.of());
        assertEquals(Map.of("name", "structured", "configuration", Map.of("fields", List.of(List.of("a", "int16"),
                List.of("b", Map.of("name", "structured", "configuration", Map.of("fields",
                        List.of(List.of("x", "float32")))))))), st.get("data_type"), "packed: no padding field");
        assertEquals(Map.of("a", -2L, "b", Map.of("x", 1.5)), st.get("fill_value"));
        assertEquals(List.of(Map.of("name", "bytes", "configuration", Map.of("endian", "little"))), st.get("codecs"),
                "the store serves every member little-endian");
        assertFalse(ZarrV3.passesThrough(s), "the store re-packs structured chunks");

        ZarrArrayMetadata opaque = ZarrArrayMetadata.uncompressed(List.of(2L), List.of(2), DType.parse("|V3"), null);
        Map<String, Object> o = ZarrV3.array(opaque, Map.of());
        assertEquals("r24", o.get("data_type"), "opaque bytes are v3 raw bits");
        assertEquals(List.of(0, 0, 0), o.get("fill_value"), "one integer per byte");
    }

    @Test
    void v3ChunkKeysMapToV2Keys() {
        ZarrArrayMetadata m = ZarrArrayMetadata.uncompressed(List.of(4L, 3L), List.of(1, 3), DType.parse(">i2"), 0L);
        assertEquals(Optional.of("2.0"), ZarrV3.v2ChunkKey("c/2/0", m));
        assertEquals(Optional.empty(), ZarrV3.v2ChunkKey("c/2", m));
        assertEquals(Optional.empty(), ZarrV3.v2ChunkKey("c/02/0", m));
        assertEquals(Optional.empty(), ZarrV3.v2ChunkKey("c/x/0", m));
        ZarrArrayMetadata scalar = ZarrArrayMetadata.uncompressed(List.of(), List.of(), DType.parse(">f8"), 0.0);
        assertEquals(Optional.of("0"), ZarrV3.v2ChunkKey("c", scalar));
    }
}
