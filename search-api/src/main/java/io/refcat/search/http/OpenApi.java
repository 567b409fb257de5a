package io.refcat.search.http;

import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3.0 document of {@code /stac}: the paths served, their parameters and responses,
 * referring to the official STAC API and OGC schemas for the bodies.
 */
final class OpenApi {
    private OpenApi() {
    }

    static byte[] document(String base) {
        String json = """
                {"openapi": "3.0.3",
                 "info": {"title": "refcat STAC API", "version": "1.0.0",
                          "description": "STAC API 1.0.0: core, collections, OGC API Features, item search with free text."},
                 "servers": [{"url": "%s/stac"}],
                 "paths": {
                  "/": {"get": {"summary": "landing page", "responses": {"200": {"description": "the landing page"}}}},
                  "/conformance": {"get": {"summary": "conformance classes", "responses": {"200": {"description": "conformsTo"}}}},
                  "/api": {"get": {"summary": "this document", "responses": {"200": {"description": "OpenAPI 3.0"}}}},
                  "/queryables": {"get": {"summary": "what a filter can ask about", "responses": {"200": {"description": "a JSON Schema"}}}},
                  "/collections": {"get": {"summary": "collections", "responses": {"200": {"description": "collections"}}}},
                  "/collections/{collectionId}": {"get": {"summary": "one collection",
                    "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "the collection"}, "404": {"description": "no such collection"}}}},
                  "/collections/{collectionId}/items": {"get": {"summary": "items of a collection",
                    "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}},
                      {"$ref": "#/components/parameters/bbox"}, {"$ref": "#/components/parameters/datetime"},
                      {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/q"},
                      {"$ref": "#/components/parameters/token"}],
                    "responses": {"200": {"description": "an ItemCollection"}, "400": {"description": "a bad parameter"}}}},
                  "/collections/{collectionId}/items/{featureId}": {"get": {"summary": "one item",
                    "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}},
                      {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "the item"}, "404": {"description": "no such item"}}}},
                  "/search": {
                    "get": {"summary": "item search",
                      "parameters": [{"$ref": "#/components/parameters/bbox"}, {"$ref": "#/components/parameters/datetime"},
                        {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/q"},
                        {"$ref": "#/components/parameters/token"},
                        {"name": "ids", "in": "query", "schema": {"type": "string"}, "description": "comma-separated item ids"},
                        {"name": "collections", "in": "query", "schema": {"type": "string"}, "description": "comma-separated collection ids"},
                        {"name": "sortby", "in": "query", "schema": {"type": "string"}, "description": "e.g. -properties.datetime,+id"},
                        {"name": "fields", "in": "query", "schema": {"type": "string"}, "description": "e.g. properties.title,-assets"},
                        {"name": "filter", "in": "query", "schema": {"type": "string"}, "description": "CQL2 filter"},
                        {"name": "filter-lang", "in": "query", "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"]}},
                        {"name": "filter-crs", "in": "query", "schema": {"type": "string"}}],
                      "responses": {"200": {"description": "an ItemCollection"}, "400": {"description": "a bad parameter"}}},
                    "post": {"summary": "item search",
                      "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                        "bbox": {"type": "array", "items": {"type": "number"}}, "intersects": {"type": "object"},
                        "datetime": {"type": "string"}, "ids": {"type": "array", "items": {"type": "string"}},
                        "collections": {"type": "array", "items": {"type": "string"}}, "limit": {"type": "integer"},
                        "q": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                        "token": {"type": "string"}, "sortby": {"type": "array"}, "fields": {"type": "object"},
                        "filter": {}, "filter-lang": {"type": "string"}, "filter-crs": {"type": "string"}}}}}},
                      "responses": {"200": {"description": "an ItemCollection"}, "400": {"description": "a bad parameter"}}}}
                 },
                 "components": {"parameters": {
                   "bbox": {"name": "bbox", "in": "query", "schema": {"type": "string"}, "description": "west,south,east,north"},
                   "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}, "description": "an RFC 3339 instant or interval start/end (.. for open)"},
                   "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}, "description": "clamped to 1000"},
                   "q": {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "free text; words are ANDed, commas separate alternatives"},
                   "token": {"name": "token", "in": "query", "schema": {"type": "string"}, "description": "paging token from a next link"}}}
                }
                """.formatted(base);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
