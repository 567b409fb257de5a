package io.refcat.store.source;

import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * How objects under one S3 configuration are reached. Listing goes through the AWS SDK's S3
 * client; an object's {@code HEAD} and ranged reads are HTTP requests to the address the SDK gives
 * the object ({@code S3Utilities.getUrl}: endpoint, path-style or virtual-host), signed by the SDK's
 * SigV4 signer and sent by the SDK's Apache 5 client, so the S3 client's request pipeline
 * (endpoint rules, auth-scheme resolution, interceptors, response unmarshalling), which cost the
 * store more CPU per chunk than the read itself, is not run per read. The request on the wire is
 * the same; its answer is checked and retried exactly as an HTTP source's ({@link HttpByteSource}).
 */
final class S3Access implements HttpByteSource.Transport, AutoCloseable {
    private static final String SERVICE = "s3";

    private final SdkHttpClient http;
    private final S3Client client;
    private final AwsCredentialsProvider credentials;
    private final boolean anonymous;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** Each bucket's address with an empty key: the SDK's endpoint rules run once per bucket, not per read. */
    private final Map<String, String> bucketBase = new ConcurrentHashMap<>();

    S3Access(RemoteSources.Settings s, Duration timeout) {
        this.anonymous = s.anonymous();
        this.credentials = anonymous ? AnonymousCredentialsProvider.create() : DefaultCredentialsProvider.builder().build();
        this.region = s.region() != null ? s.region() : System.getenv().getOrDefault("AWS_REGION",
                System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        this.http = Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(timeout)
                .maxConnections(64).build();
        var b = S3Client.builder()
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(s.pathStyle())
                .credentialsProvider(credentials)
                .region(Region.of(region));
        if (s.endpoint() != null) {
            b.endpointOverride(URI.create(s.endpoint()));
        }
        this.client = b.build();
    }

    S3Client client() {
        return client;
    }

    /** Where an {@code s3://bucket/key} object is read over HTTP. */
    URI location(S3Url object) {
        String base = bucketBase.computeIfAbsent(object.bucket(), bucket -> {
            String probe = client.utilities().getUrl(r -> r.bucket(bucket).key("k")).toString();
            return probe.substring(0, probe.length() - 1);
        });
        return URI.create(base + SdkHttpUtils.urlEncodeIgnoreSlashes(object.key()));
    }

    /**
     * One request without a body, SigV4-signed with {@code UNSIGNED-PAYLOAD} (as S3 accepts for
     * reads) unless access is anonymous, sent on the calling thread by the SDK's pooled client.
     */
    @Override
    public HttpByteSource.Answer send(String method, URI uri, Map<String, String> headers) throws IOException {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest request = unsigned.build();
        if (!anonymous) {
            SdkHttpRequest toSign = request;
            try {
                request = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(toSign)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)).request();
            } catch (SdkClientException e) {
                // no credentials found by the default chain: the SDK's words name where it looked, never a secret
                throw new IOException(e.getMessage(), e);
            }
        }
        HttpExecuteResponse r = http.prepareRequest(HttpExecuteRequest.builder().request(request).build()).call();
        SdkHttpResponse response = r.httpResponse();
        InputStream body = r.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream());
        return new HttpByteSource.Answer(response.statusCode(), response::firstMatchingHeader, body);
    }

    /** An {@code s3://bucket/key} URL's parts, as kerchunk writes them. */
    record S3Url(String bucket, String key) {
        static S3Url parse(String url) {
            if (!url.startsWith("s3://")) {
                throw new IllegalArgumentException("not an s3:// URL: " + url);
            }
            String rest = url.substring(5);
            int slash = rest.indexOf('/');
            return slash < 0 ? new S3Url(rest, "") : new S3Url(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    interface Call<T> {
        T run();
    }

    /** One SDK call (a listing page), its outcome mapped: statuses that will not get better are errors, others retried. */
    static <T> T call(String url, SourceCounter counter, Call<T> call) throws IOException {
        long t0 = System.nanoTime();
        try {
            T result = call.run();
            counter.request(0, System.nanoTime() - t0);
            return result;
        } catch (S3Exception e) {
            counter.request(0, System.nanoTime() - t0);
            counter.failure();
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String what = "HTTP " + status + (code == null ? "" : " " + code);
            switch (status) {
                case 404 -> throw new RemoteSourceException(RemoteSourceException.Kind.MISSING, url, "no such bucket or prefix (" + what + ")");
                case 401, 403 -> throw new RemoteSourceException(RemoteSourceException.Kind.REFUSED, url, "access refused (" + what + ")");
                case 408, 429, 500, 502, 503, 504 -> throw new Retries.Transient(what, null, e);
                default -> throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url, what);
            }
        } catch (SdkClientException e) {
            counter.failure();
            throw new Retries.Transient("the connection failed: " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        client.close();
        http.close();
    }
}
