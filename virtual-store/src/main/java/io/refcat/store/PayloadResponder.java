package io.refcat.store;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.refcat.reference.ByteSource;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.OpenFiles;
import io.refcat.store.source.SourceResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.jetty.server.HttpOutput;

/**
 * Writes a payload as Zarr clients expect: Content-Length, a strong ETag (If-None-Match → 304),
 * {@code Last-Modified} (If-Modified-Since → 304), {@code Cache-Control}, single byte ranges
 * (206/416), HEAD without a body. Source bytes are streamed through a fixed 64 KiB buffer with
 * positional reads, so a request costs the same heap whatever the chunk size.
 *
 * <p>Decision: chunks may be cached for an hour ({@link #CHUNK_CACHE}); a re-indexed dataset's
 * chunks carry new ETags, so a client revalidating gets the new bytes. Metadata (and the
 * references, and STAC responses) may be cached for ten seconds and must then be revalidated
 * ({@link #METADATA_CACHE}), so clients see a replaced dataset quickly and cheaply (304s).
 */
final class PayloadResponder {
    static final String CHUNK_CACHE = "public, max-age=3600";
    static final String METADATA_CACHE = "public, max-age=10, must-revalidate";
    private static final int BUFFER = 64 * 1024;
    /** RFC 9110's IMF-fixdate (two-digit day), which RFC_1123_DATE_TIME does not pad. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            java.util.Locale.US);

    /** The last date formatted: the chunks of a file share its modification time. */
    private static volatile HttpDate lastDate = new HttpDate(Instant.EPOCH, "");

    private record HttpDate(Instant seconds, String text) {
    }

    private static String httpDate(Instant t) {
        HttpDate last = lastDate;
        Instant seconds = t.truncatedTo(ChronoUnit.SECONDS);
        if (!last.seconds().equals(seconds) || last.text().isEmpty()) {
            last = new HttpDate(seconds, HTTP_DATE.format(seconds.atZone(ZoneOffset.UTC)));
            lastDate = last;
        }
        return last.text();
    }

    private final SourceResolver resolver;
    private final DecodeBudget decoding;

    PayloadResponder(SourceResolver resolver, DecodeBudget decoding) {
        this.resolver = resolver;
        this.decoding = decoding;
    }

    void respond(Context ctx, Payload payload, Dataset.Revision revision) throws IOException {
        if (payload instanceof Payload.SourceRange p) {
            respondStored(ctx.req(), ctx.res(), p);
            return;
        }
        ctx.header("Accept-Ranges", "bytes");
        ctx.contentType(payload.contentType());
        if (payload instanceof Payload.Bytes b) {
            boolean metadata = b.contentType().startsWith("application/json");
            ctx.header("Cache-Control", metadata ? METADATA_CACHE : CHUNK_CACHE);
            respondBytes(ctx, b.data(), revision.modified());
        } else {
            ctx.header("Cache-Control", CHUNK_CACHE);
            respondDecoded(ctx, (Payload.Decoded) payload, revision.modified());
        }
    }

    /**
     * Reads a stored chunk whole (it is bounded by the chunk size) and decodes it, within the
     * server's decode budget; the lease is held until the bytes are written out.
     */
    private void respondDecoded(Context ctx, Payload.Decoded d, Instant modified) throws IOException {
        Payload.SourceRange p = d.stored();
        String where = p.url() + " at " + p.offset();
        long stored = p.length() >= 0 ? p.length() : Math.max(0, p.indexedSize() - p.offset());
        long working = ChunkDecoder.workingBytes(stored, d.chain(), d.skipped(), d.decodedSize())
                + (d.recoding() instanceof Recoding.Swap ? 0 : d.decodedSize());
        try (DecodeBudget.Lease lease = decoding.reserve(working, where)) {
            byte[] data = d.recoding().apply(ChunkDecoder.decode(readWhole(resolver, p), d.chain(), d.skipped(),
                    d.decodedSize(), where));
            respondBytes(ctx, data, modified);
        }
    }

    /**
     * A source range read whole, after checking that the source still has the size it had when
     * indexed and holds the range: a stored chunk, bounded by the chunk size.
     */
    static byte[] readWhole(SourceResolver resolver, Payload.SourceRange p) throws IOException {
        try (ByteSource source = resolver.open(p.url(), p.indexed())) {
            long size = checkedSize(source, p);
            long length = p.length() < 0 ? size - p.offset() : p.length();
            if (length > Integer.MAX_VALUE) {
                throw StoreException.unsupported("a stored chunk of " + length + " bytes is too large to decode");
            }
            try {
                return source.read(p.offset(), (int) length);
            } catch (IOException e) {
                throw StoreException.readFailed(p.url(), e);
            }
        }
    }

    private static long checkedSize(ByteSource source, Payload.SourceRange p) throws IOException {
        long size = source.size();
        if (p.indexedSize() >= 0 && size != p.indexedSize()) {
            throw StoreException.sourceChanged(p.url(), p.indexedSize(), size);
        }
        String indexed = p.indexed().version();
        String now = indexed == null ? null : source.version().orElse(null);
        if (indexed != null && !indexed.equals(now)) {
            // the same size but another file (or another object): never serve its bytes as the indexed ones
            throw new StoreException(409, "source changed since indexing", "source " + p.url() + " changed since it was "
                    + "indexed (" + indexed + ", now " + now + "); re-index it");
        }
        long length = p.length() < 0 ? size - p.offset() : p.length();
        if (p.offset() + length > size) {
            throw StoreException.sourceTooShort(p.url(), p.offset() + length, size);
        }
        return size;
    }

    private void respondBytes(Context ctx, byte[] data, Instant modified) throws IOException {
        String etag = "\"" + Digests.hex(data, 24) + "\"";
        if (notModified(ctx, etag, modified)) {
            return;
        }
        Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), data.length);
        if (range.isEmpty() && ctx.method() == HandlerType.GET && ctx.res().getContentType().startsWith("application/json")) {
            ctx.result(data); // whole: Javalin sets the length, or compresses it for clients that ask
            return;
        }
        long start = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse((long) data.length);
        headers(ctx.res(), range, length, data.length);
        if (ctx.method() != HandlerType.HEAD) {
            // Now, not after the handler: a decoded chunk's budget lease is held until it is out.
            // A range counts stored bytes, so it goes out uncompressed, past Javalin's compressing stream.
            ctx.res().getOutputStream().write(data, (int) start, (int) length);
        }
    }

    /**
     * A chunk as stored in its source (byte-swapped where the view asks): on the servlet's request
     * and response, so that {@link ChunkLane} answers it exactly as the app does.
     */
    void respondStored(HttpServletRequest req, HttpServletResponse res, Payload.SourceRange p) throws IOException {
        res.setHeader("Accept-Ranges", "bytes");
        res.setContentType(p.contentType());
        res.setHeader("Cache-Control", CHUNK_CACHE);
        try (ByteSource source = resolver.open(p.url(), p.indexed())) {
            long size = checkedSize(source, p);
            long length = p.length() < 0 ? size - p.offset() : p.length();
            Instant modified = source.lastModified().orElse(null);
            // The modification time is part of the tag: a source replaced by another of the same size
            // must not be taken for the one a client cached.
            String etag = "\"" + Digests.hex(p.url() + "|" + p.offset() + "|" + length + "|" + size + "|" + p.swapBytes()
                    + "|" + modified + "|" + p.indexed().version(), 24) + "\"";
            if (notModified(req, res, etag, modified)) {
                return;
            }
            Optional<ByteRange> range = ByteRange.parse(req.getHeader("Range"), length);
            long start = range.map(ByteRange::start).orElse(0L);
            long count = range.map(ByteRange::length).orElse(length);
            headers(res, range, count, length);
            if (!req.getMethod().equals("HEAD")) {
                // Stored bytes with their own Content-Length: past Javalin's compressing stream; as
                // stored, straight from the file's mapping to the socket (Jetty writes a mapped
                // buffer as it is).
                OutputStream out = res.getOutputStream();
                Optional<ByteBuffer> mapped = p.swapBytes() == 1 && source instanceof OpenFiles.Mapped m
                        && out instanceof HttpOutput ? m.mapped(p.offset() + start, count) : Optional.empty();
                if (mapped.isPresent()) {
                    ((HttpOutput) out).sendContent(mapped.get());
                } else {
                    copy(source, p, start, count, out);
                }
            }
        }
    }

    /**
     * Streams {@code count} bytes from {@code start} (relative to the payload) in buffer-sized
     * reads. With byte swapping, reads are widened to whole elements, swapped, then trimmed.
     */
    private static void copy(ByteSource source, Payload.SourceRange p, long start, long count, OutputStream out)
            throws IOException {
        int item = p.swapBytes();
        long from = start - start % item;
        long to = start + count;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, to - from + item)); // a small chunk, a small buffer
        for (long at = from; at < to; ) {
            long end = Math.min(to, at + BUFFER);
            if (item > 1 && end % item != 0) {
                end += item - end % item;
            }
            int n = (int) (end - at);
            buf.clear().limit(n);
            try {
                source.read(p.offset() + at, buf);
            } catch (IOException e) {
                throw StoreException.readFailed(p.url(), e);
            }
            ByteSwap.inPlace(buf.array(), 0, n, item);
            int skip = (int) Math.max(0, start - at);
            out.write(buf.array(), skip, (int) (Math.min(end, to) - at) - skip);
            at = end;
        }
    }

    private static void headers(HttpServletResponse res, Optional<ByteRange> range, long length, long total) {
        range.ifPresent(r -> {
            res.setStatus(206);
            res.setHeader("Content-Range", "bytes " + r.start() + "-" + r.endInclusive() + "/" + total);
        });
        res.setHeader("Content-Length", Long.toString(length));
    }

    /**
     * Sets {@code ETag} and {@code Last-Modified} (where known) and answers 304 when the client's
     * copy is current: If-None-Match decides where present (RFC 9110 13.2.2), else If-Modified-Since.
     */
    static boolean notModified(Context ctx, String etag, Instant modified) {
        return notModified(ctx.req(), ctx.res(), etag, modified);
    }

    private static boolean notModified(HttpServletRequest req, HttpServletResponse res, String etag, Instant modified) {
        res.setHeader("ETag", etag);
        boolean known = modified != null && modified.isAfter(Instant.EPOCH);
        if (known) {
            res.setHeader("Last-Modified", httpDate(modified));
        }
        String ifNoneMatch = req.getHeader("If-None-Match");
        boolean current;
        if (ifNoneMatch != null) {
            current = ifNoneMatch.equals("*") || ifNoneMatch.contains(etag);
        } else {
            String since = req.getHeader("If-Modified-Since");
            current = known && since != null && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since(since));
        }
        if (current) {
            res.setStatus(304);
        }
        return current;
    }

    private static Instant since(String header) {
        try {
            return ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // an unreadable date is ignored (RFC 9110 13.1.3): the full answer follows
        }
    }
}
