package io.refcat.indexer.hdf5;

/** A dataset refcat cannot reference (a type, filter or layout it lacks); the file goes on. */
final class UnsupportedVariableException extends Exception {
    UnsupportedVariableException(String reason) {
        super(reason);
    }
}
