package io.refcat.store.source;

import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object on an HTTP(S) server read by {@code Range} requests ({@code java.net.http}: keep-alive,
 * HTTP/2 where a TLS server offers it). Every answer is checked: a 206 must carry the
 * {@code Content-Range} asked for and the object's size as indexed; a body shorter than promised
 * is retried, as are 5xx, 429 and timeouts (see {@link Retries}). Where the object's version is
 * known (its {@code ETag}, else its {@code Last-Modified}) every read requires it
 * ({@code If-Match} / {@code If-Unmodified-Since}), so an object replaced since indexing is an error
 * naming it, never other bytes. S3 objects are read the same way, at the address the SDK gives
 * them, signed, through the SDK's HTTP client ({@link S3Access}).
 */
public final class HttpByteSource extends RemoteByteSource {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    static final String LAST_MODIFIED = "last-modified:";

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,64})</Code>");

    /**
     * How requests for an object travel: {@link #jdk} for HTTP(S) objects; for S3 objects the
     * SDK's HTTP client with SigV4 ({@link S3Access}). Failures to get an answer are IOExceptions.
     */
    interface Transport {
        Answer send(String method, URI uri, Map<String, String> headers) throws IOException;
    }

    /** An answer's status, its headers by name (any case) and its body. */
    record Answer(int status, Function<String, Optional<String>> headers, InputStream body) {
        Optional<String> header(String name) {
            return headers.apply(name);
        }
    }

    /** {@code java.net.http}: keep-alive, HTTP/2 where a TLS server offers it, no h2c upgrade on cleartext. */
    static Transport jdk(HttpClient client, Duration timeout) {
        return (method, uri, headers) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout);
            headers.forEach(request::header);
            if (uri.getScheme().equals("http")) {
                request.version(HttpClient.Version.HTTP_1_1);
            }
            try {
                HttpResponse<InputStream> r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                return new Answer(r.statusCode(), r.headers()::firstValue, r.body());
            } catch (HttpTimeoutException e) {
                throw new HttpTimeoutException(timeout.toMillis() + " ms passed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        };
    }

    private final Transport transport;
    private final URI location;

    private HttpByteSource(Transport transport, String url, URI location, long size, String version, Instant modified,
                           Retries retries, SourceCounter counter) {
        super(url, size, version, modified, retries, counter);
        this.transport = transport;
        this.location = location;
    }

    /**
     * Opens an object: with what was recorded at indexing (size and version) no request is made
     * here, the reads check it; otherwise one {@code HEAD} learns them.
     */
    static HttpByteSource open(Transport transport, String url, URI location, ReferenceSet.SourceInfo indexed,
                               Retries retries, SourceCounter counter) throws IOException {
        if (indexed != null && indexed.size() >= 0) {
            return new HttpByteSource(transport, url, location, indexed.size(), indexed.version(), modifiedOf(indexed.version()),
                    retries, counter);
        }
        HttpByteSource probe = new HttpByteSource(transport, url, location, -1, null, null, retries, counter);
        Answer head = retries.run(url, () -> probe.send("HEAD", Map.of(), 0));
        head.body().close();
        long length = contentLength(head);
        if (length < 0) {
            throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, "the server gives no Content-Length");
        }
        Optional<String> etag = head.header("ETag").filter(t -> !t.startsWith("W/"));
        Optional<String> lastModified = head.header("Last-Modified");
        String version = etag.orElse(lastModified.map(m -> LAST_MODIFIED + m).orElse(null));
        return new HttpByteSource(transport, url, location, length, version, modifiedOf(version), retries, counter);
    }

    /** The answer's Content-Length; -1 where it gives none, or one that is not a length. */
    private static long contentLength(Answer r) {
        try {
            return r.header("Content-Length").map(v -> Long.parseLong(v.trim())).filter(n -> n >= 0).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Range", "bytes=" + first + "-" + last);
        if (version != null && modified == null) {
            headers.put("If-Match", version);
        } else if (version != null) {
            headers.put("If-Unmodified-Since", version.substring(LAST_MODIFIED.length()));
        }
        Answer r = send("GET", headers, last - first + 1);
        InputStream body = r.body();
        try {
            if (r.status() == 206) {
                checkRange(r, first, last);
            } else {
                // 200: a server that ignores Range sends the whole object; it must be the indexed one
                long length = contentLength(r);
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

    private void checkRange(Answer r, long first, long last) throws IOException {
        String header = r.header("Content-Range").orElse("");
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
    private Answer send(String method, Map<String, String> headers, long expected) throws IOException {
        long t0 = System.nanoTime();
        Answer r;
        try {
            r = transport.send(method, location, headers);
        } catch (HttpTimeoutException | SocketTimeoutException e) {
            counter.failure();
            throw new Retries.Transient("no answer in time: " + e.getMessage(), null, e);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            counter.failure();
            throw new Retries.Transient("the connection failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null, e);
        }
        int status = r.status();
        counter.request(status / 100 == 2 ? expected : 0, System.nanoTime() - t0);
        if (status / 100 == 2) {
            return r;
        }
        String what = "HTTP " + status + errorCode(r);
        counter.failure();
        switch (status) {
            case 404, 410 -> throw new RemoteSourceException(RemoteSourceException.Kind.MISSING, url, "no such object (" + what + ")");
            case 401, 403 -> throw new RemoteSourceException(RemoteSourceException.Kind.REFUSED, url, "access refused (" + what + ")");
            case 412 -> throw changed("the server no longer has version " + version);
            case 416 -> throw changed("the range is past its end");
            case 408, 429, 500, 502, 503, 504 -> throw new Retries.Transient(what, retryAfter(r.header("Retry-After")), null);
            default -> throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, what);
        }
    }

    /** S3's error code from an XML error body ({@code <Code>SlowDown</Code>}), read no further than 4 KiB; else nothing. */
    private static String errorCode(Answer r) {
        try (InputStream body = r.body()) {
            if (!r.header("Content-Type").orElse("").contains("xml")) {
                return "";
            }
            Matcher m = ERROR_CODE.matcher(new String(body.readNBytes(4096), StandardCharsets.UTF_8));
            return m.find() ? " " + m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static Duration retryAfter(Optional<String> header) {
        return header.map(v -> {
            try {
                return Duration.ofSeconds(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }
}
