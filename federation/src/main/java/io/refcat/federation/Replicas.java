package io.refcat.federation;

import io.refcat.search.StacItemRules;
import io.refcat.search.lucene.Catalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogues this node keeps of peers it subscribes to, one per peer in
 * {@code DATA/federation/replicas/<hash of its URL>}, written only by this node's harvest (the
 * node's own catalogue stays the one {@code refcat index} writes). Items keep their links to the
 * origin and are marked with it ({@code refcat:node}, {@code refcat:node_url}), so a federated
 * search can answer for a peer that is down.
 */
public final class Replicas implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Replicas.class);
    private final Path dir;
    private final Map<String, Catalogue> open = new LinkedHashMap<>();

    public Replicas(Path dataDir) {
        this.dir = dataDir.resolve("federation").resolve("replicas");
    }

    public synchronized Catalogue of(String peerUrl) throws IOException {
        Catalogue c = open.get(peerUrl);
        if (c == null) {
            c = Catalogue.open(dir.resolve(hash(peerUrl)));
            open.put(peerUrl, c);
        }
        return c;
    }

    /** The replica of a peer, if this node has harvested it. */
    public synchronized Optional<Catalogue> existing(String peerUrl) throws IOException {
        if (open.containsKey(peerUrl) || java.nio.file.Files.isDirectory(dir.resolve(hash(peerUrl)))) {
            return Optional.of(of(peerUrl));
        }
        return Optional.empty();
    }

    /** Applies a page of a peer's change feed; items that are not STAC items are skipped and counted. */
    synchronized int apply(Peer peer, List<Map<String, Object>> changes) throws IOException {
        Catalogue c = of(peer.url());
        int rejected = 0;
        // puts go in one commit per run of them; a delete commits what came before it, keeping the order
        List<Catalogue.Entry> puts = new java.util.ArrayList<>();
        for (Map<String, Object> change : changes) {
            String collection = String.valueOf(change.get("collection"));
            String id = String.valueOf(change.get("id"));
            if ("delete".equals(change.get("op"))) {
                flush(c, puts);
                c.delete(collection, id);
            } else if (change.get("item") instanceof Map<?, ?> raw && valid(peer, raw, collection, id)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> item = new LinkedHashMap<>((Map<String, Object>) raw);
                @SuppressWarnings("unchecked")
                Map<String, Object> props = new LinkedHashMap<>((Map<String, Object>) item.get("properties"));
                props.put("refcat:node", peer.name() == null ? peer.url() : peer.name());
                props.put("refcat:node_url", peer.url());
                item.put("properties", props);
                puts.add(new Catalogue.Entry(item, EMPTY_REFS));
            } else {
                rejected++;
            }
        }
        flush(c, puts);
        return rejected;
    }

    private static final byte[] EMPTY_REFS = "{}".getBytes(StandardCharsets.UTF_8);

    private static void flush(Catalogue c, List<Catalogue.Entry> puts) throws IOException {
        if (!puts.isEmpty()) {
            c.put(List.copyOf(puts));
            puts.clear();
        }
    }

    /**
     * Whether a harvested item may be stored: a valid STAC item ({@link StacItemRules}) whose id
     * and collection are those of the change and fit this catalogue's bounds. Why not is logged.
     */
    private static boolean valid(Peer peer, Map<?, ?> item, String collection, String id) {
        Optional<String> violation = id.equals(item.get("id")) && collection.equals(item.get("collection"))
                ? StacItemRules.violation(NodeIdentity.JSON.valueToTree(item))
                : Optional.of("its id or collection is not the change's");
        if (violation.isEmpty() && (id.length() > 1024 || collection.length() > 256 || id.contains("/"))) {
            violation = Optional.of("its id or collection is too long or holds '/'");
        }
        violation.ifPresent(why -> LOG.warn("harvest of {}: item {}/{} left out: {}", peer.url(), collection, id, why));
        return violation.isEmpty();
    }

    private static String hash(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (Catalogue c : open.values()) {
            c.close();
        }
        open.clear();
    }
}
