package io.refcat.store;

/**
 * A request the store cannot answer, with the HTTP status it maps to (once, in the server's
 * exception handler) and a detail naming what was wrong.
 */
public class StoreException extends RuntimeException {
    private final int status;
    private final String title;
    private int retryAfterSeconds;

    public StoreException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public StoreException(int status, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Seconds a client should wait before asking again ({@code Retry-After}), or 0 for no such hint. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Too busy to answer now: 503 with {@code Retry-After}. */
    public static StoreException busy(String what, int retryAfterSeconds) {
        StoreException e = new StoreException(503, "busy", what);
        e.retryAfterSeconds = retryAfterSeconds;
        return e;
    }

    public static StoreException notFound(String what) {
        return new StoreException(404, "not found", what);
    }

    public static StoreException forbidden(String url) {
        return new StoreException(403, "source outside the served roots",
                "a reference points outside the configured --root directories (" + url + "); it is not read");
    }

    public static StoreException sourceChanged(String url, long indexedSize, long size) {
        return new StoreException(409, "source changed since indexing",
                "source " + url + " is " + size + " bytes but was " + indexedSize
                        + " bytes when indexed; re-index it");
    }

    public static StoreException sourceTooShort(String url, long end, long size) {
        return new StoreException(409, "reference past the end of its source",
                "reference to " + url + " ends at byte " + end + " but the source has " + size + " bytes");
    }

    public static StoreException readFailed(String url, Throwable cause) {
        if (cause instanceof io.refcat.store.source.RemoteSourceException r) {
            // its message names the object already
            return switch (r.kind()) {
                case CHANGED -> new StoreException(409, "source changed since indexing", r.getMessage(), r);
                case MISSING -> new StoreException(409, "source missing", r.getMessage() + "; re-index it", r);
                case REFUSED -> new StoreException(502, "source refused access", r.getMessage(), r);
                case FAILED -> new StoreException(502, "source read failed", r.getMessage(), r);
            };
        }
        return new StoreException(502, "source read failed", "reading " + url + " failed: " + cause.getMessage(), cause);
    }

    public static StoreException unsupported(String what) {
        return new StoreException(501, "not supported", what);
    }
}
