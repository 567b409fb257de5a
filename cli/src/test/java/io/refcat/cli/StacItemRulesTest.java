package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refcat.fixtures.Fixtures;
import io.refcat.search.StacItemRules;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules a harvested item must satisfy ({@link StacItemRules}) give the official STAC item
 * schema's verdict: a valid item and many broken ones, each judged by both.
 */
class StacItemRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json";

    private static final String VALID = """
            {"type": "Feature", "stac_version": "1.0.0", "stac_extensions": [], "id": "sst.nc", "collection": "fixtures",
             "geometry": {"type": "Polygon", "coordinates": [[[-10, 40], [10, 40], [10, 60], [-10, 60], [-10, 40]]]},
             "bbox": [-10, 40, 10, 60],
             "properties": {"datetime": null, "start_datetime": "2000-01-01T00:00:00Z", "end_datetime": "2000-12-31T00:00:00Z",
                            "title": "SST", "updated": "2026-01-02T03:04:05.678Z", "license": "CC-BY-4.0",
                            "providers": [{"name": "Met Office", "roles": ["producer"]}], "instruments": ["model"], "gsd": 10000},
             "links": [{"rel": "self", "href": "http://127.0.0.1:8080/stac/collections/fixtures/items/sst.nc", "type": "application/geo+json"},
                       {"rel": "collection", "href": "http://127.0.0.1:8080/stac/collections/fixtures"}],
             "assets": {"zarr": {"href": "http://127.0.0.1:8080/zarr/fixtures/sst.nc", "type": "application/vnd.zarr; version=2",
                                 "roles": ["data"], "title": "Zarr v2"}}}
            """;

    private record Case(String name, Consumer<ObjectNode> change) {
    }

    private static ObjectNode at(ObjectNode item, String pointer) {
        return (ObjectNode) item.at(pointer);
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("valid", i -> { }));
        c.add(new Case("a single datetime", i -> at(i, "/properties").put("datetime", "2000-01-01T00:00:00Z")
                .without(List.of("start_datetime", "end_datetime"))));
        c.add(new Case("null geometry without bbox", i -> i.putNull("geometry").remove("bbox")));
        c.add(new Case("null geometry with bbox", i -> i.putNull("geometry")));
        c.add(new Case("no geometry", i -> i.remove("geometry")));
        c.add(new Case("point geometry", i -> i.set("geometry", tree("{\"type\": \"Point\", \"coordinates\": [1, 2]}"))));
        c.add(new Case("point of one number", i -> i.set("geometry", tree("{\"type\": \"Point\", \"coordinates\": [1]}"))));
        c.add(new Case("point of text", i -> i.set("geometry", tree("{\"type\": \"Point\", \"coordinates\": [\"1\", 2]}"))));
        c.add(new Case("line of one position", i -> i.set("geometry", tree("{\"type\": \"LineString\", \"coordinates\": [[1, 2]]}"))));
        c.add(new Case("multipolygon", i -> i.set("geometry", tree("{\"type\": \"MultiPolygon\", \"coordinates\": "
                + "[[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}"))));
        c.add(new Case("ring of three positions", i -> i.set("geometry", tree("{\"type\": \"Polygon\", \"coordinates\": "
                + "[[[0, 0], [1, 0], [0, 0]]]}"))));
        c.add(new Case("polygon nested too shallow", i -> i.set("geometry", tree("{\"type\": \"Polygon\", \"coordinates\": "
                + "[[0, 0], [1, 0], [1, 1], [0, 0]]}"))));
        c.add(new Case("geometry collection", i -> i.set("geometry", tree("{\"type\": \"GeometryCollection\", \"geometries\": []}"))));
        c.add(new Case("unknown geometry type", i -> i.set("geometry", tree("{\"type\": \"Circle\", \"coordinates\": [1, 2]}"))));
        c.add(new Case("geometry without coordinates", i -> i.set("geometry", tree("{\"type\": \"Point\"}"))));
        c.add(new Case("geometry bbox of three", i -> at(i, "/geometry").set("bbox", tree("[1, 2, 3]"))));
        c.add(new Case("no bbox", i -> i.remove("bbox")));
        c.add(new Case("bbox of five", i -> i.set("bbox", tree("[1, 2, 3, 4, 5]"))));
        c.add(new Case("bbox of six", i -> i.set("bbox", tree("[1, 2, 3, 4, 5, 6]"))));
        c.add(new Case("bbox of text", i -> i.set("bbox", tree("[\"1\", 2, 3, 4]"))));
        c.add(new Case("type not Feature", i -> i.put("type", "FeatureCollection")));
        c.add(new Case("no stac_version", i -> i.remove("stac_version")));
        c.add(new Case("stac_version 0.9", i -> i.put("stac_version", "0.9.0")));
        c.add(new Case("repeated extension", i -> i.set("stac_extensions", tree("[\"a\", \"a\"]"))));
        c.add(new Case("numeric id", i -> i.put("id", 3)));
        c.add(new Case("empty id", i -> i.put("id", "")));
        c.add(new Case("no links", i -> i.remove("links")));
        c.add(new Case("link without href", i -> at(i, "/links/0").remove("href")));
        c.add(new Case("link with empty rel", i -> at(i, "/links/0").put("rel", "")));
        c.add(new Case("link title a number", i -> at(i, "/links/0").put("title", 3)));
        c.add(new Case("collection without its link", i -> ((com.fasterxml.jackson.databind.node.ArrayNode) i.get("links")).remove(1)));
        c.add(new Case("collection link without collection", i -> i.remove("collection")));
        c.add(new Case("no assets", i -> i.remove("assets")));
        c.add(new Case("asset without href", i -> at(i, "/assets/zarr").remove("href")));
        c.add(new Case("asset roles not strings", i -> at(i, "/assets/zarr").set("roles", tree("[1]"))));
        c.add(new Case("asset with a bad created time", i -> at(i, "/assets/zarr").put("created", "yesterday")));
        c.add(new Case("no properties", i -> i.remove("properties")));
        c.add(new Case("null properties", i -> i.putNull("properties")));
        c.add(new Case("no datetime", i -> at(i, "/properties").remove("datetime")));
        c.add(new Case("null datetime without range", i -> at(i, "/properties").remove(List.of("start_datetime", "end_datetime"))));
        c.add(new Case("start without end", i -> at(i, "/properties").put("datetime", "2000-01-01T00:00:00Z").remove("end_datetime")));
        c.add(new Case("datetime not UTC", i -> at(i, "/properties").put("datetime", "2000-01-01T00:00:00+01:00")));
        c.add(new Case("datetime +00:00", i -> at(i, "/properties").put("datetime", "2000-01-01T00:00:00+00:00")));
        c.add(new Case("datetime without seconds", i -> at(i, "/properties").put("datetime", "2000-01-01T00:00Z")));
        c.add(new Case("datetime a date", i -> at(i, "/properties").put("datetime", "2000-01-01")));
        c.add(new Case("datetime impossible", i -> at(i, "/properties").put("datetime", "2000-13-45T00:00:00Z")));
        c.add(new Case("datetime a number", i -> at(i, "/properties").put("datetime", 946684800)));
        c.add(new Case("updated not a time", i -> at(i, "/properties").put("updated", "now")));
        c.add(new Case("title a number", i -> at(i, "/properties").put("title", 1)));
        c.add(new Case("license with a space", i -> at(i, "/properties").put("license", "CC BY")));
        c.add(new Case("provider without name", i -> at(i, "/properties/providers/0").remove("name")));
        c.add(new Case("provider role unknown", i -> at(i, "/properties/providers/0").set("roles", tree("[\"owner\"]"))));
        c.add(new Case("instruments not strings", i -> at(i, "/properties").set("instruments", tree("[1]"))));
        c.add(new Case("gsd zero", i -> at(i, "/properties").put("gsd", 0)));
        c.add(new Case("extra properties", i -> at(i, "/properties").put("refcat:chunks", 12).put("cube:variables", "x")));
        return c;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theRulesGiveTheOfficialSchemasVerdictOnValidAndBrokenItems() {
        StacSchemas schemas = new StacSchemas(Fixtures.stacSchemasOrSkip());
        int refused = 0;
        for (Case c : cases()) {
            ObjectNode item = (ObjectNode) tree(VALID);
            c.change().accept(item);
            var errors = schemas.errors(ITEM, item);
            var violation = StacItemRules.violation(item);
            assertEquals(errors.isEmpty(), violation.isEmpty(), c.name() + ": schema says " + errors + ", rules say " + violation);
            refused += errors.isEmpty() ? 0 : 1;
        }
        assertTrue(refused > 40, "most cases are broken items: " + refused);
    }
}
