package io.refcat.indexer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Which file names may hold data, for deciding what a directory walk reports. A file found in a
 * directory with no known signature is skipped (and counted) when its name says it is something
 * else ({@code README.md}, {@code notes.txt}, {@code LICENSE}); with a data extension
 * ({@code .nc}, {@code .grib2}, …) or no extension at all it may be a damaged data file, and is
 * reported as a failure. A file named on the command line is always reported.
 */
public final class DataFileNames {
    private static final Set<String> DATA_EXTENSIONS = Set.of("nc", "nc3", "nc4", "ncf", "netcdf", "cdf", "h5", "hdf5",
            "hdf", "he5", "h5nc", "grib", "grb", "grib1", "grib2", "grb1", "grb2", "gb", "gb1", "gb2", "grib_", "bin");
    private static final Set<String> DOCUMENT_NAMES = Set.of("readme", "license", "licence", "copying", "notice",
            "changes", "changelog", "authors", "makefile", "manifest");

    private DataFileNames() {
    }

    /** Whether a file without a known signature is plainly not data, by its name. */
    public static boolean plainlyNotData(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return DOCUMENT_NAMES.contains(name);
        }
        return !DATA_EXTENSIONS.contains(name.substring(dot + 1));
    }
}
