package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * Requests to peers, with a timeout on each and a bound on what is read: a peer may be slow,
 * down or hostile, and none of that may stall or flood this node.
 *
 * <p>Signed answers: a node asking for a peer list sends a fresh random nonce
 * ({@code Refcat-Nonce}); the peer signs {@code nonce, timestamp, body} with its key
 * ({@code Refcat-Timestamp}, {@code Refcat-Signature}). The asker checks the signature against
 * the key it pinned for that peer, that the nonce is its own and that the timestamp is within
 * {@link #WINDOW}: a forged, replayed or unsigned list is refused.
 */
public final class PeerClient {
    public static final String NONCE = "Refcat-Nonce";
    public static final String TIMESTAMP = "Refcat-Timestamp";
    public static final String SIGNATURE = "Refcat-Signature";
    /** Set on requests a federated search makes, so that the peer does not federate them again. */
    public static final String HOPS = "Refcat-Hops";
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MAX_BYTES = 16 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A peer's answer that cannot be used, and why (in words for the {@code failed} list). */
    public static final class PeerException extends IOException {
        public PeerException(String message) {
            super(message);
        }
    }

    JsonNode getJson(String url, Duration timeout) throws IOException {
        return NodeIdentity.JSON.readTree(body(send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json").GET().build())));
    }

    /** Headers by which a node asking for a peer list introduces itself, signed ({@link #announcement}). */
    public static final String FROM = "Refcat-From";
    public static final String FROM_KEY = "Refcat-From-Key";
    public static final String FROM_SIGNATURE = "Refcat-From-Signature";

    /** What an introduction signs: the asker's URL, the time and the request's nonce. */
    static String announcement(String url, String timestamp, String nonce) {
        return url + "\n" + timestamp + "\n" + nonce;
    }

    /**
     * A peer list, checked to be signed by {@code publicKey} for a nonce made here. With
     * {@code self} (a node with a public URL), the request introduces this node, signed, so that
     * the peer learns of it too.
     */
    JsonNode signedPeers(String url, String publicKey, Duration timeout, NodeIdentity self) throws IOException {
        return signedGet(url + "/federation/peers", publicKey, timeout, self);
    }

    private JsonNode signedGet(String url, String publicKey, Duration timeout, NodeIdentity self) throws IOException {
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header(NONCE, nonce);
        if (self != null && self.publicUrl() != null) {
            String now = Instant.now().toString();
            b.header(FROM, self.publicUrl()).header(FROM_KEY, self.publicKeyText()).header(TIMESTAMP, now)
                    .header(FROM_SIGNATURE, self.sign(announcement(self.publicUrl(), now, nonce)));
        }
        HttpResponse<InputStream> r = send(b.GET().build());
        String timestamp = r.headers().firstValue(TIMESTAMP).orElse("");
        String signature = r.headers().firstValue(SIGNATURE).orElse(null);
        byte[] body = body(r);
        Instant at;
        try {
            at = Instant.parse(timestamp);
        } catch (RuntimeException e) {
            throw new PeerException("answer without a valid timestamp");
        }
        if (Duration.between(at, Instant.now()).abs().compareTo(WINDOW) > 0) {
            throw new PeerException("answer timestamped " + timestamp + ", outside the accepted window");
        }
        if (!NodeIdentity.verify(publicKey, signedText(nonce, timestamp, body), signature)) {
            throw new PeerException("answer not signed by the key pinned for " + url);
        }
        return NodeIdentity.JSON.readTree(body);
    }

    /** A page of a peer's change feed, checked to be signed by its pinned key for a nonce made here. */
    JsonNode signedChanges(Peer peer, long after, int limit, Duration timeout) throws IOException {
        String query = "after=" + after + "&limit=" + limit
                + (peer.subscribe() == null || peer.subscribe().equals("*") ? ""
                : "&collections=" + java.net.URLEncoder.encode(peer.subscribe(), StandardCharsets.UTF_8));
        return signedGet(peer.url() + "/federation/changes?" + query, peer.publicKey(), timeout, null);
    }

    static String signedText(String nonce, String timestamp, byte[] body) {
        return nonce + "\n" + timestamp + "\n" + new String(body, StandardCharsets.UTF_8);
    }

    CompletableFuture<JsonNode> searchAsync(String url, String query, byte[] postBody, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(postBody == null ? url + (query.isEmpty() ? "" : "?" + query) : url))
                .timeout(timeout).header(HOPS, "1").header("Accept", "application/geo+json");
        b = postBody == null ? b.GET() : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(postBody));
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
            try {
                return NodeIdentity.JSON.readTree(body(r));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted");
        }
    }

    /** The body of a 200 answer, at most {@link #MAX_BYTES}; any other status is an error naming it. */
    private static byte[] body(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new PeerException("HTTP " + r.statusCode() + " from " + r.uri());
            }
            byte[] data = in.readNBytes(MAX_BYTES + 1);
            if (data.length > MAX_BYTES) {
                throw new PeerException("answer from " + r.uri() + " larger than " + MAX_BYTES + " bytes");
            }
            return data;
        }
    }
}
