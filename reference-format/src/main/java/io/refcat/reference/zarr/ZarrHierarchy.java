package io.refcat.reference.zarr;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceLookup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Zarr v2 hierarchy that a reference set describes: every group and array with its parsed
 * metadata, read from the inline {@code .zgroup}, {@code .zarray} and {@code .zattrs} keys.
 * Built once per dataset; the virtual store derives the consolidated and v3 views from it.
 */
public final class ZarrHierarchy {
    private final Map<String, Map<String, Object>> groups;
    private final Map<String, ZarrArrayMetadata> arrays;
    private final Map<String, Map<String, Object>> arrayAttributes;

    private ZarrHierarchy(Map<String, Map<String, Object>> groups, Map<String, ZarrArrayMetadata> arrays,
                          Map<String, Map<String, Object>> arrayAttributes) {
        this.groups = Collections.unmodifiableMap(groups);
        this.arrays = Collections.unmodifiableMap(arrays);
        this.arrayAttributes = Collections.unmodifiableMap(arrayAttributes);
    }

    public static ZarrHierarchy of(ReferenceLookup set) {
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        Map<String, ZarrArrayMetadata> arrays = new TreeMap<>();
        Map<String, Map<String, Object>> attrs = new TreeMap<>();
        for (Map.Entry<String, Reference> e : set.metadata().entrySet()) {
            String key = e.getKey();
            String node = parentOf(key);
            String leaf = key.substring(node.isEmpty() ? 0 : node.length() + 1);
            switch (leaf) {
                case ".zgroup" -> groups.put(node, attributesOf(set, node));
                case ".zarray" -> {
                    arrays.put(node, ZarrArrayMetadata.fromJson(ZarrJson.readObject(inline(key, e.getValue()), key), key));
                    attrs.put(node, attributesOf(set, node));
                }
                default -> {
                }
            }
        }
        if (!groups.containsKey("") && !arrays.containsKey("")) {
            // kerchunk output always has a root .zgroup, but a bare array store is valid Zarr too.
            groups.put("", new LinkedHashMap<>());
        }
        return new ZarrHierarchy(groups, arrays, attrs);
    }

    private static Map<String, Object> attributesOf(ReferenceLookup set, String node) {
        String key = node.isEmpty() ? ".zattrs" : node + "/.zattrs";
        return set.get(key).map(r -> ZarrJson.readObject(inline(key, r), key)).orElseGet(LinkedHashMap::new);
    }

    private static byte[] inline(String key, Reference ref) {
        if (ref instanceof Reference.Inline inline) {
            return inline.data();
        }
        throw ReferenceFormatException.badKey(key, "metadata must be inline, found " + ref);
    }

    /** {@code "a/b/.zarray"} → {@code "a/b"}; {@code ".zgroup"} → {@code ""}. */
    public static String parentOf(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    public Map<String, Map<String, Object>> groups() {
        return groups;
    }

    public Map<String, ZarrArrayMetadata> arrays() {
        return arrays;
    }

    public Map<String, Object> arrayAttributes(String path) {
        return arrayAttributes.getOrDefault(path, Map.of());
    }

    public boolean isArray(String path) {
        return arrays.containsKey(path);
    }

    public boolean isGroup(String path) {
        return groups.containsKey(path);
    }
}
