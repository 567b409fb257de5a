package io.refcat.reference;

/** A reference set or Zarr metadata document that does not follow its specification. */
public class ReferenceFormatException extends RuntimeException {
    public ReferenceFormatException(String message) {
        super(message);
    }

    public ReferenceFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ReferenceFormatException badKey(String key, String why) {
        return new ReferenceFormatException("reference '" + key + "': " + why);
    }
}
