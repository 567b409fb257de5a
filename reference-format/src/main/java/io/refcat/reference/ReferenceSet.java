package io.refcat.reference;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A virtual Zarr store: every key mapped to its {@link Reference}, plus what refcat knows about
 * each source file (its size when indexed, so a changed file is detected before it is served)
 * and the variables of the source it could not reference, each with the reason.
 * Keys are kept sorted so that serialisations are stable.
 *
 * @param filterMasks chunk key → HDF5 filter mask, for chunks stored with some filters of their
 *                    array's codec chain skipped (bit i: the i-th codec was not applied). Zarr has no
 *                    per-chunk codecs, so only the served views read such arrays correctly.
 */
public record ReferenceSet(SortedMap<String, Reference> refs, SortedMap<String, SourceInfo> sources,
                           SortedMap<String, String> unsupported, SortedMap<String, Integer> filterMasks)
        implements ReferenceLookup {

    /**
     * What was known of a source when it was indexed: its size (-1 unknown) and, for a remote
     * object, its version ({@code ETag}, or {@code Last-Modified} where the server gives no tag;
     * null unknown), so that reads can require the same object.
     */
    public record SourceInfo(long size, String version) {
        public SourceInfo(long size) {
            this(size, null);
        }

        public static final SourceInfo UNKNOWN = new SourceInfo(-1, null);

        /** What a source says of itself now. */
        public static SourceInfo of(ByteSource source) throws java.io.IOException {
            return new SourceInfo(source.size(), source.version().orElse(null));
        }

        /** As the {@code refcat.sources} member of a reference file holds it. */
        public static SourceInfo fromJson(com.fasterxml.jackson.databind.JsonNode n) {
            return new SourceInfo(n.path("size").asLong(-1), n.path("version").isTextual() ? n.get("version").asText() : null);
        }
    }

    public ReferenceSet {
        refs = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(refs, "refs")));
        sources = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(sources, "sources")));
        unsupported = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(unsupported, "unsupported")));
        filterMasks = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(filterMasks, "filterMasks")));
    }

    public ReferenceSet(SortedMap<String, Reference> refs, SortedMap<String, SourceInfo> sources) {
        this(refs, sources, new TreeMap<>(), new TreeMap<>());
    }

    @Override
    public int filterMask(String key) {
        return filterMasks.getOrDefault(key, 0);
    }

    @Override
    public boolean hasFilterMasks(String arrayPath) {
        return !filterMasks.subMap(arrayPath + "/", arrayPath + "/\uffff").isEmpty();
    }

    @Override
    public SortedMap<String, Reference> metadata() {
        TreeMap<String, Reference> metadata = new TreeMap<>();
        refs.forEach((k, v) -> {
            if (ReferenceLookup.isMetadataKey(k)) {
                metadata.put(k, v);
            }
        });
        return metadata;
    }

    @Override
    public void writeJson(java.io.OutputStream out, java.util.function.UnaryOperator<String> urls)
            throws java.io.IOException {
        KerchunkJson.write(this, out, urls);
    }

    public static ReferenceSet of(Map<String, Reference> refs) {
        return new ReferenceSet(new TreeMap<>(refs), new TreeMap<>());
    }

    @Override
    public Optional<Reference> get(String key) {
        return Optional.ofNullable(refs.get(key));
    }


    public int size() {
        return refs.size();
    }
}
