package io.refcat.indexer;

/** A source with none of the signatures refcat knows: not NetCDF, HDF5 or GRIB at all. */
public final class UnknownFormatException extends UnsupportedFormatException {
    public UnknownFormatException(String source, String reason) {
        super(source, reason);
    }
}
