package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checks and peer exchange, one round every {@code interval}: each peer that is due is
 * asked who it is ({@code /federation/node}; a refcat node's key is pinned at first contact and
 * must match ever after) and, for refcat nodes, whom it knows (a signed {@code /federation/peers},
 * see {@link PeerClient}); new URLs are added after the {@link PeerUrls} check. So from one seed
 * every node learns every node within a few rounds.
 *
 * <p>A peer that fails is checked again after {@code interval × 2^failures} (at most an hour),
 * with jitter, so a dead site costs little; one down for longer than {@code forgetAfter} is
 * dropped. A plain STAC API is checked ({@code GET} its landing page), never asked for peers.
 */
public final class Gossip implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gossip.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final NodeIdentity self;
    private final Peers peers;
    private final PeerClient client;
    private final Duration interval;
    private final Duration forgetAfter;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "refcat-gossip");
        t.setDaemon(true);
        return t;
    });

    private final java.util.Set<String> selfUrls;

    /** @param selfUrls addresses of this node itself (its public URL, its listening address), never made peers */
    private final Replicas replicas;

    public Gossip(NodeIdentity self, java.util.Set<String> selfUrls, Peers peers, Replicas replicas, PeerClient client,
                  Duration interval, Duration forgetAfter) {
        this.self = self;
        this.replicas = replicas;
        this.selfUrls = java.util.Set.copyOf(selfUrls);
        this.peers = peers;
        this.client = client;
        this.interval = interval;
        this.forgetAfter = forgetAfter;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::roundQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void roundQuietly() {
        try {
            round();
        } catch (RuntimeException | IOException e) {
            LOG.warn("gossip round failed: {}", e.toString());
        }
    }

    /** One round: every peer that is due is checked (and, if a refcat node, asked for its peers). */
    public void round() throws IOException {
        Instant now = Instant.now();
        for (Peer p : peers.list()) {
            if (due.getOrDefault(p.url(), Instant.EPOCH).isAfter(now)) {
                continue;
            }
            check(p);
        }
    }

    /** Checks one peer now and records the outcome. */
    public Peer check(Peer p) throws IOException {
        Instant now = Instant.now();
        Peer after;
        try {
            after = contact(p, now);
        } catch (Itself e) {
            peers.remove(p.url()); // this node under another of its addresses
            return p;
        } catch (IOException | RuntimeException e) {
            after = p.down(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), now);
            long wait = Math.min(3600_000L, interval.toMillis() << Math.min(after.failures(), 12));
            due.put(p.url(), now.plusMillis(wait + ThreadLocalRandom.current().nextLong(wait / 4 + 1)));
            if (after.firstFailure() != null && after.firstFailure().plus(forgetAfter).isBefore(now)) {
                LOG.info("forgetting peer {}: down since {}", p.url(), after.firstFailure());
                peers.remove(p.url());
                return after;
            }
        }
        peers.record(after);
        return after;
    }

    private Peer contact(Peer p, Instant now) throws IOException {
        if ("stac".equals(p.kind())) {
            client.getJson(p.url(), TIMEOUT);
            Peer up = p.up("stac", p.id(), p.name(), null, now);
            return up.subscribe() == null ? up : harvestStac(up);
        }
        JsonNode node;
        try {
            node = client.getJson(p.url() + "/federation/node", TIMEOUT);
        } catch (PeerClient.PeerException e) {
            if (!"unknown".equals(p.kind())) {
                throw e;
            }
            // not a refcat node: a plain STAC API is a read-only peer
            JsonNode landing = client.getJson(p.url(), TIMEOUT);
            if (!landing.has("conformsTo") && !landing.has("stac_version")) {
                throw new PeerClient.PeerException("neither a refcat node nor a STAC API");
            }
            Peer up = p.up("stac", null, landing.path("title").asText(landing.path("id").asText(null)), null, now);
            return up.subscribe() == null ? up : harvestStac(up);
        }
        String key = node.path("public_key").asText(null);
        String id = node.path("id").asText(null);
        if (p.publicKey() != null && !p.publicKey().equals(key)) {
            throw new PeerClient.PeerException("its key is not the one pinned when it was added; refusing it");
        }
        if (self.id().equals(id)) {
            throw new Itself();
        }
        Peer up = p.up("refcat", id, node.path("name").asText(null), key, now);
        for (JsonNode other : client.signedPeers(p.url(), key, TIMEOUT, self)) {
            learn(other.path("url").asText(""));
        }
        return up.subscribe() == null ? up : harvest(up);
    }

    /** How long one page of a change feed may take: pages are large (up to {@link #PAGE} items). */
    private static final Duration FEED_TIMEOUT = Duration.ofSeconds(30);

    /** Most feed pages one round applies per peer, so one large peer cannot hold the round. */
    private static final int PAGES_PER_ROUND = 20;
    private static final int PAGE = 500;

    /**
     * Pulls a subscribed peer's change feed from where this node stopped and applies it to the
     * peer's replica; the position is kept with the peer, so a restart resumes there.
     */
    private Peer harvest(Peer p) {
        Peer at = p;
        try {
            for (int page = 0; page < PAGES_PER_ROUND; page++) {
                Harvested h = harvestPage(at);
                at = h.peer();
                if (!h.more()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer answered its checks: it stays up, and the next round goes on from here
            LOG.warn("harvest of {} stopped at {}: {}", p.url(), at.harvested(), e.toString());
        }
        return at;
    }

    /**
     * Harvests a plain STAC API, which has no change feed: its item search sorted by
     * {@code properties.updated}, from the latest {@code updated} already harvested on (kept, in
     * epoch milliseconds, as the peer's position), following {@code next} links. Items it deletes
     * cannot be seen this way and stay in the replica.
     */
    private Peer harvestStac(Peer p) {
        Peer at = p;
        try {
            String url = p.url() + "/search?limit=" + PAGE + "&sortby=%2Bproperties.updated"
                    + (p.harvested() > 0 ? "&filter-lang=cql2-text&filter=" + java.net.URLEncoder.encode("updated >= TIMESTAMP('"
                    + Instant.ofEpochMilli(p.harvested()) + "')", java.nio.charset.StandardCharsets.UTF_8) : "");
            for (int page = 0; page < PAGES_PER_ROUND && url != null; page++) {
                JsonNode found = client.getJson(url, FEED_TIMEOUT);
                List<Map<String, Object>> changes = new java.util.ArrayList<>();
                long latest = at.harvested();
                for (JsonNode item : found.path("features")) {
                    Map<String, Object> change = new java.util.LinkedHashMap<>();
                    change.put("op", "put");
                    change.put("collection", item.path("collection").asText());
                    change.put("id", item.path("id").asText());
                    change.put("item", NodeIdentity.JSON.convertValue(item, Map.class));
                    changes.add(change);
                    try {
                        latest = Math.max(latest, Instant.parse(item.path("properties").path("updated").asText()).toEpochMilli());
                    } catch (RuntimeException e) {
                        // no usable updated time: the position does not move for this item
                    }
                }
                int rejected = replicas.apply(at, changes);
                if (rejected > 0) {
                    LOG.warn("harvest of {}: {} answers were not STAC items and were left out", p.url(), rejected);
                }
                at = at.harvestedTo(latest);
                peers.record(at);
                url = null;
                for (JsonNode l : found.path("links")) {
                    if ("next".equals(l.path("rel").asText()) && !"POST".equals(l.path("method").asText("GET"))) {
                        // only on the peer itself: a next link elsewhere would make this node fetch anything
                        String href = l.path("href").asText();
                        url = href.startsWith(p.url() + "/") ? href : null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("harvest of {} stopped at {}: {}", p.url(), Instant.ofEpochMilli(at.harvested()), e.toString());
        }
        return at;
    }

    /** A page of a feed applied: the peer with its new position, and whether the feed has more. */
    private record Harvested(Peer peer, boolean more) {
    }

    private Harvested harvestPage(Peer at) throws IOException {
        JsonNode feed = client.signedChanges(at, at.harvested(), PAGE, FEED_TIMEOUT);
        List<Map<String, Object>> changes = new java.util.ArrayList<>();
        for (JsonNode c : feed.path("changes")) {
            changes.add(NodeIdentity.JSON.convertValue(c, new com.fasterxml.jackson.core.type.TypeReference<>() {
            }));
        }
        int rejected = replicas.apply(at, changes);
        if (rejected > 0) {
            LOG.warn("harvest of {}: {} changes were not STAC items and were left out", at.url(), rejected);
        }
        Peer moved = at.harvestedTo(Math.max(at.harvested(), feed.path("next").asLong(at.harvested())));
        peers.record(moved); // progress is kept page by page, so a restart resumes where it stopped
        return new Harvested(moved, changes.size() == PAGE);
    }

    private void learn(String url) {
        try {
            String checked = PeerUrls.normalize(url);
            if (!isSelf(checked) && peers.get(checked).isEmpty()) {
                peers.add(checked); // checked against the node's policy there
                LOG.info("learned of peer {}", checked);
            }
        } catch (PeerUrls.RefusedUrl | IOException e) {
            LOG.info("not adding gossiped peer: {}", e.getMessage());
        }
    }

    /** Whether a URL names this node itself. */
    public boolean isSelf(String url) {
        return url.equals(self.publicUrl()) || selfUrls.contains(url);
    }

    /** A peer URL that leads back to this node. */
    private static final class Itself extends RuntimeException {
        Itself() {
            super("this node itself", null, false, false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
