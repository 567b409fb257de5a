package io.refcat.store.source;

import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object on an HTTP(S) server read by {@code Range} requests ({@code java.net.http}: keep-alive,
 * HTTP/2 where a TLS server offers it). Every answer is checked: a 206 must carry the
 * {@code Content-Range} asked for and the object's size as indexed; a body shorter than promised
 * is retried, as are 5xx, 429 and timeouts (see {@link Retries}). Where the object's version is
 * known (its {@code ETag}, else its {@code Last-Modified}) every read requires it
 * ({@code If-Match} / {@code If-Unmodified-Since}), so an object replaced since indexing is an error
 * naming it, never other bytes.
 */
public final class HttpByteSource extends RemoteByteSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    static final String LAST_MODIFIED = "last-modified:";

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;

    private HttpByteSource(HttpClient client, String url, long size, String version, Instant modified, Retries retries,
                           Duration timeout, SourceCounter counter) {
        super(url, size, version, modified, retries, counter);
        this.client = client;
        this.uri = URI.create(url);
        this.timeout = timeout;
    }

    /**
     * Opens an object: with what was recorded at indexing (size and version) no request is made
     * here, the reads check it; otherwise one {@code HEAD} learns them.
     */
    static HttpByteSource open(HttpClient client, String url, ReferenceSet.SourceInfo indexed, Retries retries,
                               Duration timeout, SourceCounter counter) throws IOException {
        if (indexed != null && indexed.size() >= 0) {
            return new HttpByteSource(client, url, indexed.size(), indexed.version(), modifiedOf(indexed.version()), retries,
                    timeout, counter);
        }
        HttpByteSource probe = new HttpByteSource(client, url, -1, null, null, retries, timeout, counter);
        HttpResponse<InputStream> head = retries.run(url, () -> probe.send(HttpRequest.newBuilder(probe.uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), 0));
        HttpHeaders h = head.headers();
        long length = h.firstValueAsLong("Content-Length").orElseThrow(() ->
                new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, "the server gives no Content-Length"));
        Optional<String> etag = h.firstValue("ETag").filter(t -> !t.startsWith("W/"));
        Optional<String> lastModified = h.firstValue("Last-Modified");
        String version = etag.orElse(lastModified.map(m -> LAST_MODIFIED + m).orElse(null));
        return new HttpByteSource(client, url, length, version, modifiedOf(version), retries, timeout, counter);
    }

    private static Instant modifiedOf(String version) {
        if (version == null || !version.startsWith(LAST_MODIFIED)) {
            return null;
        }
        try {
            return ZonedDateTime.parse(version.substring(LAST_MODIFIED.length()), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    InputStream range(long first, long last) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Range", "bytes=" + first + "-" + last);
        if (version != null && modified == null) {
            request.header("If-Match", version);
        } else if (version != null) {
            request.header("If-Unmodified-Since", version.substring(LAST_MODIFIED.length()));
        }
        HttpResponse<InputStream> r = send(request, last - first + 1);
        InputStream body = r.body();
        try {
            if (r.statusCode() == 206) {
                checkRange(r.headers(), first, last);
            } else {
                // 200: a server that ignores Range sends the whole object; it must be the indexed one
                long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (length != size) {
                    throw changed("its length is " + length + " bytes, not the " + size + " indexed");
                }
                body.skipNBytes(first);
            }
            return body;
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private void checkRange(HttpHeaders h, long first, long last) throws IOException {
        String header = h.firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header);
        if (!m.matches() || Long.parseLong(m.group(1)) != first || Long.parseLong(m.group(2)) != last) {
            throw new Retries.Transient("the server answered bytes '" + header + "' for " + first + "-" + last, null, null);
        }
        if (!m.group(3).equals("*") && Long.parseLong(m.group(3)) != size) {
            throw changed("it is " + m.group(3) + " bytes, not the " + size + " indexed");
        }
    }

    private RemoteSourceException changed(String why) {
        return new RemoteSourceException(RemoteSourceException.Kind.CHANGED, url, "the object changed since it was indexed ("
                + why + "); re-index it");
    }

    /** Sends a request; statuses that will not get better are errors, those that may are {@link Retries.Transient}. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request, long expected) throws IOException {
        if (uri.getScheme().equals("http")) {
            request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on cleartext
        }
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r;
        try {
            r = client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            counter.failure();
            throw new Retries.Transient("no answer within " + timeout.toMillis() + " ms", null, e);
        } catch (IOException e) {
            counter.failure();
            throw new Retries.Transient("the connection failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        int status = r.statusCode();
        counter.request(status / 100 == 2 ? expected : 0, System.nanoTime() - t0);
        if (status / 100 == 2) {
            return r;
        }
        r.body().close();
        counter.failure();
        switch (status) {
            case 404, 410 -> throw new RemoteSourceException(RemoteSourceException.Kind.MISSING, url, "no such object (HTTP " + status + ")");
            case 401, 403 -> throw new RemoteSourceException(RemoteSourceException.Kind.REFUSED, url, "access refused (HTTP " + status + ")");
            case 412 -> throw changed("the server no longer has version " + version);
            case 416 -> throw changed("the range is past its end");
            case 408, 429, 500, 502, 503, 504 -> throw new Retries.Transient("HTTP " + status, retryAfter(r.headers()), null);
            default -> throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, "HTTP " + status);
        }
    }

    static Duration retryAfter(HttpHeaders h) {
        return h.firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
