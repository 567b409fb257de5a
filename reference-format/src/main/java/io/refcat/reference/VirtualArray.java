package io.refcat.reference;

import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One array of a virtual dataset: its Zarr metadata, attributes, dimension names, and where each
 * stored chunk lives (chunk key relative to the array, e.g. {@code "0.0"} → reference).
 *
 * @param path        slash-separated path from the dataset root, e.g. {@code "temp"} or {@code "grp/temp"}
 * @param filterMasks chunk key → filters skipped for that chunk (see {@link ReferenceSet#filterMasks()})
 */
public record VirtualArray(String path, ZarrArrayMetadata metadata, Map<String, Object> attributes,
                           List<String> dimensions, SortedMap<String, Reference> chunks,
                           SortedMap<String, Integer> filterMasks) {

    /** The attribute through which xarray learns dimension names from Zarr v2. */
    public static final String ARRAY_DIMENSIONS = "_ARRAY_DIMENSIONS";

    public VirtualArray {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        dimensions = List.copyOf(dimensions);
        chunks = Collections.unmodifiableSortedMap(new TreeMap<>(chunks));
        filterMasks = Collections.unmodifiableSortedMap(new TreeMap<>(filterMasks));
        if (dimensions.size() != metadata.rank()) {
            throw new ReferenceFormatException("array " + path + ": " + dimensions.size()
                    + " dimension names for rank " + metadata.rank());
        }
    }

    public VirtualArray(String path, ZarrArrayMetadata metadata, Map<String, Object> attributes,
                        List<String> dimensions, SortedMap<String, Reference> chunks) {
        this(path, metadata, attributes, dimensions, chunks, new TreeMap<>());
    }

    /** Attributes as written to {@code .zattrs}: the array's own plus {@code _ARRAY_DIMENSIONS}. */
    public Map<String, Object> zattrs() {
        Map<String, Object> z = new LinkedHashMap<>(attributes);
        z.put(ARRAY_DIMENSIONS, new ArrayList<>(dimensions));
        return z;
    }
}
