package io.refcat.indexer;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The last word on what a scanner made of a file, whatever the format: every chunk key names a
 * chunk inside the array's grid, every byte range lies inside the source as recorded at scan
 * time, and every name was decodable. A corrupt index structure that got past the scanner would otherwise become a reference
 * no client reads (a key off the grid) or one that reads another file's bytes or nothing; the
 * array is listed under {@code unsupported} with the reason instead, the rest of the file stays.
 */
public final class ReferenceChecks {
    private ReferenceChecks() {
    }

    /** Where a scanner decoded bytes that are not UTF-8 (or ASCII) it substituted this. */
    private static final char UNDECODABLE = '\uFFFD';

    public static VirtualDataset checked(VirtualDataset dataset) {
        List<VirtualArray> kept = new ArrayList<>();
        TreeMap<String, String> unsupported = new TreeMap<>(dataset.unsupported());
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        dataset.groups().forEach((path, attrs) -> {
            if (path.indexOf(UNDECODABLE) >= 0) {
                unsupported.put(path, NOT_UTF8);
            } else {
                groups.put(path, attrs);
            }
        });
        for (VirtualArray a : dataset.arrays()) {
            Optional<String> problem = problem(a, dataset.sources());
            if (problem.isPresent()) {
                unsupported.put(a.path(), problem.get());
            } else {
                kept.add(a);
            }
        }
        if (kept.size() == dataset.arrays().size() && groups.size() == dataset.groups().size()) {
            return dataset;
        }
        return new VirtualDataset(groups, kept, dataset.sources(), unsupported);
    }

    private static final String NOT_UTF8 = "its name is not valid UTF-8 as stored: a client could not ask for it"
            + " by the file's name (the file is corrupt, or names it in another encoding)";

    private static Optional<String> problem(VirtualArray a, Map<String, ReferenceSet.SourceInfo> sources) {
        if (a.path().indexOf(UNDECODABLE) >= 0) {
            return Optional.of(NOT_UTF8);
        }
        ZarrArrayMetadata meta = a.metadata();
        long[] grid = meta.chunkGrid();
        for (Map.Entry<String, Reference> e : a.chunks().entrySet()) {
            if (!onGrid(e.getKey(), meta.dimensionSeparator(), grid)) {
                return Optional.of("its chunk index is corrupt: chunk key " + e.getKey() + " lies outside the grid "
                        + Arrays.toString(grid) + " of chunks");
            }
            if (e.getValue() instanceof Reference.Range r) {
                ReferenceSet.SourceInfo source = sources.get(r.url());
                if (source != null && source.size() >= 0 && r.end() > source.size()) {
                    return Optional.of("chunk " + e.getKey() + " at byte " + r.offset() + " (" + r.length()
                            + " bytes) runs past the end of " + r.url() + " (" + source.size() + " bytes)");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a key is canonical decimal chunk indices, one per dimension, inside the grid. Read
     * character by character: a regular expression per key cost a file of 1,000 chunks a sixth of
     * its indexing time.
     */
    static boolean onGrid(String key, String separator, long[] grid) {
        if (grid.length == 0) {
            return key.equals("0");
        }
        if (separator.length() != 1) {
            return false;
        }
        char sep = separator.charAt(0);
        int n = key.length();
        int dim = 0;
        for (int at = 0; ; at++) {
            int start = at;
            long index = 0;
            for (; at < n && key.charAt(at) != sep; at++) {
                char c = key.charAt(at);
                if (c < '0' || c > '9' || at - start >= 18) {
                    return false;
                }
                index = index * 10 + (c - '0');
            }
            int digits = at - start;
            // An empty dimension still has one (empty) chunk in Zarr v2's grid.
            if (digits == 0 || (digits > 1 && key.charAt(start) == '0') || dim >= grid.length
                    || index >= Math.max(1, grid[dim])) {
                return false;
            }
            dim++;
            if (at == n) {
                return dim == grid.length;
            }
        }
    }
}
