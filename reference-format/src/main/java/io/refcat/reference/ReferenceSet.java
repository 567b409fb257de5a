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
 */
public record ReferenceSet(SortedMap<String, Reference> refs, SortedMap<String, SourceInfo> sources,
                           SortedMap<String, String> unsupported) {

    /** What was known of a source file when it was indexed. */
    public record SourceInfo(long size) {
    }

    public ReferenceSet {
        refs = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(refs, "refs")));
        sources = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(sources, "sources")));
        unsupported = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(unsupported, "unsupported")));
    }

    public ReferenceSet(SortedMap<String, Reference> refs, SortedMap<String, SourceInfo> sources) {
        this(refs, sources, new TreeMap<>());
    }

    public static ReferenceSet of(Map<String, Reference> refs) {
        return new ReferenceSet(new TreeMap<>(refs), new TreeMap<>());
    }

    public Optional<Reference> get(String key) {
        return Optional.ofNullable(refs.get(key));
    }

    public Optional<SourceInfo> source(String url) {
        return Optional.ofNullable(sources.get(url));
    }

    public int size() {
        return refs.size();
    }
}
