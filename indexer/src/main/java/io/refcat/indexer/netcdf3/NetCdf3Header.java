package io.refcat.indexer.netcdf3;

import java.util.List;
import java.util.Map;

/**
 * The parsed header of a NetCDF3 file (classic, 64-bit offset or CDF5), per the "NetCDF Classic
 * and 64-bit Offset Format" and "CDF-5" specifications. Offsets are absolute file positions.
 *
 * @param numrecs     number of records, already resolved when the file said STREAMING
 * @param streaming   whether the header's numrecs was STREAMING (all ones)
 * @param headerEnd   first byte after the header
 */
record NetCdf3Header(int version, long numrecs, boolean streaming, List<Dimension> dimensions,
                     Map<String, Object> attributes, List<Variable> variables, long headerEnd) {

    record Dimension(String name, long length, boolean unlimited) {
    }

    /**
     * @param dimensionIds indices into the header's dimensions, outermost first
     * @param begin        absolute offset of the data (of the first record, for record variables)
     * @param beginField   where {@code begin} itself was read, for error messages
     */
    record Variable(String name, int[] dimensionIds, Map<String, Object> attributes, NetCdf3Type type,
                    long begin, long beginField) {
    }
}
