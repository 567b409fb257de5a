package io.refcat.indexer.cf;

import java.util.List;
import java.util.Map;

/**
 * What a catalogue needs to know of a dataset, read from its references with CF conventions.
 *
 * @param attributes the discovery attributes present among title, summary, institution, source,
 *                   keywords, license, comment, references (global attributes, as text)
 * @param time       time coverage, or null where no CF time coordinate was found
 * @param bbox       {@code [west, south, east, north]} in degrees (west &gt; east across the
 *                   antimeridian), or null where no latitude/longitude was found
 * @param dimensions every dimension name with its size and role
 * @param sizeBytes  total size of the source files, where known (else -1)
 * @param chunks     number of chunk references
 */
public record DatasetMetadata(Map<String, String> attributes, TimeCoverage time, double[] bbox,
                              List<Variable> variables, List<Dimension> dimensions, long sizeBytes, long chunks) {

    /** RFC 3339 instants; start equals end for a single time. */
    public record TimeCoverage(String start, String end, String calendar, String variable) {
    }

    /** One array: path, dimension names, Zarr dtype, shape, and its CF description. */
    public record Variable(String path, List<String> dimensions, String dtype, List<Long> shape, String standardName,
                           String longName, String units, boolean coordinate) {
    }

    /**
     * @param axis   {@code x}, {@code y}, {@code t}, or null for other dimensions
     * @param extent {@code [min, max]} as numbers (x, y) or RFC 3339 text (t), or null
     */
    public record Dimension(String name, long size, String axis, List<Object> extent) {
    }
}
