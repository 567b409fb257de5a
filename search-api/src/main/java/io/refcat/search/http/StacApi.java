package io.refcat.search.http;

import io.refcat.search.BadParameter;
import io.refcat.search.StacItems;
import io.refcat.search.StacJson;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.CollectionSearch;
import io.refcat.search.lucene.ItemQuery;
import io.refcat.search.lucene.Queryables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The STAC API 1.0.0 under {@code /stac}: landing page, conformance, OpenAPI document,
 * collections, items (OGC API Features) and item search (GET and POST) with bbox, intersects,
 * datetime, ids, collections, limit, free text {@code q}, {@code sortby}, {@code fields}, and paging
 * by {@code next} links (which keep the sort), and CQL2 {@code filter} (text and JSON) over the
 * queryables of {@code /stac/queryables}.
 *
 * <p>Decision: {@code conformsTo} lists exactly what is implemented ({@link #CONFORMANCE}).
 * {@code T_INTERSECTS} is implemented, but CQL2's temporal-functions class (fourteen more operators)
 * is not, so it is not declared. Collection search takes bbox, datetime, q and limit (paged by
 * offset: collections are few). Responses
 * are {@code application/geo+json} for items and item collections, {@code application/json}
 * otherwise; a bad parameter is a 400 {@code {"code": "BadRequest", "description", "parameter"}}.
 */
public final class StacApi {
    public static final List<String> CONFORMANCE = List.of(
            "https://api.stacspec.org/v1.0.0/core",
            "https://api.stacspec.org/v1.0.0/collections",
            "https://api.stacspec.org/v1.0.0/ogcapi-features",
            "https://api.stacspec.org/v1.0.0/item-search",
            "https://api.stacspec.org/v1.0.0-rc.1/item-search#free-text",
            "https://api.stacspec.org/v1.0.0/item-search#sort",
            "https://api.stacspec.org/v1.0.0/item-search#fields",
            "https://api.stacspec.org/v1.0.0/ogcapi-features#sort",
            "https://api.stacspec.org/v1.0.0/ogcapi-features#fields",
            "https://api.stacspec.org/v1.0.0-rc.2/item-search#filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
            "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
            "https://api.stacspec.org/v1.0.0-rc.1/collection-search",
            "https://api.stacspec.org/v1.0.0-rc.1/collection-search#free-text",
            "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/simple-query",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            StacAggregation.CONFORMANCE.get(0), StacAggregation.CONFORMANCE.get(1));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GEOJSON = "application/geo+json";

    private final Catalogue catalogue;
    private final boolean exposePaths;

    private StacApi(Catalogue catalogue, boolean exposePaths) {
        this.catalogue = catalogue;
        this.exposePaths = exposePaths;
    }

    public static void register(Javalin app, Catalogue catalogue) {
        register(app, catalogue, false);
    }

    /**
     * @param exposePaths name local source files by their paths, not by the store's {@code /files}
     *                    URLs (for a trusted setup whose clients share the server's disk)
     */
    public static void register(Javalin app, Catalogue catalogue, boolean exposePaths) {
        StacApi api = new StacApi(catalogue, exposePaths);
        // Catalogue answers change as datasets come and go: short-lived, revalidated by ETag.
        app.before("/stac*", ctx -> ctx.header("Cache-Control", "public, max-age=10, must-revalidate"));
        app.get("/stac", api::landing);
        app.get("/stac/conformance", ctx -> ctx.json(Map.of("conformsTo", CONFORMANCE)));
        app.get("/stac/api", ctx -> ctx.contentType("application/vnd.oai.openapi+json;version=3.0")
                .result(OpenApi.document(base(ctx))));
        app.get("/stac/queryables", ctx -> ctx.contentType("application/schema+json")
                .result(JSON.writeValueAsBytes(Queryables.schema(base(ctx)))));
        app.get("/stac/collections/{collection}/queryables", ctx -> ctx.contentType("application/schema+json")
                .result(JSON.writeValueAsBytes(Queryables.schema(base(ctx)))));
        app.get("/stac/collections", api::collections);
        app.get("/stac/collections/{collection}", api::collection);
        app.get("/stac/collections/{collection}/items", api::items);
        app.get("/stac/collections/{collection}/items/{item}", api::item);
        app.get("/stac/search", ctx -> api.search(ctx, SearchParameters.fromQueryString(ctx.queryParamMap(), null),
                SearchParameters.fieldsFromQueryString(ctx.queryParamMap()), false));
        StacAggregation.register(app, catalogue);
        app.post("/stac/search", ctx -> {
            JsonNode body = jsonBody(ctx);
            api.search(ctx, SearchParameters.fromJson(body), SearchParameters.fieldsFromJson(body), true);
        });
        app.exception(BadParameter.class, (e, ctx) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", "BadRequest");
            body.put("description", e.getMessage());
            body.put("parameter", e.parameter());
            ctx.status(400).json(body);
        });
    }

    /** A POST's JSON body; one that is not JSON is a 400 naming {@code body}. */
    static JsonNode jsonBody(Context ctx) {
        try {
            return JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new BadParameter("body", "not JSON: " + e.getMessage());
        }
    }

    static String base(Context ctx) {
        return io.refcat.store.StoreServer.baseUrl(ctx);
    }

    private void landing(Context ctx) {
        String base = base(ctx);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("type", "Catalog");
        l.put("stac_version", StacItems.STAC_VERSION);
        l.put("id", "refcat");
        l.put("title", "refcat catalogue");
        l.put("description", "Virtual Zarr datasets over NetCDF, HDF5 and GRIB archives, searchable by place, time "
                + "and text.");
        l.put("conformsTo", CONFORMANCE);
        List<Object> links = new ArrayList<>();
        links.add(StacJson.link("self", base + "/stac", "application/json"));
        links.add(StacJson.link("root", base + "/stac", "application/json"));
        links.add(StacJson.link("conformance", base + "/stac/conformance", "application/json"));
        links.add(StacJson.link("data", base + "/stac/collections", "application/json"));
        links.add(StacJson.link("service-desc", base + "/stac/api", "application/vnd.oai.openapi+json;version=3.0"));
        links.add(StacJson.link("http://www.opengis.net/def/rel/ogc/1.0/queryables", base + "/stac/queryables",
                "application/schema+json"));
        links.add(StacJson.link("aggregations", base + "/stac/aggregations", "application/json"));
        for (String method : List.of("GET", "POST")) {
            links.add(StacJson.link("aggregate", base + "/stac/aggregate", "application/json", method));
            links.add(StacJson.link("search", base + "/stac/search", GEOJSON, method));
        }
        try {
            for (Map<String, Object> c : catalogue.collections()) {
                Map<String, Object> child = StacJson.link("child", base + "/stac/collections/" + c.get("id"),
                        "application/json");
                child.put("title", c.get("title"));
                links.add(child);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        l.put("links", links);
        ctx.json(l);
    }

    /** All collections, or with bbox, datetime, q, limit: collection search ({@link CollectionSearch}). */
    private void collections(Context ctx) throws IOException {
        String base = base(ctx);
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        for (String p : params.keySet()) {
            if (!List.of("bbox", "datetime", "q", "limit", "offset").contains(p)) {
                throw new BadParameter(p, "not a collection search parameter (bbox, datetime, q, limit)");
            }
        }
        int offset = 0;
        if (params.containsKey("offset")) {
            try {
                offset = Integer.parseInt(params.remove("offset").get(0));
            } catch (NumberFormatException e) {
                throw new BadParameter("offset", "not an integer");
            }
            if (offset < 0) {
                throw new BadParameter("offset", "must be >= 0");
            }
        }
        boolean searching = !params.isEmpty();
        if (!params.containsKey("limit")) {
            params.put("limit", List.of(String.valueOf(SearchParameters.MAX_LIMIT)));
        }
        ItemQuery q = SearchParameters.fromQueryString(params, null);
        List<Map<String, Object>> all = catalogue.collections();
        List<Map<String, Object>> page = CollectionSearch.page(all, q, offset);
        long matched = all.stream().filter(c -> CollectionSearch.matches(c, q)).count();
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> c : page) {
            out.add(StacJson.collection(c, base));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collections", out);
        List<Object> links = new ArrayList<>();
        links.add(StacJson.link("self", base + "/stac/collections", "application/json"));
        links.add(StacJson.link("root", base + "/stac", "application/json"));
        if (offset + page.size() < matched) {
            Map<String, List<String>> next = new LinkedHashMap<>(ctx.queryParamMap());
            next.remove("offset");
            links.add(StacJson.link("next", base + "/stac/collections?" + queryString(next, "offset",
                    String.valueOf(offset + page.size())), "application/json"));
        }
        body.put("links", links);
        if (searching) {
            body.put("numberMatched", matched);
            body.put("numberReturned", out.size());
        }
        ctx.json(body);
    }

    private void collection(Context ctx) throws IOException {
        Map<String, Object> c = catalogue.collection(ctx.pathParam("collection")).orElseThrow(() ->
                notFound("no collection '" + ctx.pathParam("collection") + "'"));
        ctx.json(StacJson.collection(c, base(ctx)));
    }

    private void items(Context ctx) throws IOException {
        String collection = ctx.pathParam("collection");
        if (catalogue.collection(collection).isEmpty()) {
            throw notFound("no collection '" + collection + "'");
        }
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        search(ctx, SearchParameters.fromQueryString(params, List.of(collection)),
                SearchParameters.fieldsFromQueryString(params), false);
    }

    private void item(Context ctx) throws IOException {
        Map<String, Object> item = catalogue.item(ctx.pathParam("collection"), ctx.pathParam("item")).orElseThrow(() ->
                notFound("no item '" + ctx.pathParam("item") + "' in collection '" + ctx.pathParam("collection") + "'"));
        ctx.contentType(GEOJSON).result(JSON.writeValueAsBytes(StacJson.item(item, base(ctx), exposePaths)));
    }

    private static io.javalin.http.NotFoundResponse notFound(String message) {
        return new io.javalin.http.NotFoundResponse(message);
    }

    private void search(Context ctx, ItemQuery q, FieldSelection fields, boolean post) throws IOException {
        Catalogue.Page page = catalogue.search(q);
        String base = base(ctx);
        List<Object> features = new ArrayList<>();
        for (Map<String, Object> item : page.items()) {
            features.add(fields.apply(StacJson.item(item, base, exposePaths)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "FeatureCollection");
        body.put("features", features);
        body.put("numberMatched", page.numberMatched());
        body.put("numberReturned", features.size());
        List<Object> links = new ArrayList<>();
        String self = base + ctx.path();
        links.add(StacJson.link("root", base + "/stac", "application/json"));
        if (page.next() != null) {
            if (post) {
                Map<String, Object> next = StacJson.link("next", self, GEOJSON);
                next.put("method", "POST");
                Map<String, Object> nextBody = JSON.convertValue(JSON.readTree(ctx.bodyAsBytes()), Map.class);
                nextBody.put("token", page.next());
                next.put("body", nextBody);
                links.add(next);
            } else {
                links.add(StacJson.link("next", self + "?" + queryString(ctx.queryParamMap(), "token", page.next()), GEOJSON));
            }
        }
        body.put("links", links);
        ctx.contentType(GEOJSON).result(JSON.writeValueAsBytes(body));
    }

    /** The request's parameters with {@code key} set to {@code value}. */
    private static String queryString(Map<String, List<String>> params, String key, String value) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, vs) -> {
            if (!k.equals(key)) {
                for (String v : vs) {
                    q.append(q.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v));
                }
            }
        });
        return q.append(q.length() == 0 ? "" : "&").append(enc(key)).append('=').append(enc(value)).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
