package io.refcat.store;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrHierarchy;

/**
 * A served reference set.
 *
 * @param id path of the reference file below the served directory, without {@code .json}
 */
public record Dataset(String id, ReferenceLookup refs, ZarrHierarchy hierarchy) {

    public static Dataset of(String id, ReferenceLookup refs) {
        return new Dataset(id, refs, ZarrHierarchy.of(refs));
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
