package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Set;

/**
 * The official STAC, GeoJSON and PROJJSON schemas, read from the offline copies in
 * ../shared/stac-schemas.
 */
final class StacSchemas {
    private final JsonSchemaFactory factory;
    private final JsonSchemaFactory openApi;
    private final Path root;
    private final java.util.Map<String, JsonSchema> schemas = new java.util.concurrent.ConcurrentHashMap<>();

    StacSchemas(Path root) {
        this.root = root;
        this.openApi = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, b -> b
                .metaSchema(com.networknt.schema.oas.OpenApi30.getInstance())
                .defaultMetaSchemaIri(com.networknt.schema.oas.OpenApi30.getInstance().getIri()));
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m
                .mapPrefix("https://schemas.stacspec.org/v1.0.0/", root.resolve("v1.0.0").toUri().toString())
                .mapPrefix("https://stac-extensions.github.io/datacube/v2.2.0/",
                        root.resolve("datacube/v2.2.0").toUri().toString())
                .mapPrefix("https://geojson.org/schema/", root.resolve("geojson").toUri().toString())
                .mapPrefix("https://proj.org/schemas/v0.4/", root.resolve("projjson/v0.4").toUri().toString())));
    }

    void assertItem(JsonNode item) {
        assertValid("https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json", item);
        assertValid("https://stac-extensions.github.io/datacube/v2.2.0/schema.json", item);
    }

    void assertCollection(JsonNode collection) {
        assertValid("https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json", collection);
    }

    /** An ItemCollection against the schema of the STAC API's OpenAPI fragment (OpenAPI 3.0 dialect). */
    void assertItemCollection(JsonNode collection) {
        String url = root.resolve("stac-api/v1.0.0/fragments/itemcollection/openapi.yaml").toUri()
                + "#/components/schemas/itemCollection";
        Set<ValidationMessage> errors = openApi.getSchema(SchemaLocation.of(url)).validate(collection);
        assertTrue(errors.isEmpty(), url + ": " + errors);
    }

    void assertCatalog(JsonNode catalog) {
        assertValid("https://schemas.stacspec.org/v1.0.0/catalog-spec/json-schema/catalog.json", catalog);
    }

    /** What the schema at {@code url} finds wrong with {@code json} (schemas are parsed once). */
    Set<ValidationMessage> errors(String url, JsonNode json) {
        return schemas.computeIfAbsent(url, u -> factory.getSchema(SchemaLocation.of(u))).validate(json);
    }

    private void assertValid(String url, JsonNode json) {
        Set<ValidationMessage> errors = errors(url, json);
        assertTrue(errors.isEmpty(), url + ": " + errors + "\n" + json.toString().substring(0,
                Math.min(600, json.toString().length())));
    }
}
