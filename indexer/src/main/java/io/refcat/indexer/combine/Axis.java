package io.refcat.indexer.combine;

import io.refcat.reference.cf.CfTime;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.List;
import java.util.Map;

/**
 * What the survey learns from the first file about one concatenation dimension, which the other
 * files are held to and the new coordinate is written from.
 */
final class Axis {
    /** Whether files lack the dimension (each file is then one step along it). */
    boolean lacking;
    /** The paths of the dimension's coordinate variable (one per group holding one). */
    List<String> coordinatePaths;
    /** The first file's coordinate: its units (and their CF time reading), attributes and metadata. */
    String units;
    CfTime time;
    Map<String, Object> attrs;
    ZarrArrayMetadata meta;
    /** For values from names or attributes: whether they are dates. */
    Boolean dateLabels;
}
