package io.refcat.store;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.refcat.reference.ByteSource;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Writes a payload as Zarr clients expect: Content-Length, a strong ETag (If-None-Match → 304),
 * single byte ranges (206/416), HEAD without a body. Source bytes are streamed through a fixed
 * 64 KiB buffer with positional reads, so a request costs the same heap whatever the chunk size.
 */
final class PayloadResponder {
    private static final int BUFFER = 64 * 1024;

    private final SourceResolver resolver;

    PayloadResponder(SourceResolver resolver) {
        this.resolver = resolver;
    }

    void respond(Context ctx, Payload payload) throws IOException {
        ctx.header("Accept-Ranges", "bytes");
        ctx.contentType(payload.contentType());
        if (payload instanceof Payload.Bytes b) {
            respondBytes(ctx, b.data());
        } else if (payload instanceof Payload.Decoded d) {
            respondBytes(ctx, decode(d));
        } else {
            respondSource(ctx, (Payload.SourceRange) payload);
        }
    }

    /** Reads a stored chunk whole (it is bounded by the chunk size) and decodes it. */
    private byte[] decode(Payload.Decoded d) throws IOException {
        Payload.SourceRange p = d.stored();
        byte[] decoded = ChunkDecoder.decode(readWhole(resolver, p), d.chain(), d.skipped(), d.decodedSize(),
                p.url() + " at " + p.offset());
        ByteSwap.inPlace(decoded, 0, decoded.length, d.swapBytes());
        return decoded;
    }

    /**
     * A source range read whole, after checking that the source still has the size it had when
     * indexed and holds the range: a stored chunk, bounded by the chunk size.
     */
    static byte[] readWhole(SourceResolver resolver, Payload.SourceRange p) throws IOException {
        try (ByteSource source = resolver.open(p.url())) {
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
        long length = p.length() < 0 ? size - p.offset() : p.length();
        if (p.offset() + length > size) {
            throw StoreException.sourceTooShort(p.url(), p.offset() + length, size);
        }
        return size;
    }

    private void respondBytes(Context ctx, byte[] data) throws IOException {
        String etag = "\"" + digest(data) + "\"";
        if (notModified(ctx, etag)) {
            return;
        }
        Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), data.length);
        long start = range.map(ByteRange::start).orElse(0L);
        long length = range.map(ByteRange::length).orElse((long) data.length);
        headers(ctx, range, length, data.length);
        if (ctx.method() != HandlerType.HEAD) {
            ctx.outputStream().write(data, (int) start, (int) length);
        }
    }

    private void respondSource(Context ctx, Payload.SourceRange p) throws IOException {
        try (ByteSource source = resolver.open(p.url())) {
            long size = checkedSize(source, p);
            long length = p.length() < 0 ? size - p.offset() : p.length();
            String etag = "\"" + digest((p.url() + "|" + p.offset() + "|" + length + "|" + size + "|" + p.swapBytes())
                    .getBytes(StandardCharsets.UTF_8)) + "\"";
            if (notModified(ctx, etag)) {
                return;
            }
            Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), length);
            long start = range.map(ByteRange::start).orElse(0L);
            long count = range.map(ByteRange::length).orElse(length);
            headers(ctx, range, count, length);
            if (ctx.method() != HandlerType.HEAD) {
                copy(source, p, start, count, ctx.outputStream());
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
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
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

    private static void headers(Context ctx, Optional<ByteRange> range, long length, long total) {
        range.ifPresent(r -> {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + r.start() + "-" + r.endInclusive() + "/" + total);
        });
        ctx.header("Content-Length", Long.toString(length));
    }

    private static boolean notModified(Context ctx, String etag) {
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals("*") || ifNoneMatch.contains(etag))) {
            ctx.status(304);
            return true;
        }
        return false;
    }

    private static String digest(byte[] data) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
