package io.refcat.indexer.grib;

/** A GRIB field refcat cannot describe (a template or unit it lacks); the rest of the file goes on. */
final class GribFieldException extends Exception {
    GribFieldException(String reason) {
        super(reason);
    }
}
