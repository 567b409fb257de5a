package io.refcat.search.cql2;

import io.refcat.search.BadParameter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.geo.LatLonGeometry;
import org.apache.lucene.geo.Line;
import org.apache.lucene.geo.Point;
import org.apache.lucene.geo.Polygon;

/**
 * GeoJSON geometries of {@code intersects} (and of CQL2's {@code S_INTERSECTS}) as Lucene
 * geometries, so an item is found exactly when its footprint meets the geometry (points, lines,
 * polygons with holes, and their multi- forms). A malformed geometry is a 400 naming the parameter.
 */
public final class Geometries {
    private Geometries() {
    }

    public static LatLonGeometry[] lucene(JsonNode geometry, String parameter) {
        if (geometry == null || !geometry.isObject() || !geometry.path("type").isTextual()) {
            throw new BadParameter(parameter, "a GeoJSON geometry object is expected");
        }
        String type = geometry.get("type").asText();
        JsonNode c = geometry.path("coordinates");
        List<LatLonGeometry> out = new ArrayList<>();
        try {
            switch (type) {
                case "Point" -> out.add(point(c, parameter));
                case "MultiPoint" -> c.forEach(p -> out.add(point(p, parameter)));
                case "LineString" -> out.add(line(c, parameter));
                case "MultiLineString" -> c.forEach(l -> out.add(line(l, parameter)));
                case "Polygon" -> out.add(polygon(c, parameter));
                case "MultiPolygon" -> c.forEach(p -> out.add(polygon(p, parameter)));
                default -> throw new BadParameter(parameter, "geometry type '" + type + "' is not supported");
            }
        } catch (IllegalArgumentException e) {
            throw new BadParameter(parameter, "invalid " + type + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new BadParameter(parameter, "the geometry has no coordinates");
        }
        return out.toArray(new LatLonGeometry[0]);
    }

    private static double[] position(JsonNode p, String parameter) {
        if (!p.isArray() || p.size() < 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
            throw new BadParameter(parameter, "a position must be [longitude, latitude], got " + p);
        }
        double x = p.get(0).asDouble();
        double y = p.get(1).asDouble();
        if (Math.abs(x) > 180 || Math.abs(y) > 90) {
            throw new BadParameter(parameter, "position " + p + " is outside -180..180, -90..90");
        }
        return new double[] {x, y};
    }

    private static Point point(JsonNode c, String parameter) {
        double[] p = position(c, parameter);
        return new Point(p[1], p[0]);
    }

    private static double[][] positions(JsonNode c, String parameter) {
        if (!c.isArray()) {
            throw new BadParameter(parameter, "coordinates must be arrays of positions");
        }
        double[][] out = new double[2][c.size()];
        for (int i = 0; i < c.size(); i++) {
            double[] p = position(c.get(i), parameter);
            out[0][i] = p[1];
            out[1][i] = p[0];
        }
        return out;
    }

    private static Line line(JsonNode c, String parameter) {
        double[][] p = positions(c, parameter);
        return new Line(p[0], p[1]);
    }

    private static Polygon polygon(JsonNode rings, String parameter) {
        if (!rings.isArray() || rings.isEmpty()) {
            throw new BadParameter(parameter, "a polygon needs at least one ring");
        }
        Polygon[] holes = new Polygon[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            double[][] h = positions(rings.get(i), parameter);
            holes[i - 1] = new Polygon(h[0], h[1]);
        }
        double[][] shell = positions(rings.get(0), parameter);
        return new Polygon(shell[0], shell[1], holes);
    }
}
