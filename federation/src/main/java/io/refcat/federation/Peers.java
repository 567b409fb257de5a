package io.refcat.federation;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The peers this node knows, kept in {@code DATA/federation/peers.json} (written whole and
 * atomically on every change), so that {@code refcat peers add} works before {@code serve} and a
 * restarted node resumes with what it knew.
 */
public final class Peers {
    private final Path file;
    private final PeerUrls policy;
    private final Map<String, Peer> byUrl = new LinkedHashMap<>();

    private Peers(Path file, PeerUrls policy) {
        this.file = file;
        this.policy = policy;
    }

    public static Peers open(Path dataDir) throws IOException {
        return open(dataDir, PeerUrls.DEFAULT);
    }

    /** @param policy which URLs may become peers ({@link PeerUrls}) */
    public static Peers open(Path dataDir, PeerUrls policy) throws IOException {
        Peers p = new Peers(dataDir.resolve("federation").resolve("peers.json"), policy);
        if (Files.exists(p.file)) {
            List<Map<String, Object>> stored = NodeIdentity.JSON.readValue(p.file.toFile(), new TypeReference<>() {
            });
            for (Map<String, Object> m : stored) {
                Peer peer = new Peer((String) m.get("url"), (String) m.get("kind"), (String) m.get("id"),
                        (String) m.get("name"), (String) m.get("public_key"), (String) m.get("status"),
                        instant(m.get("last_seen")), instant(m.get("first_failure")),
                        m.get("failures") instanceof Number n ? n.intValue() : 0, (String) m.get("reason"),
                        (String) m.get("subscribe"), m.get("harvested") instanceof Number h ? h.longValue() : 0);
                p.byUrl.put(peer.url(), peer);
            }
        }
        return p;
    }

    private static Instant instant(Object text) {
        return text instanceof String s ? Instant.parse(s) : null;
    }

    /** Adds a peer by URL (checked by {@link PeerUrls#check}); an existing one is kept as it is. */
    public synchronized Peer add(String url) throws IOException {
        String checked = policy.check(url);
        Peer existing = byUrl.get(checked);
        if (existing != null) {
            return existing;
        }
        Peer p = Peer.added(checked);
        byUrl.put(checked, p);
        save();
        return p;
    }

    /**
     * A node that introduced itself with a signed request: added with the key it signed with
     * pinned, so the first check must find that same key at its URL (proof it holds the URL).
     */
    public synchronized boolean introduce(String url, String publicKey) throws IOException {
        String checked = policy.check(url);
        if (byUrl.containsKey(checked)) {
            return false;
        }
        byUrl.put(checked, new Peer(checked, "refcat", null, null, publicKey, "unknown", null, null, 0, null, null, 0));
        save();
        return true;
    }

    /** Subscribes to a known peer's change feed ({@code pattern} null: unsubscribes). */
    public synchronized Peer subscribe(String url, String pattern) throws IOException {
        Peer p = byUrl.get(url);
        if (p == null) {
            throw new IllegalArgumentException("no peer " + url);
        }
        Peer s = p.subscribed(pattern);
        byUrl.put(url, s);
        save();
        return s;
    }

    public synchronized List<Peer> list() {
        return new ArrayList<>(byUrl.values());
    }

    public synchronized Optional<Peer> get(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    /**
     * Records what a check found, merged into the peer as it is now ({@link Peer#merged}), so a
     * subscription changed while the check ran is not lost; a peer removed meanwhile stays removed.
     */
    synchronized void record(Peer checked) throws IOException {
        Peer current = byUrl.get(checked.url());
        if (current != null) {
            byUrl.put(checked.url(), current.merged(checked));
            save();
        }
    }

    synchronized void remove(String url) throws IOException {
        if (byUrl.remove(url) != null) {
            save();
        }
    }

    private void save() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Peer p : byUrl.values()) {
            Map<String, Object> m = p.json();
            m.put("public_key", p.publicKey());
            m.put("first_failure", p.firstFailure() == null ? null : p.firstFailure().toString());
            m.put("failures", p.failures());
            out.add(m);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, NodeIdentity.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
