package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.refcat.search.BadParameter;
import io.refcat.search.lucene.Catalogue;
import io.refcat.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The federation's HTTP routes:
 * <ul>
 *   <li>{@code GET /federation/node}: this node's id, name, URL and public key;</li>
 *   <li>{@code GET /federation/peers}: the peers, signed for the asker's {@code Refcat-Nonce};</li>
 *   <li>{@code POST /federation/peers} {@code {"url", "subscribe"?}}: adds a peer, optionally replicating
 *       its collections matching a pattern (admin: bearer token);</li>
 *   <li>{@code GET /federation/changes?after=SEQ&collections=PATTERN}: the catalogue's change feed;</li>
 *   <li>{@code GET|POST /federation/search}: the {@code /stac/search} parameters over this node and
 *       its peers ({@code peers=URL,…} chooses some), see {@link FederatedSearch}; and
 *       {@code /stac/search?federation=all|URL,…} the same.</li>
 * </ul>
 */
public final class FederationApi {
    /** Most items a federated page returns. */
    private static final int MAX_LIMIT = 1000;

    /**
     * @param adminToken the bearer token admin calls need, or null to refuse them all
     */
    public record Settings(NodeIdentity node, Peers peers, Gossip gossip, FederatedSearch search,
                           FederatedAggregation aggregation, String adminToken, Catalogue catalogue, Replicas replicas) {
    }

    private FederationApi() {
    }

    public static void register(Javalin app, Settings s) {
        app.get("/federation/node", ctx -> ctx.json(s.node().publicJson()));
        app.get("/federation/peers", ctx -> peers(ctx, s));
        app.post("/federation/peers", ctx -> addPeer(ctx, s));
        app.get("/federation/changes", ctx -> changes(ctx, s));
        app.get("/federation/search", ctx -> search(ctx, s, ctx.queryParamMap()));
        app.post("/federation/search", ctx -> search(ctx, s, fromJson(ctx)));
        // the STAC item search takes the same fan-out with a federation parameter: all, or peer URLs
        app.before("/stac/search", ctx -> {
            Map<String, List<String>> params;
            try {
                params = ctx.method() == io.javalin.http.HandlerType.POST ? fromJson(ctx) : ctx.queryParamMap();
            } catch (BadParameter e) {
                return; // not a search body: the STAC API answers it as it answers any bad body
            }
            if (params.containsKey(FEDERATION)) {
                search(ctx, s, params);
                ctx.skipRemainingHandlers();
            }
        });
        app.before("/stac/aggregate", ctx -> {
            String federation = ctx.queryParam(FEDERATION);
            if (federation != null && ctx.method() == io.javalin.http.HandlerType.GET) {
                aggregate(ctx, s, federation);
                ctx.skipRemainingHandlers();
            }
        });
    }

    /**
     * {@code /stac/aggregate?federation=all|URL,…}: the aggregation over this node and its refcat
     * peers that are up ({@link FederatedAggregation}).
     */
    private static void aggregate(Context ctx, Settings s, String federation) throws Exception {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        params.remove(FEDERATION);
        String query = FederatedSearch.queryString(params);
        Set<String> only = federation.equals("all") ? null : Set.of(federation.split(","));
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put(io.refcat.store.StoreServer.baseUrl(ctx), localUrl(ctx) + "/stac/aggregate");
        if (ctx.header(PeerClient.HOPS) == null) {
            for (Peer p : s.peers().list()) {
                if ((only == null || only.contains(p.url())) && p.searchable() && !s.gossip().isSelf(p.url())) {
                    urls.put(p.url(), "stac".equals(p.kind()) ? p.url() + "/aggregate" : p.url() + "/stac/aggregate");
                }
            }
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(NodeIdentity.JSON.writeValueAsBytes(s.aggregation().aggregate(urls, query)));
    }

    /** This node over loopback, where it answers its own part of a federated request. */
    private static String localUrl(Context ctx) {
        String address = ctx.req().getLocalAddr();
        return "http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + ctx.req().getLocalPort();
    }

    /** The {@code /stac/search} parameter that federates it: {@code all}, or comma-separated peer URLs. */
    static final String FEDERATION = "federation";

    private static void peers(Context ctx, Settings s) throws Exception {
        introduced(ctx, s);
        List<Object> list = new ArrayList<>();
        s.peers().list().forEach(p -> list.add(p.json()));
        signed(ctx, s, NodeIdentity.JSON.writeValueAsBytes(list));
    }

    /** Most changes one feed page holds. */
    private static final int MAX_CHANGES = 5000;

    /**
     * {@code GET /federation/changes?after=SEQ&collections=PATTERN&limit=N}: the catalogue's puts and
     * deletes after SEQ, oldest first ({@link Catalogue#changes}); {@code next} is the sequence to
     * ask after next time. Signed as the peer list is.
     */
    private static void changes(Context ctx, Settings s) throws Exception {
        long after;
        int limit;
        try {
            after = Long.parseLong(java.util.Objects.requireNonNullElse(ctx.queryParam("after"), "0"));
            limit = Math.max(1, Math.min(MAX_CHANGES, Integer.parseInt(java.util.Objects.requireNonNullElse(
                    ctx.queryParam("limit"), "500"))));
        } catch (NumberFormatException e) {
            throw new BadParameter("after", "after and limit are integers");
        }
        if (after < 0) {
            throw new BadParameter("after", "a sequence number is not negative");
        }
        List<Catalogue.Change> changes = s.catalogue().changes(after, ctx.queryParam("collections"), limit);
        List<Object> out = new ArrayList<>();
        long next = after;
        for (Catalogue.Change c : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", c.seq());
            m.put("op", c.op());
            m.put("collection", c.collection());
            m.put("id", c.id());
            if (c.item() != null) {
                m.put("item", io.refcat.search.StacJson.item(c.item(), io.refcat.store.StoreServer.baseUrl(ctx), false));
            }
            out.add(m);
            next = Math.max(next, c.seq());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changes", out);
        body.put("next", next);
        signed(ctx, s, NodeIdentity.JSON.writeValueAsBytes(body));
    }

    /** A JSON answer signed for the asker's nonce ({@link PeerClient}). */
    private static void signed(Context ctx, Settings s, byte[] body) {
        String nonce = ctx.header(PeerClient.NONCE);
        String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ctx.header(PeerClient.TIMESTAMP, timestamp);
        ctx.header(PeerClient.SIGNATURE, s.node().sign(PeerClient.signedText(nonce == null ? "" : nonce, timestamp, body)));
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(body);
    }

    /**
     * A node asking for the peer list may introduce itself ({@link PeerClient#FROM}): if its
     * signature over its URL, the time and the request's nonce verifies with the key it gives, and
     * the time is recent, its URL becomes a peer with that key pinned. Anything else is ignored:
     * an unsigned, forged or stale introduction adds nothing.
     */
    private static void introduced(Context ctx, Settings s) {
        String url = ctx.header(PeerClient.FROM);
        if (url == null) {
            return;
        }
        String key = ctx.header(PeerClient.FROM_KEY);
        String timestamp = ctx.header(PeerClient.TIMESTAMP);
        String nonce = ctx.header(PeerClient.NONCE);
        try {
            Instant at = Instant.parse(timestamp == null ? "" : timestamp);
            boolean recent = java.time.Duration.between(at, Instant.now()).abs().compareTo(PeerClient.WINDOW) <= 0;
            if (recent && nonce != null && !s.gossip().isSelf(url) && NodeIdentity.verify(key,
                    PeerClient.announcement(url, timestamp, nonce), ctx.header(PeerClient.FROM_SIGNATURE))) {
                s.peers().introduce(url, key);
            }
        } catch (RuntimeException | java.io.IOException e) {
            // an introduction that cannot be used is no reason to refuse the peer list
        }
    }

    private static void addPeer(Context ctx, Settings s) throws Exception {
        requireAdmin(ctx, s.adminToken());
        JsonNode body = NodeIdentity.JSON.readTree(ctx.bodyAsBytes());
        String url = body.path("url").asText("");
        Peer p;
        try {
            p = s.peers().add(url);
        } catch (PeerUrls.RefusedUrl e) {
            throw new StoreException(400, "peer refused", e.getMessage());
        }
        if (body.hasNonNull("subscribe")) {
            p = s.peers().subscribe(p.url(), body.path("subscribe").asText("*"));
        }
        p = s.gossip().check(p);
        ctx.status(201).json(p.json());
    }

    /** Admin calls carry {@code Authorization: Bearer TOKEN}, compared in constant time. */
    static void requireAdmin(Context ctx, String token) {
        if (token == null || token.isEmpty()) {
            throw new StoreException(403, "admin calls are disabled",
                    "start serve with --admin-token or REFCAT_ADMIN_TOKEN to allow them");
        }
        String given = ctx.header("Authorization");
        byte[] want = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(want, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new StoreException(401, "unauthorized", "this call needs the admin bearer token");
        }
    }

    private static void search(Context ctx, Settings s, Map<String, List<String>> query) throws Exception {
        Map<String, List<String>> params = new LinkedHashMap<>(query);
        String token = first(params.remove("token"));
        String limitText = first(params.remove("limit"));
        String chosen = first(params.remove("peers"));
        String federation = first(params.remove(FEDERATION));
        if (federation != null && !federation.equals("all")) {
            chosen = federation;
        }
        int limit;
        try {
            limit = limitText == null ? 10 : Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(limitText)));
        } catch (NumberFormatException e) {
            throw new BadParameter("limit", "not an integer: " + limitText);
        }
        String local = localUrl(ctx);
        // this node as its clients reach it (its items' links say the same)
        String selfUrl = io.refcat.store.StoreServer.baseUrl(ctx);
        List<FederatedSearch.Source> sources = new ArrayList<>();
        sources.add(s.search().remote(local + "/stac/search", s.node().name(), selfUrl));
        // a federated query is never federated again: a peer asked by another node answers alone
        List<Map<String, Object>> notAsked = new ArrayList<>();
        if (ctx.header(PeerClient.HOPS) == null) {
            Set<String> only = chosen == null ? null : Set.of(chosen.split(","));
            for (Peer p : s.peers().list()) {
                if (only != null && !only.contains(p.url()) || s.gossip().isSelf(p.url())) {
                    continue;
                }
                if (p.searchable()) {
                    sources.add(s.search().remote(p.searchUrl(), p.name() == null ? p.url() : p.name(), p.url()));
                } else {
                    // known to be down: not asked (it would cost every search its timeout), but named,
                    // and answered for from its replica where this node subscribes to it
                    Optional<Catalogue> replica = p.subscribe() == null ? Optional.empty() : s.replicas().existing(p.url());
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("url", p.url());
                    f.put("reason", "down since " + p.firstFailure() + " (" + p.reason() + "); not asked"
                            + (replica.isPresent() ? ", its items as replicated here" : ""));
                    notAsked.add(f);
                    replica.ifPresent(r -> sources.add(FederatedSearch.local(p.name() == null ? p.url() : p.name(),
                            p.url(), r)));
                }
            }
        }
        Map<String, Object> body = s.search().search(sources, params, limit, token, selfUrl + "/federation/search");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failed = (List<Map<String, Object>>) ((Map<String, Object>) body.get("federation")).get("failed");
        failed.addAll(notAsked);
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/geo+json").result(NodeIdentity.JSON.writeValueAsBytes(body));
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A STAC POST search body as the GET parameters every peer takes. */
    private static Map<String, List<String>> fromJson(Context ctx) throws Exception {
        byte[] bytes = ctx.bodyAsBytes();
        JsonNode body;
        try {
            body = bytes.length == 0 ? NodeIdentity.JSON.createObjectNode() : NodeIdentity.JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new BadParameter("body", "not JSON");
        }
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            throw new BadParameter("body", "a JSON object of search parameters is expected");
        }
        body.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            String text;
            switch (e.getKey()) {
                case "bbox", "collections", "ids" -> text = join(v);
                case "sortby" -> {
                    List<String> keys = new ArrayList<>();
                    v.forEach(k -> keys.add(("desc".equals(k.path("direction").asText()) ? "-" : "+") + k.path("field").asText()));
                    text = String.join(",", keys);
                }
                case "filter", "intersects" -> text = v.toString();
                default -> text = v.isTextual() ? v.asText() : v.isArray() ? join(v) : v.toString();
            }
            q.put(e.getKey(), List.of(text));
        });
        if (body.has("filter") && !body.has("filter-lang")) {
            q.put("filter-lang", List.of("cql2-json"));
        }
        return q;
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(x -> parts.add(x.asText()));
        return String.join(",", parts);
    }
}
