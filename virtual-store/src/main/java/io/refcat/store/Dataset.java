package io.refcat.store;

import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.time.Instant;
import java.util.Map;

/**
 * A served reference set.
 *
 * @param id           path of the reference file below the served directory, without {@code .json}
 * @param revision     which version of the references this is, for ETags and {@code Last-Modified}
 * @param localSources the local files the references name, by their {@code /files} token ({@link SourceUrls})
 */
public record Dataset(String id, ReferenceLookup refs, ZarrHierarchy hierarchy, Revision revision,
                      Map<String, String> localSources) {

    /**
     * A version of a dataset's references: a tag that changes whenever they do, and when they were
     * written.
     */
    public record Revision(String tag, Instant modified) {
        /** For references built in memory, which never change while served. */
        public static final Revision FIXED = new Revision("fixed", Instant.EPOCH);
    }

    public static Dataset of(String id, ReferenceLookup refs) {
        return of(id, refs, Revision.FIXED);
    }

    public static Dataset of(String id, ReferenceLookup refs, Revision revision) {
        return new Dataset(id, refs, ZarrHierarchy.of(refs), revision, SourceUrls.byToken(refs));
    }
}
