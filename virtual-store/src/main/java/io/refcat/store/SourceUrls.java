package io.refcat.store;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The store's public names for the local files a dataset's references point into:
 * {@code /files/{dataset id}/{token}/{file name}}, where the token is a hash of the source URL.
 * Another machine reads such a file by byte ranges through the server, and the server's own paths
 * never leave it. Only files the dataset's references name have such a URL, so {@code /files}
 * cannot be used to read anything else; remote sources ({@code s3://}, {@code https://}) keep
 * their URLs, which other machines reach directly.
 */
public final class SourceUrls {
    private static final int TOKEN_HEX = 16;

    private SourceUrls() {
    }

    /** Whether a reference URL names a file of this server's disk. */
    public static boolean isLocal(String url) {
        return url != null && (url.startsWith("file://") || url.startsWith("/"));
    }

    /** The URL another machine uses for {@code url}, a source of dataset {@code datasetId}. */
    public static String publicUrl(String base, String datasetId, String url) {
        if (!isLocal(url)) {
            return url;
        }
        return base + "/files/" + encodePath(datasetId) + "/" + token(url) + "/"
                + URLEncoder.encode(fileName(url), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The local sources of a reference set by token, as {@code /files} looks them up. */
    static Map<String, String> byToken(io.refcat.reference.ReferenceLookup refs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String url : sourceUrls(refs)) {
            if (isLocal(url)) {
                out.put(token(url), url);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Every source URL of a reference set: the ones it records, else the ones its chunks name. */
    private static java.util.Set<String> sourceUrls(io.refcat.reference.ReferenceLookup refs) {
        if (!refs.sources().isEmpty()) {
            return refs.sources().keySet();
        }
        TreeSet<String> urls = new TreeSet<>();
        if (refs instanceof ReferenceSet set) {
            set.refs().values().stream().map(KerchunkJson::urlOf).filter(Objects::nonNull).forEach(urls::add);
        }
        return urls;
    }

    static String fileName(String url) {
        String path = url.startsWith("file://") ? url.substring("file://".length()) : url;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String token(String url) {
        return Digests.hex(url, TOKEN_HEX);
    }

    /** A URL path for a dataset id, percent-encoded, its slashes kept. */
    public static String encodePath(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("dataset id '" + path + "' cannot be a URL path", e);
        }
    }
}
