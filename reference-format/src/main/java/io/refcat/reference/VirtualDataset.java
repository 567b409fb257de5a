package io.refcat.reference;

import io.refcat.reference.zarr.ZarrJson;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a scanner makes of one source file: a Zarr hierarchy whose chunks point into the source.
 * Turned into a flat {@link ReferenceSet} (kerchunk's model) by {@link #toReferenceSet()}.
 *
 * @param groups      attributes of each group by path ({@code ""} is the root, always present)
 * @param sources     what was known of each source file when it was scanned
 * @param unsupported variables of the source that could not be referenced, by path, with the reason
 */
public record VirtualDataset(Map<String, Map<String, Object>> groups, List<VirtualArray> arrays,
                             SortedMap<String, ReferenceSet.SourceInfo> sources, SortedMap<String, String> unsupported) {

    public VirtualDataset {
        // Sorted by path: parents come before their children.
        Map<String, Map<String, Object>> g = new TreeMap<>();
        g.put("", Map.of());
        groups.forEach((path, attrs) -> g.put(path, Collections.unmodifiableMap(new LinkedHashMap<>(attrs))));
        groups = Collections.unmodifiableMap(g);
        arrays = List.copyOf(arrays);
        sources = Collections.unmodifiableSortedMap(new TreeMap<>(sources));
        unsupported = Collections.unmodifiableSortedMap(new TreeMap<>(unsupported));
    }

    public VirtualDataset(Map<String, Map<String, Object>> groups, List<VirtualArray> arrays,
                          SortedMap<String, ReferenceSet.SourceInfo> sources) {
        this(groups, arrays, sources, new TreeMap<>());
    }

    public ReferenceSet toReferenceSet() {
        TreeMap<String, Reference> refs = new TreeMap<>();
        TreeMap<String, Integer> masks = new TreeMap<>();
        groups.forEach((path, attrs) -> {
            String prefix = path.isEmpty() ? "" : path + "/";
            refs.put(prefix + ".zgroup", inline("{\"zarr_format\":2}"));
            refs.put(prefix + ".zattrs", new Reference.Inline(ZarrJson.writeV2(attrs)));
        });
        for (VirtualArray a : arrays) {
            refs.put(a.path() + "/.zarray", new Reference.Inline(a.metadata().toJsonBytes()));
            refs.put(a.path() + "/.zattrs", new Reference.Inline(ZarrJson.writeV2(a.zattrs())));
            a.chunks().forEach((key, ref) -> refs.put(a.path() + "/" + key, ref));
            a.filterMasks().forEach((key, mask) -> masks.put(a.path() + "/" + key, mask));
        }
        return new ReferenceSet(refs, sources, unsupported, masks);
    }

    private static Reference inline(String text) {
        return new Reference.Inline(text.getBytes(StandardCharsets.UTF_8));
    }
}
