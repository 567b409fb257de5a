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

    private static boolean onGrid(String key, String separator, long[] grid) {
        if (grid.length == 0) {
            return key.equals("0");
        }
        String[] parts = key.split(java.util.regex.Pattern.quote(separator), -1);
        if (parts.length != grid.length) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            long index;
            try {
                index = Long.parseLong(parts[i]);
            } catch (NumberFormatException notANumber) {
                return false;
            }
            // An empty dimension still has one (empty) chunk in Zarr v2's grid.
            if (index < 0 || index >= Math.max(1, grid[i]) || !parts[i].equals(Long.toString(index))) {
                return false;
            }
        }
        return true;
    }
}
