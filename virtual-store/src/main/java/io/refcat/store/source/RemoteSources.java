package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Opens and lists remote objects: {@code http(s)://} with one shared {@code java.net.http} client,
 * {@code s3://} through one {@link S3Access} per settings. Settings are chosen by the longest URL prefix
 * that names them ({@code --remote PREFIX,endpoint=URL,region=R,anonymous,path-style}); S3 without
 * settings uses the SDK's default region and credential chains.
 */
public final class RemoteSources implements AutoCloseable {
    /** How objects under a URL prefix are reached. */
    public record Settings(String prefix, String endpoint, String region, boolean anonymous, boolean pathStyle) {
        /**
         * {@code PREFIX[,endpoint=URL][,region=NAME][,anonymous][,path-style]}; an endpoint implies
         * path-style addressing (what MinIO, Ceph and other S3-compatible servers expect).
         */
        public static Settings parse(String spec) {
            String[] parts = spec.split(",");
            String prefix = parts[0].trim();
            if (!ByteSource.isRemote(prefix)) {
                throw new IllegalArgumentException("'" + prefix + "' is not an s3://, http:// or https:// prefix");
            }
            String endpoint = null;
            String region = null;
            boolean anonymous = false;
            boolean pathStyle = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("endpoint=")) {
                    endpoint = p.substring("endpoint=".length());
                    URI e = URI.create(endpoint);
                    if (e.getUserInfo() != null || !List.of("http", "https").contains(String.valueOf(e.getScheme()))) {
                        throw new IllegalArgumentException("endpoint '" + e.getHost() + "' must be http(s) without user info");
                    }
                    pathStyle = true;
                } else if (p.startsWith("region=")) {
                    region = p.substring("region=".length());
                } else if (p.equals("anonymous")) {
                    anonymous = true;
                } else if (p.equals("path-style")) {
                    pathStyle = true;
                } else if (p.equals("virtual-host")) {
                    pathStyle = false;
                } else {
                    throw new IllegalArgumentException("unknown setting '" + p + "' (endpoint=URL, region=NAME, anonymous, "
                            + "path-style, virtual-host)");
                }
            }
            return new Settings(prefix, endpoint, region, anonymous, pathStyle);
        }
    }

    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*[\"']([^\"'#?]+)[\"']", Pattern.CASE_INSENSITIVE);
    private static final int MAX_LISTED = 1_000_000;

    private final List<Settings> settings;
    /** Built on first use: its TLS set-up costs a local-only run a quarter of a second. */
    private HttpClient http;
    private final Map<Settings, S3Access> s3 = new LinkedHashMap<>();
    private final Retries retries;
    private final Duration timeout;
    private final SourceCounter total = new SourceCounter();

    public RemoteSources(List<Settings> settings) {
        this(settings, Retries.DEFAULT, Duration.ofSeconds(30));
    }

    RemoteSources(List<Settings> settings, Retries retries, Duration timeout) {
        this.settings = settings.stream().sorted(Comparator.comparingInt((Settings s) -> s.prefix().length()).reversed()).toList();
        this.retries = retries;
        this.timeout = timeout;
    }

    /** Every remote request of this process: for {@code /metrics}. */
    public SourceCounter total() {
        return total;
    }

    /** A counter for one file's requests, adding to the process's. */
    public SourceCounter counter() {
        return new SourceCounter(total);
    }

    /** Opens an object; {@code indexed} (may be null) is what its references recorded. */
    public ByteSource open(String url, ReferenceSet.SourceInfo indexed, SourceCounter counter) throws IOException {
        if (url.startsWith("s3://")) {
            S3Access access = s3For(url);
            return HttpByteSource.open(access, url, access.location(S3Access.S3Url.parse(url)), indexed, retries, counter);
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return HttpByteSource.open(HttpByteSource.jdk(http(), timeout), url, URI.create(url), indexed, retries, counter);
        }
        throw new IllegalArgumentException("not a remote URL: " + url);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    private Settings settingsFor(String url) {
        return settings.stream().filter(s -> url.startsWith(s.prefix())).findFirst()
                .orElse(new Settings("", null, null, false, false));
    }

    private synchronized S3Access s3For(String url) {
        return s3.computeIfAbsent(settingsFor(url), s -> new S3Access(s, timeout));
    }

    /**
     * The objects under a prefix URL (one ending in {@code /}), sorted: an S3 prefix listed page by
     * page; an HTTP directory through the links of its index page (nginx's, Apache's), followed
     * into subdirectories below it. Hidden names (a part starting with '.') are left out.
     */
    public List<String> list(String prefix) throws IOException {
        TreeSet<String> found = new TreeSet<>();
        if (prefix.startsWith("s3://")) {
            S3Access.S3Url u = S3Access.S3Url.parse(prefix);
            S3Client client = s3For(prefix).client();
            String token = null;
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(u.bucket()).prefix(u.key());
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Request request = req.build();
                ListObjectsV2Response page = retries.run(prefix, () -> S3Access.call(prefix, total,
                        () -> client.listObjectsV2(request)));
                for (S3Object o : page.contents()) {
                    String rest = o.key().substring(u.key().length());
                    if (!o.key().endsWith("/") && !hidden(rest)) {
                        found.add("s3://" + u.bucket() + "/" + o.key());
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null && found.size() < MAX_LISTED);
        } else {
            listHttp(prefix, prefix, found, 0);
        }
        return new ArrayList<>(found);
    }

    private void listHttp(String root, String dir, TreeSet<String> found, int depth) throws IOException {
        String page = retries.run(dir, () -> {
            try {
                HttpResponse<InputStream> r = http().send(HttpRequest.newBuilder(URI.create(dir)).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                total.request(0, 0);
                try (InputStream body = r.body()) {
                    if (r.statusCode() == 404) {
                        throw new RemoteSourceException(RemoteSourceException.Kind.MISSING, dir, "no such directory (HTTP 404)");
                    }
                    if (r.statusCode() == 401 || r.statusCode() == 403) {
                        throw new RemoteSourceException(RemoteSourceException.Kind.REFUSED, dir, "access refused (HTTP " + r.statusCode() + ")");
                    }
                    if (r.statusCode() / 100 != 2) {
                        throw new Retries.Transient("HTTP " + r.statusCode(), HttpByteSource.retryAfter(r.headers().firstValue("Retry-After")), null);
                    }
                    return new String(body.readNBytes(16 << 20), StandardCharsets.UTF_8);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } catch (java.net.http.HttpTimeoutException e) {
                throw new Retries.Transient("no answer", null, e);
            }
        });
        Matcher m = HREF.matcher(page);
        URI base = URI.create(dir);
        while (m.find() && found.size() < MAX_LISTED) {
            String link = base.resolve(m.group(1)).toString();
            if (!link.startsWith(dir) || link.equals(dir) || hidden(link.substring(dir.length()))) {
                continue; // parent, sibling, absolute elsewhere, or sorting links
            }
            if (link.endsWith("/")) {
                if (depth < 20) {
                    listHttp(root, link, found, depth + 1);
                }
            } else {
                found.add(link);
            }
        }
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        s3.values().forEach(S3Access::close);
        s3.clear();
    }
}
