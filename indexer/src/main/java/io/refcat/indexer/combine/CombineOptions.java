package io.refcat.indexer.combine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to combine.
 *
 * @param concatDims   dimensions to concatenate along, in the order of the output's leading
 *                     dimensions where a file lacks them (then each file is one step along them)
 * @param identical    variables taken from the first file unchanged, never concatenated
 * @param coordinates  where each concatenation dimension's values come from (default: the files'
 *                     own coordinate variable of the dimension's name)
 * @param strict       fail the run on the first file or variable that cannot be combined, instead
 *                     of leaving it out and reporting it
 * @param memoryBudget bytes of chunk references held in memory; the rest wait in a temporary file
 * @param tempDir      where that temporary file goes
 */
public record CombineOptions(List<String> concatDims, Set<String> identical, Map<String, CoordinateRule> coordinates,
                             boolean strict, long memoryBudget, Path tempDir) {
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    public CombineOptions {
        concatDims = List.copyOf(concatDims);
        identical = Set.copyOf(identical);
        coordinates = Map.copyOf(coordinates);
        if (concatDims.isEmpty()) {
            throw new IllegalArgumentException("at least one concatenation dimension is needed");
        }
        if (concatDims.stream().distinct().count() != concatDims.size()) {
            throw new IllegalArgumentException("concatenation dimensions repeat: " + concatDims);
        }
        for (String d : coordinates.keySet()) {
            if (!concatDims.contains(d)) {
                throw new IllegalArgumentException("coordinate source given for '" + d + "', which is not a concat dimension");
            }
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0");
        }
    }

    CoordinateRule rule(String dim) {
        return coordinates.getOrDefault(dim, new CoordinateRule.FromVariable());
    }
}
