package io.refcat.indexer;

import java.io.IOException;

/**
 * A source that cannot be indexed, with the file and, where known, the byte offset of what was
 * wrong: {@code data.nc: at 0x1a4: variable 'x' ...}.
 */
public class ScanException extends IOException {
    private final String source;
    private final long offset;

    public ScanException(String source, long offset, String reason) {
        this(source, offset, reason, null);
    }

    public ScanException(String source, long offset, String reason, Throwable cause) {
        super(source + (offset >= 0 ? ": at 0x" + Long.toHexString(offset) : "") + ": " + reason, cause);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    /** Byte offset of the problem, or -1 where it concerns the file as a whole. */
    public long offset() {
        return offset;
    }

    /** The message without the source name, for reports that already show it. */
    public String reason() {
        String prefix = source + ": ";
        String m = getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
