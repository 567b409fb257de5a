package io.refcat.search.http;

import io.refcat.search.BadParameter;
import io.refcat.search.StacJson;
import io.refcat.search.lucene.Aggregations;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.ItemQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The STAC API Aggregation extension (v0.3.0) under {@code /stac}: {@code GET /aggregations}
 * lists what can be aggregated, {@code GET|POST /aggregate} computes the requested aggregations
 * (all by default) over the items that the same parameters as {@code /stac/search} match, and the
 * same under {@code /collections/{id}}. Frequencies are exact: every matching item is counted.
 */
public final class StacAggregation {
    static final List<String> CONFORMANCE = List.of("https://api.stacspec.org/v0.3.0/aggregation",
            "https://api.stacspec.org/v0.3.0/aggregation#filter");
    private static final String PARAMETER = "aggregations";

    private final Catalogue catalogue;

    private StacAggregation(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    static void register(Javalin app, Catalogue catalogue) {
        StacAggregation a = new StacAggregation(catalogue);
        app.get("/stac/aggregations", ctx -> ctx.json(a.available(StacApi.base(ctx) + "/stac")));
        app.get("/stac/aggregate", ctx -> a.aggregate(ctx, null, queryString(ctx)));
        app.post("/stac/aggregate", ctx -> a.aggregate(ctx, null, body(ctx)));
        app.get("/stac/collections/{collection}/aggregations", ctx -> {
            a.requireCollection(ctx.pathParam("collection"));
            ctx.json(a.available(StacApi.base(ctx) + "/stac/collections/" + ctx.pathParam("collection")));
        });
        app.get("/stac/collections/{collection}/aggregate", ctx -> a.aggregate(ctx, ctx.pathParam("collection"),
                queryString(ctx)));
    }

    /** The request's search parameters and the aggregations it names. */
    private record Request(ItemQuery query, List<String> names) {
    }

    private static java.util.function.Function<String, Request> queryString(Context ctx) {
        return collection -> {
            Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
            List<String> names = params.containsKey(PARAMETER) ? split(params.remove(PARAMETER)) : null;
            return new Request(SearchParameters.fromQueryString(params, collection == null ? null : List.of(collection)),
                    names);
        };
    }

    private static java.util.function.Function<String, Request> body(Context ctx) {
        return collection -> {
            JsonNode body = StacApi.jsonBody(ctx);
            List<String> names = null;
            if (body instanceof ObjectNode o && o.has(PARAMETER)) {
                JsonNode n = o.remove(PARAMETER);
                if (!n.isArray()) {
                    throw new BadParameter(PARAMETER, "an array of aggregation names is expected");
                }
                names = new ArrayList<>();
                for (JsonNode x : n) {
                    names.add(x.asText());
                }
            }
            return new Request(SearchParameters.fromJson(body), names);
        };
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String name : v.split(",")) {
                if (!name.isBlank()) {
                    out.add(name.trim());
                }
            }
        }
        return out;
    }

    private void requireCollection(String id) throws IOException {
        if (catalogue.collection(id).isEmpty()) {
            throw new io.javalin.http.NotFoundResponse("no collection '" + id + "'");
        }
    }

    private Map<String, Object> available(String self) {
        List<Object> list = new ArrayList<>();
        Aggregations.AVAILABLE.forEach((name, type) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            a.put("data_type", type);
            list.add(a);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("aggregations", list);
        body.put("links", List.of(StacJson.link("self", self + "/aggregations", "application/json"),
                StacJson.link("aggregate", self + "/aggregate", "application/json")));
        return body;
    }

    private void aggregate(Context ctx, String collection, java.util.function.Function<String, Request> parse)
            throws IOException {
        if (collection != null) {
            requireCollection(collection);
        }
        Request r = parse.apply(collection);
        List<String> names = r.names() == null ? List.copyOf(Aggregations.AVAILABLE.keySet()) : r.names();
        for (String n : names) {
            if (!Aggregations.AVAILABLE.containsKey(n)) {
                throw new BadParameter(PARAMETER, "'" + n + "' is not an aggregation of this server ("
                        + String.join(", ", Aggregations.AVAILABLE.keySet()) + ")");
            }
        }
        Aggregations.Counts counts = catalogue.aggregate(r.query());
        List<Object> out = new ArrayList<>();
        for (String n : names) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", n);
            a.put("data_type", Aggregations.AVAILABLE.get(n));
            switch (n) {
                case Aggregations.TOTAL -> a.put("value", counts.total());
                case Aggregations.DATETIME_MIN -> a.put("value", instant(counts.minStart()));
                case Aggregations.DATETIME_MAX -> a.put("value", instant(counts.maxEnd()));
                default -> {
                    String facet = n.substring(0, n.length() - "_frequency".length());
                    a.put("buckets", buckets(counts.frequencies().get(facet)));
                    a.put("overflow", 0);
                }
            }
            out.add(a);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "AggregationCollection");
        body.put("aggregations", out);
        String base = StacApi.base(ctx);
        body.put("links", List.of(StacJson.link("root", base + "/stac", "application/json"),
                StacJson.link("self", base + ctx.path(), "application/json")));
        ctx.json(body);
    }

    private static String instant(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds).toString();
    }

    /** Frequency buckets, most frequent first, ties by key: the extension's {@code buckets} member. */
    public static List<Object> buckets(Map<String, Long> frequencies) {
        List<Object> buckets = new ArrayList<>();
        frequencies.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> {
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("key", e.getKey());
                    b.put("data_type", "frequency_distribution");
                    b.put("frequency", e.getValue());
                    buckets.add(b);
                });
        return buckets;
    }
}
