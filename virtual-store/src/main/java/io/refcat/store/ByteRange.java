package io.refcat.store;

import java.util.Optional;

/**
 * One satisfiable range of an HTTP {@code Range: bytes=...} header, resolved against a length.
 * Multi-range requests are answered with the whole body, which RFC 9110 allows.
 */
record ByteRange(long start, long endInclusive) {

    long length() {
        return endInclusive - start + 1;
    }

    /**
     * @return empty for no header, a multi-range or a non-bytes unit (serve everything)
     * @throws StoreException 416 when the range cannot be satisfied
     */
    static Optional<ByteRange> parse(String header, long total) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw unsatisfiable(header, total);
                }
                start = Math.max(0, total - suffix);
                end = total - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? total - 1 : Math.min(Long.parseLong(last), total - 1);
            }
            if (start < 0 || start >= total || end < start) {
                throw unsatisfiable(header, total);
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static StoreException unsatisfiable(String header, long total) {
        return new StoreException(416, "range not satisfiable", "'" + header + "' for a body of " + total + " bytes");
    }
}
