package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import io.refcat.search.http.StacApi;
import io.refcat.search.lucene.Catalogue;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the STAC API (jqwik): whatever parameters a query carries — known
 * names with hostile values, unknown names, CQL2 assembled from random tokens, random JSON bodies —
 * the answer is never a 5xx, always JSON, and a refusal is a 400 in the STAC API's error shape.
 * jqwik shrinks a failing query to a minimal one and prints its seed.
 */
class StacFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> ROUTES = List.of("/stac/search", "/stac/collections", "/stac/collections/fuzz/items",
            "/stac/aggregate", "/stac/collections/fuzz/aggregate", "/stac/queryables");
    private static final List<String> PARAMETERS = List.of("bbox", "datetime", "limit", "q", "fields", "sortby", "filter",
            "filter-lang", "ids", "collections", "token", "offset", "intersects", "aggregations", "federation", "filter-crs");
    private static Path data;
    private static Javalin server;
    private static Catalogue catalogue;
    private static String base;

    @BeforeContainer
    static void indexAndServe() throws Exception {
        data = Files.createTempDirectory("refcat-fuzz");
        IndexCommandTest.Run r = IndexCommandTest.refcat("index", Fixtures.dataDir().resolve("catalogue").toString(),
                "--data", data.toString(), "--collection", "fuzz");
        assertEquals(0, r.exit(), r.err());
        catalogue = Catalogue.openReadOnly(data);
        server = StoreServer.create(new ReferenceDirectory(data.resolve("refs")), new SourceResolver(List.of(Fixtures.dataDir())));
        StacApi.register(server, catalogue);
        server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterContainer
    static void stop() throws Exception {
        server.stop();
        catalogue.close();
        try (var walk = Files.walk(data)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 600)
    void noQueryStringIsAServerError(@ForAll("routes") String route, @ForAll("queries") Map<String, String> query)
            throws Exception {
        String q = query.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + route + "?" + q)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertAnswered(route + "?" + q, r);
    }

    /** The filter alone, where most of the parsing is: CQL2 text from tokens and LIKE patterns. */
    @Property(tries = 300)
    void noFilterIsAServerError(@ForAll("filters") String filter) throws Exception {
        String path = "/stac/search?filter=" + enc(filter);
        assertAnswered(path, HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Provide
    Arbitrary<String> filters() {
        return cql();
    }

    @Property(tries = 300)
    void noSearchBodyIsAServerError(@ForAll("bodies") String body) throws Exception {
        for (String route : List.of("/stac/search", "/stac/aggregate")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + route))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertAnswered("POST " + route + " " + body, r);
        }
    }

    private static void assertAnswered(String what, HttpResponse<String> r) throws Exception {
        assertTrue(r.statusCode() < 500, what + " → " + r.statusCode() + " " + r.body());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() == 400) {
            assertTrue(body.has("code") && body.has("description"), what + " → 400 not in STAC's shape: " + r.body());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> names = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(PARAMETERS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        return Arbitraries.maps(names, values()).ofMaxSize(5);
    }

    /** Values of every kind a parameter might be sent: text, numbers, lists, dates, CQL2. */
    private static Arbitrary<String> values() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.doubles().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "1e309", "-0", "", "99999999999999999999", "0x10", "1,5"));
        Arbitrary<String> list = number.list().ofMaxSize(7).map(l -> String.join(",", l));
        Arbitrary<String> date = Combinators.combine(Arbitraries.integers().between(-1, 99999),
                Arbitraries.integers().between(0, 14), Arbitraries.integers().between(0, 40),
                Arbitraries.of("T00:00:00Z", "", "T25:61:61Z", "Z", "T00:00:00+99:00"))
                .as((y, m, d, t) -> String.format("%04d-%02d-%02d%s", y, m, d, t));
        Arbitrary<String> interval = Combinators.combine(Arbitraries.oneOf(date, Arbitraries.of("..", "")),
                Arbitraries.oneOf(date, Arbitraries.of("..", ""))).as((a, b) -> a + "/" + b);
        Arbitrary<String> words = Arbitraries.of("title", "properties.title", "-assets", "+id", "properties..x", ".",
                "-", "+", "datetime", "-properties.datetime", "id", "collection", "geometry", "*", "%", "_")
                .list().ofMaxSize(6).map(l -> String.join(",", l));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().all().ofMaxLength(20),
                number, list, date, interval, words, cql(), cqlJson());
    }

    /** CQL2 text assembled from its tokens, well formed or not, and LIKE patterns full of wildcards. */
    private static Arbitrary<String> cql() {
        Arbitrary<String> like = Combinators.combine(Arbitraries.of("%a_", "%a%b", "_%", "%ab", "a\\%", "%"),
                Arbitraries.integers().between(1, 500)).as((unit, n) -> "title LIKE '" + unit.repeat(n) + "'");
        return Arbitraries.oneOf(like, tokens());
    }

    private static Arbitrary<String> tokens() {
        return Arbitraries.of("(", ")", "AND", "OR", "NOT", "=", "<>", "<", ">=", "LIKE", "BETWEEN", "IN", "IS NULL",
                "'%'", "'a%b_'", "'x'", "id", "collection", "properties.title", "datetime", "S_INTERSECTS",
                "POINT(1 2)", "POLYGON((0 0,1 0,1 1,0 0))", "BBOX(-10,-10,10,10)", "T_AFTER", "T_INTERSECTS",
                "TIMESTAMP('2020-01-01T00:00:00Z')", "INTERVAL('2020-01-01','..')", "DATE('2020-13-45')", "1", "-2.5",
                "1e400", "true", "NULL", "CASEI(", "ACCENTI(", "A_CONTAINS", "[", "]", ",", "'", "\"", "\\")
                .list().ofMaxSize(25).map(l -> String.join(" ", l));
    }

    private static Arbitrary<String> cqlJson() {
        return jsonValue(3).map(Object::toString);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(PARAMETERS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
        Arbitrary<String> objects = Arbitraries.maps(keys, jsonValue(3)).ofMaxSize(6).map(m -> {
            com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
            m.forEach(o::set);
            return o.toString();
        });
        return Arbitraries.oneOf(objects, jsonValue(2).map(Object::toString), Arbitraries.strings().ofMaxLength(30));
    }

    /** Any JSON value up to {@code depth} levels deep, with the numbers and strings search parameters meet. */
    private static Arbitrary<JsonNode> jsonValue(int depth) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> (JsonNode) f.numberNode(d)),
                Arbitraries.longs().map(l -> (JsonNode) f.numberNode(l)),
                Arbitraries.strings().ofMaxLength(20).map(s -> (JsonNode) f.textNode(s)),
                cql().map(s -> (JsonNode) f.textNode(s)),
                Arbitraries.of(f.booleanNode(true), f.nullNode(), f.textNode("cql2-json"), f.textNode("cql2-text"),
                        f.textNode("op"), f.textNode("args"), f.textNode("property")));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = jsonValue(depth - 1).list().ofMaxSize(5).map(l -> {
            com.fasterxml.jackson.databind.node.ArrayNode a = f.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of("op", "args", "property", "interval", "timestamp",
                "date", "type", "coordinates", "bbox", "field", "direction", "include", "exclude"), jsonValue(depth - 1))
                .ofMaxSize(4).map(m -> {
                    com.fasterxml.jackson.databind.node.ObjectNode o = f.objectNode();
                    m.forEach(o::set);
                    return o;
                });
        return Arbitraries.oneOf(leaf, array, object);
    }
}
