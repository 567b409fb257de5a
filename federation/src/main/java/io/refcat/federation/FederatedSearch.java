package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One item search over this node and its peers: the same STAC search sent to each source in
 * parallel, each with a timeout and all within one deadline; the pages merged in the query's sort
 * order (ties by collection and id, as every refcat node sorts), duplicates (the same collection
 * and id from two sites: replicas) kept once, each item marked with the site it comes from
 * ({@code refcat:node}, {@code refcat:node_url}; its links are already absolute to that site).
 *
 * <p>Paging: the token is opaque to clients and carries, per source, the page token it was asked
 * with and how many of that page's items were already returned; so each page continues every
 * source exactly where the merge stopped, without state on the server. A source that failed or
 * timed out is asked again on the next page.
 *
 * <p>The answer says which sources answered, failed (and why) and timed out, on every page.
 */
public final class FederatedSearch {
    private final PeerClient client;
    private final Duration peerTimeout;
    private final Duration deadline;

    public FederatedSearch(PeerClient client, Duration peerTimeout, Duration deadline) {
        this.client = client;
        this.peerTimeout = peerTimeout;
        this.deadline = deadline;
    }

    /** One page of a search at a source, as a STAC ItemCollection: {@code limit} items at {@code token} (null: the first). */
    @FunctionalInterface
    public interface Pager {
        CompletableFuture<JsonNode> page(Map<String, List<String>> params, int limit, String token);
    }

    /** Where items come from: a name for {@code refcat:node}, a base URL, and how to get a page of a search. */
    public record Source(String name, String url, Pager pager) {
        CompletableFuture<JsonNode> page(Map<String, List<String>> params, int limit, String token) {
            return pager.page(params, limit, token);
        }
    }

    /** A site searched over HTTP at {@code searchUrl} (a node's {@code /stac/search}, a STAC API's {@code /search}). */
    public Source remote(String searchUrl, String name, String url) {
        return new Source(name, url, (params, limit, token) ->
                client.searchAsync(searchUrl, queryString(pageParams(params, limit, token)), null, peerTimeout));
    }

    /** A catalogue searched in this process (this node's own, or a replica of a peer), named as {@code name}. */
    public static Source local(String name, String url, io.refcat.search.lucene.Catalogue catalogue) {
        return new Source(name, url, (params, limit, token) -> {
            try {
                io.refcat.search.lucene.Catalogue.Page page = catalogue.search(
                        io.refcat.search.http.SearchParameters.fromQueryString(pageParams(params, limit, token), null));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("features", page.items());
                body.put("links", page.next() == null ? List.of()
                        : List.of(Map.of("rel", "next", "body", Map.of("token", page.next()))));
                return CompletableFuture.completedFuture(NodeIdentity.JSON.valueToTree(body));
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** The search parameters of one page: {@code params} with {@code limit} and, after the first page, {@code token}. */
    public static Map<String, List<String>> pageParams(Map<String, List<String>> params, int limit, String token) {
        Map<String, List<String>> q = new LinkedHashMap<>(params);
        q.put("limit", List.of(Integer.toString(limit)));
        if (token != null) {
            q.put("token", List.of(token));
        }
        return q;
    }

    /** Where each source stands: the page token it was asked with (null: its first page) and items of it used. */
    record Cursor(String token, int used, boolean exhausted) {
    }

    /**
     * @param params the STAC search parameters (GET form), without {@code token}, {@code limit} and {@code peers}
     * @param token  this search's token from a previous page, or null
     */
    public Map<String, Object> search(List<Source> sources, Map<String, List<String>> params, int limit, String token,
                                      String selfUrl) throws IOException {
        Map<String, Cursor> cursors = decode(token);
        params = withMergeFields(params);
        Map<String, CompletableFuture<Candidates>> pending = new LinkedHashMap<>();
        for (Source s : sources) {
            Cursor c = cursors.getOrDefault(s.url(), new Cursor(null, 0, false));
            if (!c.exhausted()) {
                pending.put(s.url(), candidates(s, params, limit, c)
                        .orTimeout(peerTimeout.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        FanOut<Candidates> fan = FanOut.await(pending, deadline);
        for (Source s : sources) {
            if (cursors.containsKey(s.url()) && cursors.get(s.url()).exhausted()) {
                fan.answered().add(s.url()); // answered in full on an earlier page: nothing more to ask
            }
        }
        Map<String, Candidates> answers = fan.answers();

        record Hit(String source, int index, JsonNode item) {
        }
        List<Hit> hits = new ArrayList<>();
        answers.forEach((url, c) -> {
            for (int i = 0; i < c.items().size(); i++) {
                hits.add(new Hit(url, i, c.items().get(i)));
            }
        });
        hits.sort(Comparator.comparing(Hit::item, ItemOrder.of(params.getOrDefault("sortby", List.of()))));
        Map<String, Source> byUrl = new LinkedHashMap<>();
        sources.forEach(s -> byUrl.put(s.url(), s));
        List<Object> features = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> consumed = new LinkedHashMap<>();
        for (Hit h : hits) {
            if (features.size() == limit) {
                break;
            }
            consumed.merge(h.source(), h.index() + 1, Math::max);
            String key = h.item().path("collection").asText() + "/" + h.item().path("id").asText();
            if (!seen.add(key)) {
                continue; // a replica of an item already on this page
            }
            ObjectNode item = ((ObjectNode) h.item()).deepCopy();
            ObjectNode props = item.with("properties");
            Source s = byUrl.get(h.source());
            props.put("refcat:node", s.name());
            props.put("refcat:node_url", s.url());
            features.add(item);
        }

        Map<String, Cursor> next = new LinkedHashMap<>(cursors);
        boolean more = !fan.timedOut().isEmpty() || !fan.failed().isEmpty();
        for (Map.Entry<String, Candidates> a : answers.entrySet()) {
            Cursor after = a.getValue().after(consumed.getOrDefault(a.getKey(), 0));
            next.put(a.getKey(), after);
            more |= !after.exhausted();
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "FeatureCollection");
        body.put("features", features);
        body.put("numberReturned", features.size());
        List<Object> links = new ArrayList<>();
        if (more && !features.isEmpty()) {
            Map<String, List<String>> q = new LinkedHashMap<>(params);
            q.put("limit", List.of(Integer.toString(limit)));
            q.put("token", List.of(encode(next)));
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("rel", "next");
            link.put("href", selfUrl + "?" + queryString(q));
            link.put("type", "application/geo+json");
            links.add(link);
        }
        body.put("links", links);
        Map<String, Object> federation = fan.json();
        body.put("federation", federation);
        return body;
    }

    /**
     * A source's next items: its page at the cursor's token from the cursor's position on, and,
     * where that leaves fewer than a page and the source has more, its following page too, so
     * that every source offers a whole page to the merge.
     *
     * @param pageSize  items of the first page
     * @param next1     the first page's next token (null: none)
     * @param page2Size items of the second page, or -1 if it was not fetched
     * @param next2     the second page's next token
     */
    record Candidates(List<JsonNode> items, Cursor at, int pageSize, String next1, int page2Size, String next2) {
        /** The cursor after {@code used} of these items went into the answer. */
        Cursor after(int used) {
            int pos = at.used() + used;
            if (pos < pageSize) {
                return new Cursor(at.token(), pos, false);
            }
            if (page2Size < 0) {
                return next1 == null ? new Cursor(null, 0, true) : new Cursor(next1, 0, false);
            }
            int pos2 = pos - pageSize;
            if (pos2 < page2Size) {
                return new Cursor(next1, pos2, false);
            }
            return next2 == null ? new Cursor(null, 0, true) : new Cursor(next2, 0, false);
        }
    }

    private CompletableFuture<Candidates> candidates(Source s, Map<String, List<String>> params, int limit, Cursor c) {
        return s.page(params, limit, c.token()).thenCompose(p1 -> {
            List<JsonNode> first = list(p1.path("features"));
            String next1 = nextToken(p1);
            List<JsonNode> items = new ArrayList<>(first.subList(Math.min(c.used(), first.size()), first.size()));
            if (c.used() == 0 || next1 == null) {
                return CompletableFuture.completedFuture(new Candidates(items, c, first.size(), next1, -1, null));
            }
            return s.page(params, limit, next1).thenApply(p2 -> {
                List<JsonNode> second = list(p2.path("features"));
                items.addAll(second);
                return new Candidates(items, c, first.size(), next1, second.size(), nextToken(p2));
            });
        });
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /**
     * The parameters with the fields the merge needs ({@code collection}, the sort keys) kept in
     * a {@code fields} selection that names what to include.
     */
    private static Map<String, List<String>> withMergeFields(Map<String, List<String>> params) {
        List<String> fields = params.get("fields");
        if (fields == null || fields.isEmpty()) {
            return params;
        }
        StringBuilder f = new StringBuilder(String.join(",", fields)).append(",collection,id");
        for (String spec : params.getOrDefault("sortby", List.of())) {
            for (String key : spec.split(",")) {
                String k = key.trim().replaceFirst("^[+-]", "");
                if (!k.isEmpty()) {
                    f.append(',').append(k);
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>(params);
        out.put("fields", List.of(f.toString()));
        return out;
    }

    /** The {@code token} of a page's {@code next} link, or null at its end. */
    private static String nextToken(JsonNode page) {
        for (JsonNode l : page.path("links")) {
            if ("next".equals(l.path("rel").asText())) {
                if (l.has("body") && l.path("body").has("token")) {
                    return l.path("body").path("token").asText();
                }
                String query = URI.create(l.path("href").asText()).getRawQuery();
                for (String kv : query == null ? new String[0] : query.split("&")) {
                    if (kv.startsWith("token=")) {
                        return URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return null;
    }

    static String queryString(Map<String, List<String>> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, vs) -> vs.forEach(v -> q.append(q.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return q.toString();
    }

    static String encode(Map<String, Cursor> cursors) {
        ArrayNode a = NodeIdentity.JSON.createArrayNode();
        cursors.forEach((url, c) -> a.addObject().put("u", url).put("t", c.token()).put("n", c.used()).put("x", c.exhausted()));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(NodeIdentity.JSON.writeValueAsBytes(a));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Cursor> decode(String token) {
        Map<String, Cursor> out = new LinkedHashMap<>();
        if (token == null || token.isEmpty()) {
            return out;
        }
        try {
            for (JsonNode c : NodeIdentity.JSON.readTree(Base64.getUrlDecoder().decode(token))) {
                out.put(c.path("u").asText(), new Cursor(c.path("t").isNull() ? null : c.path("t").asText(null),
                        c.path("n").asInt(), c.path("x").asBoolean()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new io.refcat.search.BadParameter("token", "not a token of this federated search");
        }
        return out;
    }
}
