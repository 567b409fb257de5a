package io.refcat.search.http;

import io.refcat.search.BadParameter;
import io.refcat.search.cql2.Cql2;
import io.refcat.search.cql2.Cql2Json;
import io.refcat.search.cql2.Cql2Text;
import io.refcat.search.cql2.Geometries;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.Cql2Query;
import io.refcat.search.lucene.ItemQuery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Item-search parameters from a query string (GET) or a JSON body (POST), checked: a bad value is
 * a {@link BadParameter} naming the parameter, which the API answers with 400.
 *
 * <p>{@code limit} defaults to {@link #DEFAULT_LIMIT} and is clamped to {@link #MAX_LIMIT}, as
 * STAC API says (a larger value is not an error).
 */
public final class SearchParameters {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    private SearchParameters() {
    }

    public static ItemQuery fromQueryString(Map<String, List<String>> params, List<String> collectionsOverride) {
        List<String> known = List.of("bbox", "datetime", "ids", "collections", "limit", "q", "token", "intersects",
                "sortby", "fields", "filter", "filter-lang", "filter-crs");
        for (String p : params.keySet()) {
            if (!known.contains(p)) {
                throw new BadParameter(p, "not a search parameter of this server (" + String.join(", ", known) + ")");
            }
        }
        double[] bbox = one(params, "bbox") == null ? null : bbox(Arrays.stream(one(params, "bbox").split(",")).map(s -> {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new BadParameter("bbox", "'" + s + "' is not a number");
            }
        }).toList());
        if (params.containsKey("intersects")) {
            throw new BadParameter("intersects", "use POST /stac/search with a GeoJSON geometry");
        }
        List<ItemQuery.SortKey> sortby = new ArrayList<>();
        if (one(params, "sortby") != null) {
            for (String key : list(one(params, "sortby"))) {
                boolean desc = key.startsWith("-");
                sortby.add(sortKey(key.startsWith("-") || key.startsWith("+") ? key.substring(1) : key, desc));
            }
        }
        Cql2 filter = null;
        if (one(params, "filter") != null) {
            String lang = one(params, "filter-lang") == null ? "cql2-text" : one(params, "filter-lang");
            crs(one(params, "filter-crs"));
            filter = filter(() -> switch (lang) {
                case "cql2-text" -> Cql2Text.parse(one(params, "filter"));
                case "cql2-json" -> Cql2Json.parse(json(one(params, "filter")));
                default -> throw new BadParameter("filter-lang", "cql2-text or cql2-json, not '" + lang + "'");
            });
        }
        return build(bbox, one(params, "datetime"), list(one(params, "ids")),
                collectionsOverride != null ? collectionsOverride : list(one(params, "collections")),
                one(params, "limit"), one(params, "q"), one(params, "token"), sortby, filter, null);
    }

    /** Most words a free-text search may have: each is a clause of the query, and Lucene allows 1,024. */
    static final int MAX_TERMS = 200;

    /** The fields extension's selection of a GET request ({@code fields=id,properties.title,-assets}). */
    static FieldSelection fieldsFromQueryString(Map<String, List<String>> params) {
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String f : list(one(params, "fields")) == null ? List.<String>of() : list(one(params, "fields"))) {
            if (f.startsWith("-")) {
                exclude.add(f.substring(1));
            } else {
                include.add(f.startsWith("+") ? f.substring(1) : f);
            }
        }
        return new FieldSelection(include, exclude);
    }

    /** The fields extension's selection of a POST body ({@code "fields": {"include": [], "exclude": []}}). */
    static FieldSelection fieldsFromJson(JsonNode body) {
        JsonNode f = body == null ? null : body.get("fields");
        if (f == null || f.isNull()) {
            return new FieldSelection(List.of(), List.of());
        }
        if (!f.isObject()) {
            throw new BadParameter("fields", "an object {\"include\": [...], \"exclude\": [...]} is expected");
        }
        return new FieldSelection(f.has("include") ? strings(f, "include") : List.of(),
                f.has("exclude") ? strings(f, "exclude") : List.of());
    }

    private static ItemQuery.SortKey sortKey(String field, boolean descending) {
        try {
            return new ItemQuery.SortKey(field, descending);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("sortby", e.getMessage());
        }
    }

    static ItemQuery fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadParameter("body", "a JSON object is expected");
        }
        List<String> known = List.of("bbox", "datetime", "ids", "collections", "limit", "q", "token", "intersects",
                "sortby", "fields", "filter", "filter-lang", "filter-crs");
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new BadParameter(f, "not a search parameter of this server (" + String.join(", ", known) + ")");
            }
        });
        double[] bbox = null;
        if (body.has("bbox")) {
            if (!body.get("bbox").isArray()) {
                throw new BadParameter("bbox", "an array of 4 or 6 numbers is expected");
            }
            List<Double> values = new ArrayList<>();
            body.get("bbox").forEach(v -> {
                if (!v.isNumber()) {
                    throw new BadParameter("bbox", "'" + v + "' is not a number");
                }
                values.add(v.asDouble());
            });
            bbox = bbox(values);
        }
        org.apache.lucene.geo.LatLonGeometry[] intersects = null;
        if (body.has("intersects")) {
            if (bbox != null) {
                throw new BadParameter("intersects", "bbox and intersects cannot be given together");
            }
            intersects = Geometries.lucene(body.get("intersects"), "intersects");
        }
        String q = body.has("q") ? (body.get("q").isArray() ? String.join(",", strings(body, "q")) : body.get("q").asText())
                : null;
        List<ItemQuery.SortKey> sortby = new ArrayList<>();
        if (body.has("sortby")) {
            if (!body.get("sortby").isArray()) {
                throw new BadParameter("sortby", "an array of {\"field\", \"direction\"} is expected");
            }
            for (JsonNode k : body.get("sortby")) {
                String direction = k.path("direction").asText("asc");
                if (!k.path("field").isTextual() || !(direction.equals("asc") || direction.equals("desc"))) {
                    throw new BadParameter("sortby", "each key needs a field and a direction asc or desc, got " + k);
                }
                sortby.add(sortKey(k.get("field").asText(), direction.equals("desc")));
            }
        }
        Cql2 filter = null;
        if (body.hasNonNull("filter")) {
            String lang = body.has("filter-lang") ? body.get("filter-lang").asText() : "cql2-json";
            crs(text(body, "filter-crs"));
            JsonNode f = body.get("filter");
            filter = filter(() -> switch (lang) {
                case "cql2-json" -> Cql2Json.parse(f);
                case "cql2-text" -> Cql2Text.parse(f.asText());
                default -> throw new BadParameter("filter-lang", "cql2-text or cql2-json, not '" + lang + "'");
            });
        }
        return build(bbox, text(body, "datetime"), body.has("ids") ? strings(body, "ids") : null,
                body.has("collections") ? strings(body, "collections") : null,
                body.has("limit") ? body.get("limit").asText() : null, q, text(body, "token"), sortby, filter, intersects);
    }

    private static String text(JsonNode body, String field) {
        return body.has(field) && !body.get(field).isNull() ? body.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode body, String field) {
        if (!body.get(field).isArray()) {
            throw new BadParameter(field, "an array of strings is expected");
        }
        List<String> out = new ArrayList<>();
        body.get(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static List<String> list(String csv) {
        return csv == null ? null : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static double[] bbox(List<Double> v) {
        if (v.size() != 4 && v.size() != 6) {
            throw new BadParameter("bbox", "4 or 6 numbers are expected, got " + v.size());
        }
        if (v.stream().anyMatch(d -> !Double.isFinite(d))) {
            throw new BadParameter("bbox", "the numbers must be finite, got " + v);
        }
        int h = v.size() / 2;
        double w = v.get(0);
        double s = v.get(1);
        double e = v.get(h);
        double n = v.get(h + 1);
        if (s > n || Math.abs(s) > 90 || Math.abs(n) > 90 || Math.abs(w) > 180 || Math.abs(e) > 180) {
            throw new BadParameter("bbox", "expected west,south,east,north in degrees with south <= north, got " + v);
        }
        return new double[] {w, s, e, n};
    }

    /** Parses a filter and checks every property it names, so a bad filter is a 400 before any search. */
    private static Cql2 filter(java.util.function.Supplier<Cql2> parse) {
        try {
            Cql2 f = parse.get();
            Cql2Query.of(f);
            return f;
        } catch (Cql2.BadFilter e) {
            throw new BadParameter("filter", e.getMessage());
        }
    }

    private static void crs(String crs) {
        if (crs != null && !crs.equals("http://www.opengis.net/def/crs/OGC/1.3/CRS84")
                && !crs.equals("http://www.opengis.net/def/crs/EPSG/0/4326")) {
            throw new BadParameter("filter-crs", "only CRS84 (WGS 84 longitude, latitude) is supported");
        }
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new BadParameter("filter", "not JSON: " + e.getMessage());
        }
    }

    private static ItemQuery build(double[] bbox, String datetime, List<String> ids, List<String> collections,
                                   String limitText, String q, String token, List<ItemQuery.SortKey> sortby,
                                   Cql2 filter, org.apache.lucene.geo.LatLonGeometry[] intersects) {
        if (q != null && q.split("[\\s,]+").length > MAX_TERMS) {
            throw new BadParameter("q", "at most " + MAX_TERMS + " words");
        }
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                throw new BadParameter("limit", "'" + limitText + "' is not an integer");
            }
            if (limit < 1) {
                throw new BadParameter("limit", "must be at least 1, got " + limit);
            }
            limit = Math.min(limit, MAX_LIMIT);
        }
        Long start = null;
        Long end = null;
        if (datetime != null) {
            String[] parts = datetime.split("/", -1);
            if (parts.length > 2) {
                throw new BadParameter("datetime", "an instant or an interval start/end is expected");
            }
            if (parts.length == 1) {
                start = instant(parts[0]);
                end = start;
            } else {
                start = open(parts[0]) ? null : instant(parts[0]);
                end = open(parts[1]) ? null : instant(parts[1]);
                if (start != null && end != null && start > end) {
                    throw new BadParameter("datetime", "the interval ends before it starts");
                }
            }
        }
        if (token != null) {
            try {
                Catalogue.decodeToken(token, sortby);
            } catch (IllegalArgumentException e) {
                throw new BadParameter("token", e.getMessage().replaceFirst("^token: ", ""));
            }
        }
        return new ItemQuery(ids, collections, bbox, datetime != null, start, end, q, limit, token, sortby, filter,
                intersects);
    }

    private static boolean open(String part) {
        return part.isEmpty() || part.equals("..");
    }

    private static long instant(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.trim()).getEpochSecond();
            } catch (DateTimeParseException e2) {
                throw new BadParameter("datetime", "'" + text + "' is not an RFC 3339 date-time");
            }
        }
    }
}
