package io.refcat.reference;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Reads kerchunk reference files (specification versions 0 and 1) and writes version 1.
 *
 * <p>Written files use templates for every URL referenced more than once, keys in sorted order
 * (so the same input gives the same bytes), inline values as UTF-8 text where the bytes are
 * valid UTF-8 and as {@code base64:} otherwise, exactly as kerchunk does. What refcat knows of
 * the sources (their sizes), the source variables it could not reference (with the reason) and
 * the chunks stored with filters skipped ({@code filter_masks}) go into an extra top-level
 * {@code "refcat"} member, which fsspec and kerchunk ignore.
 */
public final class KerchunkJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE64_PREFIX = "base64:";
    private static final String EXTENSION = "refcat";

    private KerchunkJson() {
    }

    public static ReferenceSet read(InputStream in) throws IOException {
        JsonNode root = MAPPER.readTree(in);
        if (root == null || !root.isObject()) {
            throw new ReferenceFormatException("a kerchunk reference file must hold a JSON object");
        }
        return read((ObjectNode) root);
    }

    public static ReferenceSet read(byte[] json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new ReferenceFormatException("a kerchunk reference file must hold a JSON object");
            }
            return read((ObjectNode) root);
        } catch (IOException e) {
            throw new ReferenceFormatException("not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ReferenceSet read(ObjectNode root) {
        if (!root.has("version")) {
            return new ReferenceSet(parseRefs(root, new TemplateRenderer(Map.of()), false), new TreeMap<>());
        }
        int version = root.get("version").asInt(-1);
        if (version != 1) {
            throw new ReferenceFormatException("unsupported kerchunk reference version " + root.get("version"));
        }
        Map<String, String> templates = new HashMap<>();
        root.path("templates").fields().forEachRemaining(e -> templates.put(e.getKey(), e.getValue().asText()));
        TemplateRenderer renderer = new TemplateRenderer(templates);
        TreeMap<String, Reference> refs = parseRefs(root.path("refs"), renderer, !templates.isEmpty());
        for (JsonNode gen : root.path("gen")) {
            expandGen(gen, renderer, refs);
        }
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
        root.path(EXTENSION).path("sources").fields().forEachRemaining(e ->
                sources.put(e.getKey(), ReferenceSet.SourceInfo.fromJson(e.getValue())));
        TreeMap<String, String> unsupported = new TreeMap<>();
        root.path(EXTENSION).path("unsupported").fields().forEachRemaining(e ->
                unsupported.put(e.getKey(), e.getValue().asText()));
        TreeMap<String, Integer> masks = new TreeMap<>();
        root.path(EXTENSION).path("filter_masks").fields().forEachRemaining(e -> masks.put(e.getKey(), e.getValue().asInt()));
        return new ReferenceSet(refs, sources, unsupported, masks);
    }

    private static TreeMap<String, Reference> parseRefs(JsonNode refsNode, TemplateRenderer renderer, boolean templated) {
        TreeMap<String, Reference> refs = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = refsNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            refs.put(e.getKey(), parseValue(e.getKey(), e.getValue(), renderer, templated));
        }
        return refs;
    }

    private static Reference parseValue(String key, JsonNode v, TemplateRenderer renderer, boolean templated) {
        if (v.isTextual()) {
            String text = v.asText();
            if (text.startsWith(BASE64_PREFIX)) {
                try {
                    return new Reference.Inline(Base64.getDecoder().decode(text.substring(BASE64_PREFIX.length())));
                } catch (IllegalArgumentException ex) {
                    throw ReferenceFormatException.badKey(key, "invalid base64 value");
                }
            }
            return new Reference.Inline(text.getBytes(StandardCharsets.UTF_8));
        }
        if (v.isObject()) {
            // Version 0 files written by some tools hold metadata as JSON objects, not strings.
            return new Reference.Inline(v.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!v.isArray() || (v.size() != 1 && v.size() != 3) || !v.get(0).isTextual()) {
            throw ReferenceFormatException.badKey(key, "expected a string, [url] or [url, offset, length], got " + v);
        }
        String url = v.get(0).asText();
        if (templated && url.contains("{{")) {
            url = renderer.render(url, Map.of());
        }
        if (v.size() == 1) {
            return new Reference.WholeFile(url);
        }
        if (!v.get(1).canConvertToLong() || !v.get(2).canConvertToLong()) {
            throw ReferenceFormatException.badKey(key, "offset and length must be integers, got " + v);
        }
        return new Reference.Range(url, v.get(1).asLong(), v.get(2).asLong());
    }

    private static void expandGen(JsonNode gen, TemplateRenderer renderer, Map<String, Reference> refs) {
        for (String field : List.of("key", "url")) {
            if (!gen.path(field).isTextual()) {
                throw new ReferenceFormatException("gen entry without '" + field + "': " + gen);
            }
        }
        Map<String, List<Object>> dims = new LinkedHashMap<>();
        gen.path("dimensions").fields().forEachRemaining(e -> dims.put(e.getKey(), dimensionValues(e.getKey(), e.getValue())));
        List<String> names = new ArrayList<>(dims.keySet());
        int[] index = new int[names.size()];
        for (List<Object> values : dims.values()) {
            if (values.isEmpty()) {
                return;
            }
        }
        while (true) {
            Map<String, Object> vars = new HashMap<>();
            for (int d = 0; d < names.size(); d++) {
                vars.put(names.get(d), dims.get(names.get(d)).get(index[d]));
            }
            String key = renderer.render(gen.get("key").asText(), vars);
            String url = renderer.render(gen.get("url").asText(), vars);
            if (gen.has("offset") && gen.has("length")) {
                long offset = Long.parseLong(renderer.render(gen.get("offset").asText(), vars).trim());
                long length = Long.parseLong(renderer.render(gen.get("length").asText(), vars).trim());
                refs.put(key, new Reference.Range(url, offset, length));
            } else {
                refs.put(key, new Reference.WholeFile(url));
            }
            int d = names.size() - 1;
            while (d >= 0 && ++index[d] == dims.get(names.get(d)).size()) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static List<Object> dimensionValues(String name, JsonNode spec) {
        List<Object> values = new ArrayList<>();
        if (spec.isArray()) {
            spec.forEach(v -> values.add(v.isIntegralNumber() ? (Object) v.asLong() : v.asText()));
            return values;
        }
        if (!spec.has("stop")) {
            throw new ReferenceFormatException("gen dimension '" + name + "' needs 'stop' or a list of values");
        }
        long start = spec.path("start").asLong(0);
        long stop = spec.get("stop").asLong();
        long step = spec.path("step").asLong(1);
        if (step <= 0) {
            throw new ReferenceFormatException("gen dimension '" + name + "' has step " + step);
        }
        for (long i = start; i < stop; i += step) {
            values.add(i);
        }
        return values;
    }

    public static void write(ReferenceSet set, OutputStream out) throws IOException {
        write(set, out, UnaryOperator.identity());
    }

    /**
     * Writes the set with every source URL passed through {@code urls} (a server hands out URLs
     * that other machines can reach in place of its own file paths).
     */
    public static void write(ReferenceSet set, OutputStream out, UnaryOperator<String> urls) throws IOException {
        Map<String, String> templateOf = templatesFor(set);
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", 1);
            if (!templateOf.isEmpty()) {
                g.writeObjectFieldStart("templates");
                for (Map.Entry<String, String> t : new TreeMap<>(inverse(templateOf)).entrySet()) {
                    g.writeStringField(t.getKey(), urls.apply(t.getValue()));
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("refs");
            for (Map.Entry<String, Reference> e : set.refs().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue(), templateOf, urls);
            }
            g.writeEndObject();
            writeExtension(g, set.sources(), set.unsupported(), set.filterMasks(), urls);
            g.writeEndObject();
        }
    }

    /**
     * Streams a large reference set: metadata first, then each array's chunks in chunk order.
     * Every source URL becomes a template ({@code u0}, {@code u1}, ...), so a URL is written once
     * however many chunks point into it.
     */
    public static void write(LargeReferenceSet set, OutputStream out) throws IOException {
        write(set, out, UnaryOperator.identity());
    }

    /** Streams a large set with every source URL passed through {@code urls}. */
    public static void write(LargeReferenceSet set, OutputStream out, UnaryOperator<String> urls) throws IOException {
        Map<String, String> templateOf = new LinkedHashMap<>();
        for (String url : set.sources().keySet()) {
            templateOf.put(url, "u" + templateOf.size());
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", 1);
            if (!templateOf.isEmpty()) {
                g.writeObjectFieldStart("templates");
                for (Map.Entry<String, String> t : templateOf.entrySet()) {
                    g.writeStringField(t.getValue(), urls.apply(t.getKey()));
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("refs");
            for (Map.Entry<String, Reference> e : set.metadata().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue(), templateOf, urls);
            }
            for (Map.Entry<String, io.refcat.reference.zarr.ZarrArrayMetadata> a : set.arrays().entrySet()) {
                long[] grid = a.getValue().chunkGrid();
                String prefix = a.getKey().isEmpty() ? "" : a.getKey() + "/";
                set.chunks(a.getKey(), (linear, ref) -> {
                    g.writeFieldName(prefix + a.getValue().chunkKey(LargeReferenceSet.unravel(linear, grid)));
                    writeValue(g, ref, templateOf, urls);
                });
            }
            g.writeEndObject();
            writeExtension(g, set.sources(), set.unsupported(), new TreeMap<>(), urls);
            g.writeEndObject();
        }
    }

    public static byte[] toBytes(ReferenceSet set) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(set, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeExtension(JsonGenerator g, Map<String, ReferenceSet.SourceInfo> sources,
                                       Map<String, String> unsupported, Map<String, Integer> masks,
                                       UnaryOperator<String> urls) throws IOException {
        if (sources.isEmpty() && unsupported.isEmpty() && masks.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart(EXTENSION);
        g.writeObjectFieldStart("sources");
        for (Map.Entry<String, ReferenceSet.SourceInfo> s : sources.entrySet()) {
            g.writeObjectFieldStart(urls.apply(s.getKey()));
            g.writeNumberField("size", s.getValue().size());
            if (s.getValue().version() != null) {
                g.writeStringField("version", s.getValue().version());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        if (!unsupported.isEmpty()) {
            g.writeObjectFieldStart("unsupported");
            for (Map.Entry<String, String> u : unsupported.entrySet()) {
                g.writeStringField(u.getKey(), u.getValue());
            }
            g.writeEndObject();
        }
        if (!masks.isEmpty()) {
            g.writeObjectFieldStart("filter_masks");
            for (Map.Entry<String, Integer> m : masks.entrySet()) {
                g.writeNumberField(m.getKey(), m.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Reference ref, Map<String, String> templateOf,
                                   UnaryOperator<String> urls) throws IOException {
        if (ref instanceof Reference.Inline inline) {
            g.writeString(inlineText(inline.data()));
            return;
        }
        g.writeStartArray();
        String url = urlOf(ref);
        String name = templateOf.get(url);
        g.writeString(name == null ? urls.apply(url) : "{{" + name + "}}");
        if (ref instanceof Reference.Range range) {
            g.writeNumber(range.offset());
            g.writeNumber(range.length());
        }
        g.writeEndArray();
    }

    /** The URL a reference points to, or null for inline bytes. */
    public static String urlOf(Reference ref) {
        if (ref instanceof Reference.Range range) {
            return range.url();
        }
        if (ref instanceof Reference.WholeFile whole) {
            return whole.url();
        }
        return null;
    }

    /** UTF-8 text where the bytes are valid UTF-8 (and cannot be mistaken for base64), else base64. */
    static String inlineText(byte[] data) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
            if (!text.startsWith(BASE64_PREFIX)) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // falls through to base64
        }
        return BASE64_PREFIX + Base64.getEncoder().encodeToString(data);
    }

    private static Map<String, String> templatesFor(ReferenceSet set) {
        // counted by hash (the chunks of a file share one URL string), numbered in URL order
        Map<String, Integer> uses = new java.util.HashMap<>();
        for (Reference r : set.refs().values()) {
            String url = urlOf(r);
            if (url != null) {
                uses.merge(url, 1, Integer::sum);
            }
        }
        Map<String, String> templateOf = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> u : new TreeMap<>(uses).entrySet()) {
            // A URL holding "{{" would be read back as a template, so it always becomes one.
            if (u.getValue() > 1 || u.getKey().contains("{{")) {
                templateOf.put(u.getKey(), "u" + templateOf.size());
            }
        }
        return templateOf;
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> inv = new LinkedHashMap<>();
        map.forEach((k, v) -> inv.put(v, k));
        return inv;
    }
}
