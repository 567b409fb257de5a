package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.http.StacApi;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The STAC API over the catalogue of the fixtures (catalogue/, grib/, netcdf4/), on a real server
 * on 127.0.0.1: what a person expects of bbox, datetime and text searches, paging, errors, and
 * every response valid against the official STAC schemas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StacApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin server;
    private Catalogue catalogue;
    private String base;

    @BeforeAll
    void indexAndServe(@TempDir Path data) throws Exception {
        IndexCommandTest.Run r = IndexCommandTest.refcat("index", Fixtures.dataDir().resolve("catalogue").toString(),
                Fixtures.dataDir().resolve("grib").toString(), Fixtures.dataDir().resolve("netcdf4").toString(),
                "--data", data.toString(), "--collection", "fixtures");
        assertEquals(0, r.exit(), r.err());
        IndexCommandTest.Run daily = IndexCommandTest.refcat("index", Fixtures.dataDir().resolve("combine/netcdf4").toString(),
                "--data", data.toString(), "--collection", "daily");
        assertEquals(0, daily.exit(), daily.err());
        // The shared corpus too, where present: real files from other projects, some of them broken on
        // purpose (those fail to index, so the run exits 1); the rest must catalogue and validate.
        Fixtures.corpus().ifPresent(corpus -> {
            IndexCommandTest.Run c = IndexCommandTest.refcat("index", corpus.toString(), "--data", data.toString(),
                    "--collection", "corpus");
            assertTrue(c.out().contains("catalogued"), c.out() + c.err());
            assertFalse(c.err().contains("not catalogued"), c.err());
        });
        catalogue = Catalogue.openReadOnly(data);
        server = StoreServer.create(new ReferenceDirectory(data.resolve("refs")),
                new SourceResolver(List.of(Fixtures.dataDir())));
        StacApi.register(server, catalogue);
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
        catalogue.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode post(String path, JsonNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Set<String> ids(JsonNode collection) {
        Set<String> ids = new HashSet<>();
        collection.get("features").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    private List<JsonNode> allItems() throws Exception {
        List<JsonNode> items = new ArrayList<>();
        getJson("/stac/search?limit=1000").get("features").forEach(items::add);
        return items;
    }

    @Test
    void aBboxFindsExactlyTheDatasetsOverlappingIt() throws Exception {
        double[][] boxes = {{0, 40, 20, 55}, {170, -10, -170, 10}, {-60, 72, -50, 80}, {100, -80, 110, -70}};
        List<JsonNode> all = allItems();
        for (double[] b : boxes) {
            Set<String> expected = new HashSet<>();
            for (JsonNode item : all) {
                if (item.hasNonNull("bbox") && overlaps(item.get("bbox"), b)) {
                    expected.add(item.get("id").asText());
                }
            }
            String q = b[0] + "," + b[1] + "," + b[2] + "," + b[3];
            assertEquals(expected, ids(getJson("/stac/search?limit=1000&bbox=" + q)), q);
        }
        Set<String> across = ids(getJson("/stac/search?limit=1000&bbox=170,-10,-170,10"));
        assertTrue(across.containsAll(Set.of("pacific_360day.nc", "global_0_360_hourly.nc")), "across the antimeridian");
        assertFalse(across.contains("europe_sst_noleap.nc"));
    }

    /** Box overlap with either box possibly crossing the antimeridian (west > east). */
    private static boolean overlaps(JsonNode item, double[] q) {
        double w = item.get(0).asDouble();
        double s = item.get(1).asDouble();
        double e = item.get(2).asDouble();
        double n = item.get(3).asDouble();
        if (s > q[3] || n < q[1]) {
            return false;
        }
        for (double[] a : split(w, e)) {
            for (double[] c : split(q[0], q[2])) {
                if (a[0] <= c[1] && c[0] <= a[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<double[]> split(double w, double e) {
        return w <= e ? List.of(new double[] {w, e}) : List.of(new double[] {w, 180}, new double[] {-180, e});
    }

    @Test
    void intersectsTestsTheGeometryItself() throws Exception {
        // A thin triangle whose box covers the European seas item but which passes east of it.
        String triangle = "{\"type\": \"Polygon\", \"coordinates\": [[[31, 30], [40, 30], [31, 65], [31, 30]]]}";
        ObjectNode body = JSON.createObjectNode().put("limit", 1000);
        body.set("intersects", JSON.readTree(triangle));
        body.putArray("collections").add("fixtures");
        Set<String> hit = ids(post("/stac/search", body));
        assertFalse(hit.contains("europe_sst_noleap.nc"), "its box, not the triangle, meets the item");
        body.set("intersects", JSON.readTree("{\"type\": \"Point\", \"coordinates\": [5, 45]}"));
        assertTrue(ids(post("/stac/search", body)).contains("europe_sst_noleap.nc"));
        assertEquals(ids(post("/stac/search", body)), filtered("collection = 'fixtures' AND S_INTERSECTS(geometry, POINT(5 45))"));
        assertFalse(filtered("S_INTERSECTS(geometry, POLYGON((31 30, 40 30, 31 65, 31 30)))").contains("europe_sst_noleap.nc"));
        ObjectNode bad = JSON.createObjectNode();
        bad.set("intersects", JSON.readTree("{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1]]]}"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/stac/search"))
                .POST(HttpRequest.BodyPublishers.ofString(bad.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("intersects", JSON.readTree(r.body()).get("parameter").asText());
    }

    @Test
    void aDatetimeIntervalFindsTheThreeSixtyDayFile() throws Exception {
        JsonNode r = getJson("/stac/search?collections=fixtures&datetime=" + enc("1990-02-10T00:00:00Z/1990-02-20T00:00:00Z"));
        assertEquals(Set.of("pacific_360day.nc"), ids(r));
        assertEquals(1, r.get("numberMatched").asInt());
        assertEquals(Set.of("arctic_curvilinear.nc"), ids(getJson("/stac/search?collections=fixtures&datetime="
                + enc("../1900-12-31T00:00:00Z"))));
        assertTrue(ids(getJson("/stac/search?limit=1000&datetime=" + enc("2010-07-01T12:00:00Z")))
                .contains("global_0_360_hourly.nc"), "an instant inside an interval");
        assertFalse(ids(getJson("/stac/search?limit=1000&datetime=" + enc("1800-01-01T00:00:00Z/..")))
                .contains("station_no_coords.nc"), "a dataset without time is not found by time");
    }

    @Test
    void freeTextFindsStandardNames() throws Exception {
        Set<String> found = ids(getJson("/stac/search?limit=1000&q=temperature"));
        for (JsonNode item : allItems()) {
            boolean named = false;
            for (JsonNode v : item.get("properties").get("cube:variables")) {
                named |= v.path("refcat:standard_name").asText().contains("temperature");
            }
            if (named) {
                assertTrue(found.contains(item.get("id").asText()), item.get("id") + " has a temperature variable");
            }
        }
        assertTrue(found.containsAll(Set.of("europe_sst_noleap.nc", "pacific_360day.nc")), found.toString());
        assertFalse(found.contains("station_no_coords.nc"));
        assertEquals(Set.of("europe_sst_noleap.nc"), ids(getJson("/stac/search?q=" + enc("sea surface temperature"))));
    }

    @Test
    void pagesCoverEverythingOnceWithGetAndPost() throws Exception {
        int total = allItems().size();
        Set<String> seen = new HashSet<>();
        String next = "/stac/search?limit=4";
        int pages = 0;
        while (next != null) {
            JsonNode page = getJson(next);
            assertEquals(total, page.get("numberMatched").asInt());
            for (JsonNode f : page.get("features")) {
                assertTrue(seen.add(f.get("id").asText()), "seen twice: " + f.get("id"));
            }
            next = null;
            for (JsonNode l : page.get("links")) {
                if (l.get("rel").asText().equals("next")) {
                    next = l.get("href").asText();
                }
            }
            pages++;
        }
        assertEquals(total, seen.size());
        assertEquals((total + 3) / 4, pages);
        Set<String> posted = new HashSet<>();
        ObjectNode body = JSON.createObjectNode().put("limit", 5);
        body.putArray("collections").add("fixtures").add("daily").add("corpus");
        while (body != null) {
            JsonNode page = post("/stac/search", body);
            page.get("features").forEach(f -> assertTrue(posted.add(f.get("id").asText())));
            body = null;
            for (JsonNode l : page.get("links")) {
                if (l.get("rel").asText().equals("next")) {
                    assertEquals("POST", l.get("method").asText());
                    body = (ObjectNode) l.get("body");
                }
            }
        }
        assertEquals(seen, posted);
    }

    /** Every page of a sorted search, following next links (GET or POST). */
    private List<JsonNode> allPages(String first, JsonNode postBody) throws Exception {
        List<JsonNode> items = new ArrayList<>();
        String next = first;
        JsonNode body = postBody;
        while (next != null) {
            JsonNode page = body == null ? getJson(next) : post(next.replace(base, ""), body);
            page.get("features").forEach(items::add);
            next = null;
            body = null;
            for (JsonNode l : page.get("links")) {
                if (l.get("rel").asText().equals("next")) {
                    next = l.get("href").asText();
                    body = l.get("body");
                }
            }
        }
        return items;
    }

    @Test
    void pagingKeepsTheSortWithGetAndPost() throws Exception {
        int total = allItems().size();
        List<JsonNode> byTime = allPages("/stac/search?limit=3&sortby=" + enc("-properties.start_datetime,+id"), null);
        assertEquals(total, byTime.size());
        assertEquals(total, byTime.stream().map(i -> i.get("id").asText()).distinct().count(), "no item twice");
        long previous = Long.MAX_VALUE;
        for (JsonNode item : byTime) {
            JsonNode p = item.get("properties");
            String t = "catalogued".equals(p.path("refcat:time_from").asText()) ? null
                    : p.hasNonNull("datetime") ? p.get("datetime").asText() : p.get("start_datetime").asText();
            long start = t == null ? Long.MIN_VALUE : java.time.Instant.parse(t).getEpochSecond();
            assertTrue(start <= previous, item.get("id") + " out of order");
            previous = start;
        }
        ObjectNode body = JSON.createObjectNode().put("limit", 4);
        body.putArray("sortby").addObject().put("field", "properties.title").put("direction", "desc");
        List<JsonNode> byTitle = allPages("/stac/search", body);
        assertEquals(total, byTitle.size());
        for (int i = 1; i < byTitle.size(); i++) {
            String a = byTitle.get(i - 1).get("properties").get("title").asText().toLowerCase(java.util.Locale.ROOT);
            String b = byTitle.get(i).get("properties").get("title").asText().toLowerCase(java.util.Locale.ROOT);
            assertTrue(a.compareTo(b) >= 0, a + " before " + b);
        }
        String token = getJson("/stac/search?limit=3").get("links").get(1).get("href").asText().replaceAll(".*token=", "");
        HttpResponse<String> mixed = get("/stac/search?limit=3&sortby=id&token=" + token);
        assertEquals(400, mixed.statusCode(), "a token made for another sort");
        assertEquals("token", JSON.readTree(mixed.body()).get("parameter").asText());
        assertEquals(400, get("/stac/search?sortby=colour").statusCode());
    }

    /** Ids of the items that satisfy a predicate, computed from the items themselves. */
    private Set<String> expected(java.util.function.Predicate<JsonNode> matches) throws Exception {
        Set<String> out = new HashSet<>();
        for (JsonNode item : allItems()) {
            if (matches.test(item)) {
                out.add(item.get("id").asText());
            }
        }
        return out;
    }

    private Set<String> filtered(String cql2Text) throws Exception {
        return ids(getJson("/stac/search?limit=1000&filter=" + enc(cql2Text)));
    }

    private Set<String> filteredJson(String cql2Json) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("limit", 1000);
        body.set("filter", JSON.readTree(cql2Json));
        return ids(post("/stac/search", body));
    }

    private static boolean hasStandardName(JsonNode item, String name) {
        for (JsonNode v : item.get("properties").get("cube:variables")) {
            if (name.equals(v.path("refcat:standard_name").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void cql2FiltersInTextAndJson() throws Exception {
        Set<String> air = expected(i -> hasStandardName(i, "air_temperature")
                && i.get("collection").asText().equals("fixtures"));
        assertTrue(air.contains("pacific_360day.nc"));
        assertEquals(air, filtered("collection = 'fixtures' AND standard_name = 'air_temperature'"));
        assertEquals(air, filteredJson("{\"op\": \"and\", \"args\": [{\"op\": \"=\", \"args\": [{\"property\": "
                + "\"collection\"}, \"fixtures\"]}, {\"op\": \"=\", \"args\": [{\"property\": \"standard_name\"}, "
                + "\"air_temperature\"]}]}"));
        assertEquals(Set.of("pacific_360day.nc"), filtered("title LIKE 'Tropical%'"));
        assertEquals(Set.of("pacific_360day.nc", "europe_sst_noleap.nc"),
                filtered("id IN ('pacific_360day.nc', 'europe_sst_noleap.nc', 'nothing')"));
        assertEquals(expected(i -> i.get("properties").path("refcat:size").asLong(-1) >= 14000
                        && i.get("properties").path("refcat:size").asLong(-1) <= 15000),
                filtered("\"refcat:size\" BETWEEN 14000 AND 15000"));
        assertEquals(expected(i -> !i.get("properties").get("refcat:format").asText().equals("GRIB")),
                filtered("NOT (\"refcat:format\" = 'GRIB')"));
        assertEquals(ids(getJson("/stac/search?limit=1000&bbox=0,40,20,55")),
                filtered("S_INTERSECTS(geometry, BBOX(0, 40, 20, 55))"));
        assertEquals(Set.of("pacific_360day.nc"),
                filtered("T_INTERSECTS(datetime, INTERVAL('1990-02-10T00:00:00Z', '1990-02-20T00:00:00Z'))"));
        assertEquals(Set.of("pacific_360day.nc"), filteredJson("{\"op\": \"t_intersects\", \"args\": "
                + "[{\"property\": \"datetime\"}, {\"interval\": [\"1990-02-10\", \"1990-02-20\"]}]}"));
        assertEquals(expected(i -> !i.get("properties").has("keywords")), filtered("keywords IS NULL"));
        assertEquals(Set.of("europe_sst_noleap.nc"), filtered("datetime >= TIMESTAMP('2001-01-01T00:00:00Z') AND "
                + "datetime < TIMESTAMP('2002-01-01T00:00:00Z') OR id = 'nothing'"));
        assertEquals(Set.of("pacific_360day.nc", "europe_sst_noleap.nc"), filteredJson("{\"op\": \"or\", \"args\": ["
                + "{\"op\": \"like\", \"args\": [{\"property\": \"title\"}, \"European%\"]}, "
                + "{\"op\": \"in\", \"args\": [{\"property\": \"id\"}, [\"pacific_360day.nc\"]]}]}"));
        for (String bad : List.of("size >", "colour = 'red'", "\"refcat:size\" = 'big'", "title = 3", "id LIKE",
                "S_INTERSECTS(geometry, CIRCLE(1 2))")) {
            HttpResponse<String> r = get("/stac/search?filter=" + enc(bad));
            assertEquals(400, r.statusCode(), bad);
            assertEquals("filter", JSON.readTree(r.body()).get("parameter").asText(), bad);
        }
        assertEquals(400, get("/stac/search?filter=x&filter-lang=sql").statusCode());
        JsonNode queryables = getJson("/stac/queryables");
        assertTrue(queryables.get("properties").has("standard_name"));
    }

    @Test
    void collectionSearchByPlaceTimeAndText() throws Exception {
        JsonNode all = getJson("/stac/collections");
        assertEquals(Fixtures.corpus().isPresent() ? 3 : 2, all.get("collections").size());
        for (String[] q : List.of(new String[] {"bbox=100,-50,120,-40", "fixtures"},
                new String[] {"bbox=6,48,7,49", "daily,fixtures"},
                new String[] {"datetime=" + enc("2020-01-05T00:00:00Z"), "daily,fixtures"},
                new String[] {"datetime=" + enc("1800-01-01T00:00:00Z/1850-01-01T00:00:00Z"), ""},
                new String[] {"q=indexed", "daily,fixtures"}, new String[] {"q=daily", "daily"},
                new String[] {"bbox=100,-50,120,-40&datetime=" + enc("2020-01-05T00:00:00Z/.."), "fixtures"})) {
            JsonNode r = getJson("/stac/collections?" + q[0]);
            Set<String> got = new HashSet<>();
            r.get("collections").forEach(c -> got.add(c.get("id").asText()));
            assertEquals(got.size(), r.get("numberMatched").asInt());
            got.remove("corpus"); // its extent depends on the shared corpus; the other two are known
            assertEquals(q[1].isEmpty() ? Set.of() : Set.of(q[1].split(",")), got, q[0]);
        }
        JsonNode first = getJson("/stac/collections?limit=1&q=indexed");
        assertEquals(1, first.get("collections").size());
        String next = null;
        for (JsonNode l : first.get("links")) {
            if (l.get("rel").asText().equals("next")) {
                next = l.get("href").asText();
            }
        }
        JsonNode second = getJson(next);
        assertEquals(1, second.get("collections").size());
        assertFalse(first.get("collections").get(0).get("id").equals(second.get("collections").get(0).get("id")));
        assertEquals(400, get("/stac/collections?colour=red").statusCode());
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void fieldsIncludeAndExclude() throws Exception {
        JsonNode page = getJson("/stac/search?limit=2&fields=" + enc("properties.title,bbox,-bbox"));
        for (JsonNode f : page.get("features")) {
            assertEquals(Set.of("type", "id", "links", "properties"), names(f));
            assertEquals(Set.of("title"), names(f.get("properties")));
        }
        ObjectNode body = JSON.createObjectNode().put("limit", 1);
        body.putObject("fields").putArray("exclude").add("assets").add("properties.cube:variables");
        JsonNode f = post("/stac/search", body).get("features").get(0);
        assertFalse(f.has("assets"));
        assertFalse(f.get("properties").has("cube:variables"));
        assertTrue(f.get("properties").has("cube:dimensions"));
    }

    @Test
    void badParametersAre400NamingTheParameterAndLimitIsClamped() throws Exception {
        String words = String.join("+", java.util.Collections.nCopies(1100, "w"));
        for (String[] bad : List.of(new String[] {"bbox=1,2,3", "bbox"}, new String[] {"bbox=a,b,c,d", "bbox"},
                new String[] {"bbox=NaN,0,1,1", "bbox"}, new String[] {"bbox=0,0,Infinity,1", "bbox"},
                new String[] {"fields=.", "fields"}, new String[] {"fields=properties..title", "fields"},
                new String[] {"q=" + words, "q"},
                new String[] {"filter=" + enc("(".repeat(100) + "id = 'x'" + ")".repeat(100)), "filter"},
                new String[] {"filter=" + enc("title LIKE '" + "%a_".repeat(400) + "'"), "filter"},
                new String[] {"filter=" + enc("title LIKE '" + "%a%b".repeat(40) + "'"), "filter"},
                new String[] {"datetime=yesterday", "datetime"}, new String[] {"limit=0", "limit"},
                new String[] {"limit=ten", "limit"}, new String[] {"token=%25%25", "token"},
                new String[] {"colour=red", "colour"}, new String[] {"datetime=" + enc("2001-01-02T00:00:00Z/2001-01-01T00:00:00Z"), "datetime"})) {
            HttpResponse<String> r = get("/stac/search?" + bad[0]);
            assertEquals(400, r.statusCode(), bad[0]);
            assertEquals(bad[1], JSON.readTree(r.body()).get("parameter").asText(), r.body());
        }
        assertEquals(200, get("/stac/collections?offset=2147483647").statusCode(), "an offset past the end is an empty page");
        // nested deeper than any stack could follow, in a POST body: refused, not a StackOverflowError
        JsonNode deep = JSON.createObjectNode().put("filter-lang", "cql2-text")
                .put("filter", "(".repeat(20_000) + "id = 'x'" + ")".repeat(20_000));
        HttpResponse<String> tooDeep = http.send(HttpRequest.newBuilder(URI.create(base + "/stac/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(deep.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, tooDeep.statusCode(), tooDeep.body());
        assertTrue(tooDeep.body().contains("deeper than 64 levels"), tooDeep.body());
        // what Jetty refuses itself is JSON too
        HttpResponse<String> longUri = get("/stac/search?q=" + "a".repeat(70_000));
        assertEquals(414, longUri.statusCode());
        assertEquals(414, JSON.readTree(longUri.body()).get("status").asInt(), longUri.body());
        HttpResponse<String> bigHeader = http.send(HttpRequest.newBuilder(URI.create(base + "/stac")).header("X-Big", "b".repeat(70_000))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(431, bigHeader.statusCode());
        assertEquals(431, JSON.readTree(bigHeader.body()).get("status").asInt(), bigHeader.body());
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create(base + "/stac/search"))
                .POST(HttpRequest.BodyPublishers.ofString("{bbox: [")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
        assertEquals("body", JSON.readTree(notJson.body()).get("parameter").asText());
        JsonNode clamped = getJson("/stac/search?limit=100000");
        assertTrue(clamped.get("numberReturned").asInt() <= 1000);
        assertEquals(404, get("/stac/collections/nothing").statusCode());
        assertEquals(404, get("/stac/collections/fixtures/items/nothing").statusCode());
    }

    @Test
    void responsesValidateAgainstTheOfficialSchemas() throws Exception {
        StacSchemas schemas = new StacSchemas(Fixtures.stacSchemasOrSkip());
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> schemas.assertItem(JSON.readTree("{\"type\": \"Feature\", \"id\": 3}")),
                "the validator refuses what is not an item");
        schemas.assertCatalog(getJson("/stac"));
        assertEquals(JSON.valueToTree(StacApi.CONFORMANCE), getJson("/stac/conformance").get("conformsTo"));
        for (JsonNode c : getJson("/stac/collections").get("collections")) {
            schemas.assertCollection(c);
        }
        schemas.assertCollection(getJson("/stac/collections/fixtures"));
        for (JsonNode item : allItems()) {
            schemas.assertItem(item);
            schemas.assertItem(getJson(item.get("links").get(0).get("href").asText()));
        }
        // The STAC API's OpenAPI item schema requires a geometry, where the STAC Item schema allows
        // null for a dataset whose place is unknown (which refcat's items then have, see DECISIONS);
        // so the ItemCollections checked here are of items with a place.
        for (String search : List.of("/stac/search?limit=3&bbox=-180,-90,180,90",
                "/stac/search?limit=1000&bbox=-180,-90,180,90&q=temperature",
                "/stac/collections/fixtures/items?limit=2&bbox=-180,-90,180,90&sortby=" + enc("-properties.datetime"))) {
            schemas.assertItemCollection(getJson(search));
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> schemas.assertItemCollection(JSON.readTree("{\"type\": \"FeatureCollection\", \"features\": [{}]}")),
                "the OpenAPI schema is really applied");
        JsonNode openapi = getJson("/stac/api");
        assertEquals("3.0.3", openapi.get("openapi").asText());
    }

    @Test
    void assetsOpenTheServedDataset() throws Exception {
        JsonNode item = getJson("/stac/collections/fixtures/items/europe_sst_noleap.nc");
        JsonNode assets = item.get("assets");
        assertEquals("application/vnd.zarr; version=2", assets.get("zarr").get("type").asText());
        assertEquals("application/vnd.zarr; version=3", assets.get("zarr3").get("type").asText());
        assertEquals("references", assets.get("references").get("roles").get(0).asText());
        assertEquals(200, get(assets.get("zarr").get("href").asText() + "/.zmetadata").statusCode());
        assertEquals(200, get(assets.get("zarr3").get("href").asText() + "/zarr.json").statusCode());
        assertEquals(200, get(assets.get("references").get("href").asText()).statusCode());
        assertEquals(assets.get("references").get("href").asText(),
                assets.get("references").get("xarray:open_kwargs").get("storage_options").get("fo").asText());
    }

    /**
     * The Aggregation extension counts exactly what the same search matches: every frequency equals
     * an independent count over the items themselves, with the same filters as /stac/search.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aggregationsCountExactlyWhatTheSearchMatches() throws Exception {
        JsonNode conformance = getJson("/stac/conformance").get("conformsTo");
        assertTrue(conformance.toString().contains("https://api.stacspec.org/v0.3.0/aggregation"), conformance.toString());
        JsonNode available = getJson("/stac/aggregations");
        List<String> names = new ArrayList<>();
        available.get("aggregations").forEach(a -> names.add(a.get("name").asText()));
        assertTrue(names.containsAll(List.of("total_count", "collection_frequency", "variable_frequency",
                "standard_name_frequency", "format_frequency", "institution_frequency")), names.toString());

        List<JsonNode> items = allItems();
        JsonNode all = getJson("/stac/aggregate");
        assertEquals("AggregationCollection", all.get("type").asText());
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        all.get("aggregations").forEach(a -> byName.put(a.get("name").asText(), a));
        assertEquals(items.size(), byName.get("total_count").get("value").asInt());
        Map<String, Long> variables = new java.util.TreeMap<>();
        Map<String, Long> formats = new java.util.TreeMap<>();
        for (JsonNode item : items) {
            formats.merge(item.get("properties").get("refcat:format").asText(), 1L, Long::sum);
            Map<String, Object> vars = JSON.convertValue(item.get("properties").get("cube:variables"), Map.class);
            vars.forEach((name, v) -> {
                if ("data".equals(((Map<String, Object>) v).get("type"))) {
                    variables.merge(name, 1L, Long::sum);
                }
            });
        }
        assertEquals(variables, buckets(byName.get("variable_frequency")));
        assertEquals(formats, buckets(byName.get("format_frequency")));

        // the same filters as /stac/search, GET and POST, and a chosen aggregation only
        int temperature = getJson("/stac/search?q=temperature&limit=1000").get("features").size();
        JsonNode q = getJson("/stac/aggregate?q=temperature&aggregations=total_count");
        assertEquals(1, q.get("aggregations").size());
        assertEquals(temperature, q.get("aggregations").get(0).get("value").asInt());
        ObjectNode body = JSON.createObjectNode().put("q", "temperature");
        body.putArray("aggregations").add("total_count").add("collection_frequency");
        JsonNode posted = post("/stac/aggregate", body);
        assertEquals(temperature, posted.get("aggregations").get(0).get("value").asInt());
        long perCollection = 0;
        for (JsonNode b : posted.get("aggregations").get(1).get("buckets")) {
            perCollection += b.get("frequency").asLong();
        }
        assertEquals(temperature, perCollection, "every matching item is in exactly one collection bucket");
        assertEquals(400, get("/stac/aggregate?aggregations=nonsense").statusCode());
        assertEquals(404, get("/stac/collections/no-such-collection/aggregate").statusCode());
        HttpResponse<String> missing = get("/stac/collections/no-such-collection/items/none");
        assertEquals(404, missing.statusCode());
        assertEquals("NotFound", JSON.readTree(missing.body()).get("code").asText(), missing.body());
    }

    private static Map<String, Long> buckets(JsonNode aggregation) {
        Map<String, Long> out = new java.util.TreeMap<>();
        aggregation.get("buckets").forEach(b -> out.put(b.get("key").asText(), b.get("frequency").asLong()));
        return out;
    }
}
