package io.refcat.store.source;

import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 object ({@code s3://bucket/key}, as kerchunk writes it) read by ranged {@code GetObject}
 * with the AWS SDK for Java v2. Retries are refcat's own ({@link Retries}, the SDK's are off) so
 * that S3 and HTTP sources fail and count alike; the object's ETag recorded at indexing is sent as
 * {@code If-Match} on every read, so a replaced object is an error naming it.
 */
public final class S3ByteSource extends RemoteByteSource {
    private final S3Client s3;
    private final String bucket;
    private final String key;

    private S3ByteSource(S3Client s3, String url, long size, String etag, Instant modified, Retries retries,
                         SourceCounter counter) {
        super(url, size, etag, modified, retries, counter);
        this.s3 = s3;
        S3Url parsed = S3Url.parse(url);
        this.bucket = parsed.bucket();
        this.key = parsed.key();
    }

    /** An {@code s3://bucket/key} URL's parts. */
    public record S3Url(String bucket, String key) {
        public static S3Url parse(String url) {
            if (!url.startsWith("s3://")) {
                throw new IllegalArgumentException("not an s3:// URL: " + url);
            }
            String rest = url.substring(5);
            int slash = rest.indexOf('/');
            return slash < 0 ? new S3Url(rest, "") : new S3Url(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    static S3ByteSource open(S3Client s3, String url, ReferenceSet.SourceInfo indexed, Retries retries, SourceCounter counter)
            throws IOException {
        if (indexed != null && indexed.size() >= 0) {
            return new S3ByteSource(s3, url, indexed.size(), indexed.version(), null, retries, counter);
        }
        S3Url u = S3Url.parse(url);
        HeadObjectResponse head = retries.run(url, () -> call(url, counter, 0, () -> s3.headObject(b -> b.bucket(u.bucket()).key(u.key()))));
        return new S3ByteSource(s3, url, head.contentLength(), head.eTag(), head.lastModified(), retries, counter);
    }

    @Override
    InputStream range(long first, long last) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key).range("bytes=" + first + "-" + last);
        if (version != null) {
            request.ifMatch(version);
        }
        GetObjectRequest get = request.build();
        return call(url, counter, last - first + 1, () -> s3.getObject(get));
    }

    interface Call<T> {
        T run();
    }

    /** One SDK call, its outcome mapped: statuses that will not get better are errors, others are retried. */
    static <T> T call(String url, SourceCounter counter, long expected, Call<T> call) throws IOException {
        long t0 = System.nanoTime();
        try {
            T result = call.run();
            counter.request(expected, System.nanoTime() - t0);
            return result;
        } catch (S3Exception e) {
            counter.request(0, System.nanoTime() - t0);
            counter.failure();
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String what = "HTTP " + status + (code == null ? "" : " " + code);
            switch (status) {
                case 404 -> throw new RemoteSourceException(RemoteSourceException.Kind.MISSING, url, "no such object (" + what + ")");
                case 401, 403 -> throw new RemoteSourceException(RemoteSourceException.Kind.REFUSED, url, "access refused (" + what + ")");
                case 412 -> throw new RemoteSourceException(RemoteSourceException.Kind.CHANGED, url,
                        "the object changed since it was indexed (its ETag is no longer the one indexed); re-index it");
                case 408, 429, 500, 502, 503, 504 -> throw new Retries.Transient(what, null, e);
                default -> throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, what);
            }
        } catch (SdkClientException e) {
            counter.failure();
            throw new Retries.Transient("the connection failed: " + e.getMessage(), null, e);
        }
    }
}
