package io.refcat.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of the STAC 1.0.0 item JSON schema (with the GeoJSON Feature and Geometry schemas and
 * the common metadata it includes), checked in code: items harvested from other sites must satisfy
 * them before they are stored, and a node cannot fetch the schema itself (air-gapped sites) nor
 * ship the official copy. A test holds these rules against the official schema on many valid and
 * broken items, so the two cannot drift apart. Items of STAC 1.1.0, whose core item rules are the
 * same, are accepted too.
 */
public final class StacItemRules {
    private static final Set<String> VERSIONS = Set.of("1.0.0", "1.1.0");
    private static final Set<String> PROVIDER_ROLES = Set.of("producer", "licensor", "processor", "host");
    /** RFC 3339's date-time (seconds required), in UTC as STAC asks. */
    private static final Pattern UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\d[Tt]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(\\+00:00|Z)");
    private static final Pattern LICENSE = Pattern.compile("^[\\w\\-.+]+$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Map<String, Integer> DEPTH = Map.of("Point", 0, "MultiPoint", 1, "LineString", 1,
            "MultiLineString", 2, "Polygon", 2, "MultiPolygon", 3);

    private StacItemRules() {
    }

    /** Why {@code item} is not a valid STAC item, or empty if it is. */
    public static Optional<String> violation(JsonNode item) {
        try {
            check(item);
            return Optional.empty();
        } catch (Broken e) {
            return Optional.of(e.getMessage());
        }
    }

    private static final class Broken extends RuntimeException {
        Broken(String message) {
            super(message, null, false, false);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new Broken(what);
        }
    }

    private static void check(JsonNode item) {
        require(item.isObject(), "not a JSON object");
        require("Feature".equals(item.path("type").textValue()), "type is not \"Feature\"");
        require(VERSIONS.contains(item.path("stac_version").asText("")), "stac_version is not 1.0.0 or 1.1.0");
        JsonNode id = item.path("id");
        require(id.isTextual() && !id.textValue().isEmpty(), "id is not a non-empty string");
        if (item.has("stac_extensions")) {
            JsonNode ext = item.get("stac_extensions");
            require(ext.isArray(), "stac_extensions is not an array");
            Set<String> seen = new HashSet<>();
            ext.forEach(e -> require(e.isTextual() && seen.add(e.textValue()), "stac_extensions holds a non-string or a repeat"));
        }
        require(item.has("geometry"), "no geometry");
        JsonNode geometry = item.get("geometry");
        if (geometry.isNull()) {
            require(!item.has("bbox"), "a bbox without a geometry");
        } else {
            geometry(geometry);
            JsonNode bbox = item.path("bbox");
            require(bbox.isArray() && (bbox.size() == 4 || bbox.size() == 6), "bbox is not 4 or 6 numbers");
            numbers(bbox, "bbox");
        }
        JsonNode properties = item.path("properties");
        require(properties.isObject(), "properties is not an object");
        commonMetadata(properties, "properties");
        JsonNode datetime = properties.path("datetime");
        require(properties.has("datetime"), "properties.datetime is missing");
        require(!datetime.isNull() || properties.has("start_datetime") && properties.has("end_datetime"),
                "properties.datetime is null without start_datetime and end_datetime");
        JsonNode links = item.path("links");
        require(links.isArray(), "links is not an array");
        boolean collectionLink = false;
        for (JsonNode link : links) {
            require(link.isObject(), "a link is not an object");
            nonEmpty(link, "rel", "link rel");
            nonEmpty(link, "href", "link href");
            optionalText(link, "type", "link type");
            optionalText(link, "title", "link title");
            collectionLink |= "collection".equals(link.path("rel").textValue());
        }
        if (collectionLink) {
            nonEmpty(item, "collection", "collection (the item links to one)");
        } else {
            require(!item.has("collection"), "a collection without a link of rel \"collection\"");
        }
        JsonNode assets = item.path("assets");
        require(assets.isObject(), "assets is not an object");
        assets.fields().forEachRemaining(e -> {
            JsonNode asset = e.getValue();
            String name = "asset " + e.getKey();
            require(asset.isObject(), name + " is not an object");
            nonEmpty(asset, "href", name + " href");
            optionalText(asset, "title", name + " title");
            optionalText(asset, "description", name + " description");
            optionalText(asset, "type", name + " type");
            if (asset.has("roles")) {
                require(asset.get("roles").isArray(), name + " roles is not an array");
                asset.get("roles").forEach(r -> require(r.isTextual(), name + " roles holds a non-string"));
            }
            commonMetadata(asset, name);
        });
    }

    /** A GeoJSON geometry of RFC 7946 as the GeoJSON schema has it (no GeometryCollection). */
    private static void geometry(JsonNode g) {
        require(g.isObject(), "geometry is not an object or null");
        Integer depth = DEPTH.get(g.path("type").asText(""));
        require(depth != null, "geometry type is not a GeoJSON geometry type");
        JsonNode coordinates = g.path("coordinates");
        require(coordinates.isArray(), "geometry coordinates is not an array");
        String type = g.get("type").textValue();
        coordinates(coordinates, depth, type.endsWith("LineString"), type.endsWith("Polygon"));
        if (g.has("bbox")) {
            require(g.get("bbox").isArray() && g.get("bbox").size() >= 4, "geometry bbox is not 4 numbers or more");
            numbers(g.get("bbox"), "geometry bbox");
        }
    }

    /**
     * Nested arrays of positions, {@code depth} levels above a position; the arrays of positions
     * (level 1) need two or more in a line, four or more in a polygon's ring.
     */
    private static void coordinates(JsonNode a, int depth, boolean line, boolean ring) {
        require(a.isArray(), "geometry coordinates are not nested arrays");
        if (depth == 0) {
            require(a.size() >= 2, "a position has fewer than 2 numbers");
            numbers(a, "a position");
            return;
        }
        require(depth != 1 || !line || a.size() >= 2, "a line has fewer than 2 positions");
        require(depth != 1 || !ring || a.size() >= 4, "a polygon ring has fewer than 4 positions");
        a.forEach(child -> coordinates(child, depth - 1, line, ring));
    }

    /** The fields of STAC's common metadata, in an item's properties or an asset. */
    private static void commonMetadata(JsonNode o, String where) {
        for (String text : new String[] {"title", "description", "platform", "constellation", "mission"}) {
            optionalText(o, text, where + "." + text);
        }
        JsonNode datetime = o.path("datetime");
        require(datetime.isMissingNode() || datetime.isNull() || utcTime(datetime), where + ".datetime is not an RFC 3339 UTC time");
        for (String time : new String[] {"start_datetime", "end_datetime", "created", "updated"}) {
            require(!o.has(time) || utcTime(o.get(time)), where + "." + time + " is not an RFC 3339 UTC time");
        }
        require(o.has("start_datetime") == o.has("end_datetime"), where + " has only one of start_datetime and end_datetime");
        if (o.has("instruments")) {
            require(o.get("instruments").isArray(), where + ".instruments is not an array");
            o.get("instruments").forEach(i -> require(i.isTextual(), where + ".instruments holds a non-string"));
        }
        require(!o.has("gsd") || o.get("gsd").isNumber() && o.get("gsd").doubleValue() > 0, where + ".gsd is not a positive number");
        require(!o.has("license") || o.get("license").isTextual() && LICENSE.matcher(o.get("license").textValue()).matches(),
                where + ".license is not an SPDX-like identifier");
        if (o.has("providers")) {
            require(o.get("providers").isArray(), where + ".providers is not an array");
            for (JsonNode p : o.get("providers")) {
                require(p.isObject(), "a provider is not an object");
                nonEmpty(p, "name", "provider name");
                optionalText(p, "description", "provider description");
                optionalText(p, "url", "provider url");
                if (p.has("roles")) {
                    require(p.get("roles").isArray(), "provider roles is not an array");
                    p.get("roles").forEach(r -> require(r.isTextual() && PROVIDER_ROLES.contains(r.textValue()), "a provider role is not one of " + PROVIDER_ROLES));
                }
            }
        }
    }

    private static boolean utcTime(JsonNode t) {
        if (!t.isTextual() || !UTC.matcher(t.textValue()).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(t.textValue());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void numbers(JsonNode array, String what) {
        array.forEach(n -> require(n.isNumber(), what + " holds a non-number"));
    }

    private static void nonEmpty(JsonNode o, String field, String what) {
        require(o.path(field).isTextual() && !o.get(field).textValue().isEmpty(), what + " is not a non-empty string");
    }

    private static void optionalText(JsonNode o, String field, String what) {
        require(!o.has(field) || o.get(field).isTextual(), what + " is not a string");
    }
}
