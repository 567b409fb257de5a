package io.refcat.search;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * GeoJSON geometries of {@code intersects}, reduced to their bounding box: items are boxes, so a
 * geometry intersects an item exactly when... it intersects its box, which the box of the geometry
 * approximates from outside. Decision: boxes are what refcat indexes (datasets are grids), so the
 * answer may include an item whose box meets the geometry's box but not the geometry itself.
 */
final class Geometries {
    private Geometries() {
    }

    static double[] bounds(JsonNode geometry) {
        if (geometry == null || !geometry.isObject() || !geometry.path("type").isTextual()) {
            throw new SearchParameters.BadParameter("intersects", "a GeoJSON geometry object is expected");
        }
        String type = geometry.get("type").asText();
        if (!java.util.Set.of("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
                .contains(type)) {
            throw new SearchParameters.BadParameter("intersects", "geometry type '" + type + "' is not supported");
        }
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        visit(geometry.path("coordinates"), b);
        if (b[0] > b[2]) {
            throw new SearchParameters.BadParameter("intersects", "the geometry has no coordinates");
        }
        return b;
    }

    private static void visit(JsonNode node, double[] b) {
        if (!node.isArray()) {
            throw new SearchParameters.BadParameter("intersects", "coordinates must be arrays of positions");
        }
        if (node.size() >= 2 && node.get(0).isNumber()) {
            double x = node.get(0).asDouble();
            double y = node.get(1).asDouble();
            if (Math.abs(x) > 180 || Math.abs(y) > 90) {
                throw new SearchParameters.BadParameter("intersects", "position " + node + " is outside -180..180, -90..90");
            }
            b[0] = Math.min(b[0], x);
            b[1] = Math.min(b[1], y);
            b[2] = Math.max(b[2], x);
            b[3] = Math.max(b[3], y);
            return;
        }
        node.forEach(child -> visit(child, b));
    }
}
