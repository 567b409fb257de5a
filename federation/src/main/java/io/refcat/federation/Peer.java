package io.refcat.federation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A site this node talks to.
 *
 * @param kind      {@code refcat} (gossiped with, its key pinned), {@code stac} (any STAC API: searched,
 *                  never gossiped with), or {@code unknown} until first contact
 * @param publicKey the peer's key, pinned at first contact (trust on first use); null until then
 * @param status    {@code up}, {@code down}, or {@code unknown} before the first check
 * @param failures  checks failed in a row (the next check waits longer each time)
 * @param reason    why the last check failed, or null
 * @param subscribe collections of its change feed this node replicates ({@code *}: all), or null
 * @param harvested the last change of its feed applied here
 */
public record Peer(String url, String kind, String id, String name, String publicKey, String status, Instant lastSeen,
                   Instant firstFailure, int failures, String reason, String subscribe, long harvested) {

    public static Peer added(String url) {
        return new Peer(url, "unknown", null, null, null, "unknown", null, null, 0, null, null, 0);
    }

    Peer up(String kind, String id, String name, String publicKey, Instant now) {
        return new Peer(url, kind, id, name, publicKey, "up", now, null, 0, null, subscribe, harvested);
    }

    Peer down(String why, Instant now) {
        return new Peer(url, kind, id, name, publicKey, "down", lastSeen, firstFailure == null ? now : firstFailure,
                failures + 1, why, subscribe, harvested);
    }

    /** Subscribed to this peer's change feed for collections matching {@code pattern} ({@code *}: all). */
    Peer subscribed(String pattern) {
        return new Peer(url, kind, id, name, publicKey, status, lastSeen, firstFailure, failures, reason, pattern,
                pattern == null ? 0 : harvested);
    }

    /**
     * This peer as a check found it ({@code checked}), keeping a subscription changed meanwhile:
     * the check's harvest position counts only for the subscription it harvested.
     */
    Peer merged(Peer checked) {
        boolean sameSubscription = java.util.Objects.equals(subscribe, checked.subscribe);
        return new Peer(url, checked.kind, checked.id, checked.name, checked.publicKey, checked.status, checked.lastSeen,
                checked.firstFailure, checked.failures, checked.reason, subscribe,
                sameSubscription ? Math.max(harvested, checked.harvested) : harvested);
    }

    /** Harvested this peer's feed up to {@code seq}. */
    Peer harvestedTo(long seq) {
        return new Peer(url, kind, id, name, publicKey, status, lastSeen, firstFailure, failures, reason, subscribe, seq);
    }

    /** Searched in a federated search unless its last check failed. */
    public boolean searchable() {
        return !"down".equals(status);
    }

    /** The STAC item search of this peer: a refcat node's {@code /stac/search}, a STAC API's {@code /search}. */
    public String searchUrl() {
        return "stac".equals(kind) ? url + "/search" : url + "/stac/search";
    }

    /** What {@code GET /federation/peers} shows. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("name", name);
        m.put("id", id);
        m.put("kind", kind);
        m.put("status", status);
        m.put("last_seen", lastSeen == null ? null : lastSeen.toString());
        if (reason != null) {
            m.put("reason", reason);
        }
        if (subscribe != null) {
            m.put("subscribe", subscribe);
            m.put("harvested", harvested);
        }
        return m;
    }
}
