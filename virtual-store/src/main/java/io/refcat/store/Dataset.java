package io.refcat.store;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.time.Instant;

/**
 * A served reference set.
 *
 * @param id       path of the reference file below the served directory, without {@code .json}
 * @param revision which version of the references this is, for ETags and {@code Last-Modified}
 */
public record Dataset(String id, ReferenceLookup refs, ZarrHierarchy hierarchy, Revision revision) {

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
        return new Dataset(id, refs, ZarrHierarchy.of(refs), revision);
    }

    /** The source file(s) the dataset points into, for listings: the first one referenced. */
    public String source() {
        if (!refs.sources().isEmpty()) {
            return refs.sources().firstKey();
        }
        if (refs instanceof ReferenceSet set) {
            return set.refs().values().stream().map(KerchunkJson::urlOf).filter(u -> u != null).findFirst().orElse(null);
        }
        return null;
    }
}
