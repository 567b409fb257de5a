package io.refcat.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KerchunkJsonTest {

    private static ReferenceSet read(String json) {
        return KerchunkJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Reference.Inline text(String s) {
        return new Reference.Inline(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The version 1 example of the kerchunk reference specification, verbatim. */
    private static final String SPEC_V1 = """
            {
              "version": 1,
              "templates": {
                "u": "server.domain/path",
                "f": "{{c}}"
              },
              "gen": [
                {
                  "key": "gen_key{{i}}",
                  "url": "http://{{u}}_{{i}}",
                  "offset": "{{(i + 1) * 1000}}",
                  "length": "1000",
                  "dimensions":
                    {
                      "i": {"stop":  5}
                    }
                }
              ],
              "refs": {
                "key0": "data",
                "key1": ["http://target_url", 10000, 100],
                "key2": ["http://{{u}}", 10000, 100],
                "key3": ["http://{{f(c='text')}}", 10000, 100],
                "key4": ["http://target_url"]
              }
            }
            """;

    @Test
    void specVersion1Example() {
        ReferenceSet set = read(SPEC_V1);
        assertEquals(text("data"), set.get("key0").orElseThrow());
        assertEquals(new Reference.Range("http://target_url", 10000, 100), set.get("key1").orElseThrow());
        assertEquals(new Reference.Range("http://server.domain/path", 10000, 100), set.get("key2").orElseThrow());
        assertEquals(new Reference.Range("http://text", 10000, 100), set.get("key3").orElseThrow());
        assertEquals(new Reference.WholeFile("http://target_url"), set.get("key4").orElseThrow());
        for (int i = 0; i < 5; i++) {
            assertEquals(new Reference.Range("http://server.domain/path_" + i, (i + 1) * 1000L, 1000),
                    set.get("gen_key" + i).orElseThrow());
        }
        assertEquals(10, set.size());
    }

    @Test
    void specVersion0Example() {
        ReferenceSet set = read("""
                {
                  "key0": "data",
                  "key1": ["protocol://target_url", 10000, 100],
                  "key2": "base64:aGVsbG8sIHdvcmxk",
                  "key3": ["protocol://whole_file"]
                }
                """);
        assertEquals(text("data"), set.get("key0").orElseThrow());
        assertEquals(new Reference.Range("protocol://target_url", 10000, 100), set.get("key1").orElseThrow());
        assertEquals(text("hello, world"), set.get("key2").orElseThrow());
        assertEquals(new Reference.WholeFile("protocol://whole_file"), set.get("key3").orElseThrow());
    }

    @Test
    void genWithListDimensionsAndSeveralDimensions() {
        ReferenceSet set = read("""
                {"version": 1, "gen": [{"key": "v/{{i}}.{{j}}", "url": "s3://b/{{name}}.nc",
                  "offset": "{{i * 100 + j * 10}}", "length": "10",
                  "dimensions": {"i": {"start": 1, "stop": 3}, "j": [0, 2], "name": ["a"]}}], "refs": {}}
                """);
        assertEquals(4, set.size());
        assertEquals(new Reference.Range("s3://b/a.nc", 220, 10), set.get("v/2.2").orElseThrow());
        assertEquals(new Reference.Range("s3://b/a.nc", 100, 10), set.get("v/1.0").orElseThrow());
    }

    @Test
    void writesVersion1WithTemplatesAndReadsItBack() {
        Map<String, Reference> refs = new TreeMap<>();
        refs.put(".zgroup", text("{\"zarr_format\":2}"));
        refs.put("x/0", new Reference.Range("file:///data/a.nc", 100, 8));
        refs.put("x/1", new Reference.Range("file:///data/a.nc", 108, 8));
        refs.put("y/0", new Reference.Range("file:///data/b.nc", 0, 4));
        refs.put("z/0", new Reference.Inline(new byte[] {(byte) 0xff, 0, 1}));
        refs.put("w/0", text("base64:looks-like-base64"));
        refs.put("v/0", new Reference.WholeFile("https://example.org/{{odd}}.bin"));
        ReferenceSet set = new ReferenceSet(new TreeMap<>(refs), new TreeMap<>(Map.of("file:///data/a.nc",
                new ReferenceSet.SourceInfo(1234))));
        String json = new String(KerchunkJson.toBytes(set), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"version\":1,\"templates\":{"), json);
        assertTrue(json.contains("\"x/0\":[\"{{u"), "repeated URL templated: " + json);
        assertTrue(json.contains("\"y/0\":[\"file:///data/b.nc\",0,4]"), "single-use URL kept: " + json);
        assertTrue(json.contains("\"z/0\":\"base64:/wAB\""), json);
        ReferenceSet back = read(json);
        assertEquals(set, back);
        assertArrayEquals(KerchunkJson.toBytes(set), KerchunkJson.toBytes(back), "stable output");
    }

    @Test
    void keysAreWrittenInSortedOrder() {
        Map<String, Reference> refs = new TreeMap<>();
        refs.put("b", text("2"));
        refs.put("a", text("1"));
        String json = new String(KerchunkJson.toBytes(ReferenceSet.of(refs)), StandardCharsets.UTF_8);
        assertEquals("{\"version\":1,\"refs\":{\"a\":\"1\",\"b\":\"2\"}}", json);
    }

    @Test
    void malformedReferencesNameTheKey() {
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class,
                () -> read("{\"version\": 1, \"refs\": {\"a/0\": [\"u\", 1]}}"));
        assertTrue(e.getMessage().contains("a/0"), e.getMessage());
        assertThrows(ReferenceFormatException.class, () -> read("{\"version\": 2, \"refs\": {}}"));
        assertThrows(ReferenceFormatException.class, () -> read("[1, 2]"));
        assertThrows(ReferenceFormatException.class, () -> read("{\"version\": 1, \"refs\": {\"k\": [\"u\", -1, 5]}}"));
        assertThrows(ReferenceFormatException.class,
                () -> read("{\"version\": 1, \"templates\": {\"u\": \"x\"}, \"refs\": {\"k\": [\"{{nope}}\"]}}"));
    }

    @Test
    void inlinerReplacesOnlyShortRanges() throws Exception {
        Map<String, Reference> refs = new TreeMap<>();
        refs.put("small", new Reference.Range("file:///f", 2, 3));
        refs.put("large", new Reference.Range("file:///f", 0, 100));
        ReferenceSet set = ReferenceSet.of(refs);
        byte[] file = new byte[200];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        RangeReader reader = (url, offset, length) -> java.util.Arrays.copyOfRange(file, (int) offset, (int) offset + length);
        ReferenceSet inlined = Inliner.inlineBelow(set, 10, reader);
        assertEquals(new Reference.Inline(new byte[] {2, 3, 4}), inlined.get("small").orElseThrow());
        assertEquals(refs.get("large"), inlined.get("large").orElseThrow());
        assertEquals(set, Inliner.inlineBelow(set, 0, (u, o, l) -> {
            throw new AssertionError("threshold 0 reads nothing");
        }));
    }
}
