package io.refcat.store.source;

import java.io.IOException;

/**
 * A remote object that cannot be read, in refcat's words and naming the object (never a
 * credential): missing, refused, replaced since indexing, or failing after the retries.
 */
public final class RemoteSourceException extends IOException {
    /** What went wrong, which decides the HTTP status the store answers with. */
    public enum Kind {
        /** 404 at the origin. */
        MISSING,
        /** 401/403 at the origin. */
        REFUSED,
        /** Replaced since it was indexed (another version or size). */
        CHANGED,
        /** Still failing after the retries (5xx, 429, timeouts, resets, short bodies). */
        FAILED
    }

    private final Kind kind;
    private final String url;

    public RemoteSourceException(Kind kind, String url, String message, Throwable cause) {
        super(url + ": " + message, cause);
        this.kind = kind;
        this.url = url;
    }

    public RemoteSourceException(Kind kind, String url, String message) {
        this(kind, url, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return url;
    }
}
