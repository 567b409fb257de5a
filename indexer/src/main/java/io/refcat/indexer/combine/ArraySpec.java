package io.refcat.indexer.combine;

import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One variable as the first file holding it has it (the canonical form others are checked
 * against), plus what the survey learns about it across files.
 */
final class ArraySpec {
    final int id;
    final String path;
    final ZarrArrayMetadata meta;
    final List<String> dims;
    final Map<String, Object> attrs;
    final Map<String, String> signature;
    /** Content fingerprint in the first file, for variables that may or may not vary between files. */
    final byte[] fingerprint;
    /** Whether some file's content differs from the first's (or could not be compared). */
    boolean varies;
    String unsupported;

    ArraySpec(int id, String path, ZarrArrayMetadata meta, List<String> dims, Map<String, Object> attrs,
              Map<String, String> signature, byte[] fingerprint) {
        this.id = id;
        this.path = path;
        this.meta = meta;
        this.dims = List.copyOf(dims);
        this.attrs = attrs;
        this.signature = signature;
        this.fingerprint = fingerprint;
        this.varies = fingerprint == null;
    }

    void compareContent(byte[] other) {
        if (other == null || !Arrays.equals(fingerprint, other)) {
            varies = true;
        }
    }

    /** The first difference of another file's signature from this one, or null. */
    String difference(Map<String, String> other) {
        for (Map.Entry<String, String> e : signature.entrySet()) {
            String theirs = other.get(e.getKey());
            if (!Objects.equals(e.getValue(), theirs)) {
                return "variable '" + path + "': " + e.getKey() + " " + theirs + " where the first file has " + e.getValue();
            }
        }
        return null;
    }

    String name() {
        int slash = path.lastIndexOf('/');
        return path.substring(slash + 1);
    }
}
