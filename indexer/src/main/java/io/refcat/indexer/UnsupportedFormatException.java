package io.refcat.indexer;

/** A source whose format refcat does not recognise, or recognises but cannot index yet. */
public class UnsupportedFormatException extends ScanException {
    public UnsupportedFormatException(String source, String reason) {
        super(source, -1, reason);
    }
}
