package io.refcat.store;

import io.refcat.reference.VirtualArray;
import io.refcat.reference.cf.CfTime;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a variable along its other dimensions at the grid point nearest to a latitude and
 * longitude ({@code GET /series/{dataset}/{variable}?lat=…&lon=…}), read from the chunks that hold
 * that point only:
 * {@code {"variable", "units", "lat", "lon", "dims", "coords", "values"}}, with the grid point used,
 * coordinates as stored or, for CF times, ISO 8601, values nested per remaining dimension and fill
 * as null.
 *
 * <p>The grid is found the way CF readers find it: 1-D coordinate variables named after the
 * variable's dimensions, or 2-D latitude/longitude variables its {@code coordinates} attribute
 * names (projected grids), identified by {@code standard_name}, {@code units} or name.
 */
public final class PointSeries {
    /** Query parameters that select a dimension by index: {@code index.<dim>}. */
    static final String INDEX = "index.";

    private PointSeries() {
    }

    /**
     * @param point {@code lat} and {@code lon} (the nearest grid point), and/or indices by dimension
     *              name ({@code ?index.y=3&index.x=5}, as the quick-look's pixels give them), which win;
     *              prefixed, because dimensions are often named {@code lat} and {@code lon}
     */
    static Map<String, Object> at(Dataset d, String variable, Map<String, String> point, ArrayValues reader)
            throws IOException {
        ZarrArrayMetadata m = ArrayValues.array(d, variable);
        Map<String, Object> attrs = d.hierarchy().arrayAttributes(variable);
        List<String> dims = ArrayValues.dimensions(attrs, m.rank());
        String group = ZarrHierarchy.parentOf(variable);
        Optional<Grid> grid = Grid.find(d, group, dims, attrs, reader);
        Map<String, Long> fixed = new LinkedHashMap<>();
        if (point.containsKey("lat") || point.containsKey("lon")) {
            double lat = degrees(point, "lat");
            double lon = degrees(point, "lon");
            if (!(lat >= -90 && lat <= 90) || !Double.isFinite(lon)) {
                throw new StoreException(400, "invalid point", "lat must be in [-90, 90] and lon a number; got lat="
                        + lat + ", lon=" + lon);
            }
            Grid g = grid.orElseThrow(() -> new StoreException(400, "no latitude/longitude grid", "variable '"
                    + variable + "' of dataset '" + d.id() + "' has no latitude and longitude coordinates to find a"
                    + " point on; select it by dimension indices (" + String.join(", ", dims) + ")"));
            int[] nearest = g.nearest(lat, lon);
            if (!g.covers(nearest, lat, lon)) {
                throw new StoreException(400, "point outside the grid", "(" + lat + ", " + lon + ") is farther from"
                        + " every grid point of '" + variable + "' than its grid spacing; the nearest is ("
                        + g.latitude(nearest) + ", " + g.longitude(nearest) + ")");
            }
            fixed.put(g.dims().get(0), (long) nearest[0]);
            fixed.put(g.dims().get(1), (long) nearest[1]);
        }
        for (int i = 0; i < m.rank(); i++) {
            String text = point.get(INDEX + dims.get(i));
            if (text != null) {
                fixed.put(dims.get(i), ArrayValues.index(text, dims.get(i), m.shape().get(i)));
            }
        }
        if (fixed.isEmpty()) {
            throw new StoreException(400, "no point", "give lat and lon, or indices of dimensions as "
                    + INDEX + "<dim> (" + String.join(", ", dims) + ") as query parameters");
        }

        long[] start = new long[m.rank()];
        long[] count = new long[m.rank()];
        long[] step = new long[m.rank()];
        List<String> remaining = new ArrayList<>();
        List<Integer> remainingShape = new ArrayList<>();
        for (int i = 0; i < m.rank(); i++) {
            step[i] = 1;
            Long at = fixed.get(dims.get(i));
            if (at != null) {
                start[i] = at;
                count[i] = 1;
            } else {
                count[i] = m.shape().get(i);
                remaining.add(dims.get(i));
                remainingShape.add(Math.toIntExact(m.shape().get(i)));
            }
        }
        double[] values = reader.read(d, variable, new ArrayValues.Box(start, count, step));
        Double lat = null;
        Double lon = null;
        if (grid.isPresent() && fixed.containsKey(grid.get().dims().get(0)) && fixed.containsKey(grid.get().dims().get(1))) {
            int[] at = {Math.toIntExact(fixed.get(grid.get().dims().get(0))), Math.toIntExact(fixed.get(grid.get().dims().get(1)))};
            lat = grid.get().latitude(at);
            lon = grid.get().longitude(at);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("variable", variable);
        out.put("units", attrs.get("units") instanceof String u ? u : null);
        out.put("lat", lat);
        out.put("lon", lon);
        out.put("dims", remaining);
        Map<String, Object> coords = new LinkedHashMap<>();
        for (int i = 0; i < remaining.size(); i++) {
            coords.put(remaining.get(i), coordinate(d, group, remaining.get(i), remainingShape.get(i), reader));
        }
        out.put("coords", coords);
        out.put("values", nest(values, remainingShape, 0, new int[] {0}));
        return out;
    }

    private static double degrees(Map<String, String> point, String name) {
        String text = point.get(name);
        try {
            return Double.parseDouble(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new StoreException(400, "invalid point", "query parameter '" + name + "' must be a number in degrees"
                    + (text == null ? "; it is missing" : ", got '" + text + "'"));
        }
    }

    /** A dimension's coordinate values (CF times as ISO 8601), or its indices where it has none. */
    private static List<Object> coordinate(Dataset d, String group, String dim, long size, ArrayValues reader)
            throws IOException {
        String path = group.isEmpty() ? dim : group + "/" + dim;
        ZarrArrayMetadata c = d.hierarchy().arrays().get(path);
        List<Object> out = new ArrayList<>();
        if (c == null || c.rank() != 1 || c.shape().get(0) != size || "iuf".indexOf(c.dtype().kind()) < 0) {
            for (long i = 0; i < size; i++) {
                out.add(i);
            }
            return out;
        }
        Map<String, Object> attrs = d.hierarchy().arrayAttributes(path);
        Optional<CfTime> time = attrs.get("units") instanceof String u
                ? CfTime.parse(u, attrs.get("calendar") instanceof String cal ? cal : null) : Optional.empty();
        for (double v : reader.read(d, path, ArrayValues.Box.whole(c))) {
            out.add(Double.isNaN(v) ? null : time.isPresent() ? time.get().isoInstant(v) : (Object) v);
        }
        return out;
    }

    private static Object nest(double[] values, List<Integer> shape, int dim, int[] at) {
        if (dim == shape.size()) {
            double v = values[at[0]++];
            return Double.isNaN(v) ? null : v;
        }
        List<Object> out = new ArrayList<>(shape.get(dim));
        for (int i = 0; i < shape.get(dim); i++) {
            out.add(nest(values, shape, dim + 1, at));
        }
        return out;
    }

    /** Where latitude and longitude are: their dimensions of the variable, and their values. */
    private record Grid(List<String> dims, double[] lats, double[] lons, boolean twoD, int columns) {

        static Optional<Grid> find(Dataset d, String group, List<String> dims, Map<String, Object> attrs,
                                   ArrayValues reader) throws IOException {
            String latDim = null;
            String lonDim = null;
            for (String dim : dims) {
                String path = group.isEmpty() ? dim : group + "/" + dim;
                ZarrArrayMetadata c = d.hierarchy().arrays().get(path);
                if (c != null && c.rank() == 1) {
                    Axis axis = Axis.of(dim, d.hierarchy().arrayAttributes(path));
                    latDim = axis == Axis.LATITUDE ? dim : latDim;
                    lonDim = axis == Axis.LONGITUDE ? dim : lonDim;
                }
            }
            if (latDim != null && lonDim != null) {
                return Optional.of(new Grid(List.of(latDim, lonDim), values(d, group, latDim, reader),
                        values(d, group, lonDim, reader), false, 0));
            }
            if (!(attrs.get("coordinates") instanceof String names)) {
                return Optional.empty();
            }
            String latPath = null;
            String lonPath = null;
            for (String name : names.trim().split("\\s+")) {
                String path = group.isEmpty() ? name : group + "/" + name;
                ZarrArrayMetadata c = d.hierarchy().arrays().get(path);
                if (c != null && c.rank() == 2) {
                    Axis axis = Axis.of(name, d.hierarchy().arrayAttributes(path));
                    latPath = axis == Axis.LATITUDE ? path : latPath;
                    lonPath = axis == Axis.LONGITUDE ? path : lonPath;
                }
            }
            if (latPath == null || lonPath == null) {
                return Optional.empty();
            }
            List<String> gridDims = ArrayValues.dimensions(d.hierarchy().arrayAttributes(latPath), 2);
            if (!dims.containsAll(gridDims)) {
                return Optional.empty();
            }
            ZarrArrayMetadata lat2 = d.hierarchy().arrays().get(latPath);
            return Optional.of(new Grid(gridDims, reader.read(d, latPath, ArrayValues.Box.whole(lat2)),
                    reader.read(d, lonPath, ArrayValues.Box.whole(d.hierarchy().arrays().get(lonPath))), true,
                    Math.toIntExact(lat2.shape().get(1))));
        }

        private static double[] values(Dataset d, String group, String dim, ArrayValues reader) throws IOException {
            String path = group.isEmpty() ? dim : group + "/" + dim;
            return reader.read(d, path, ArrayValues.Box.whole(d.hierarchy().arrays().get(path)));
        }

        /** Indices along {@link #dims} of the grid point nearest to the point (on the sphere, for 2-D grids). */
        int[] nearest(double lat, double lon) {
            if (!twoD) {
                return new int[] {argmin(lats, v -> Math.abs(v - lat)), argmin(lons, v -> angle(v, lon))};
            }
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int i = 0; i < lats.length; i++) {
                double d = distance(lat, lon, lats[i], lons[i]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            if (best < 0) {
                throw new StoreException(400, "no grid point", "the grid's coordinates are all missing");
            }
            return new int[] {best / columns, best % columns};
        }

        private static int argmin(double[] values, java.util.function.DoubleUnaryOperator distance) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int i = 0; i < values.length; i++) {
                double dist = distance.applyAsDouble(values[i]);
                if (dist < bestD) {
                    bestD = dist;
                    best = i;
                }
            }
            if (best < 0) {
                throw new StoreException(400, "no grid point", "the grid's coordinates are all missing");
            }
            return best;
        }

        /** Degrees between two longitudes, the short way round. */
        private static double angle(double a, double b) {
            double d = Math.abs(a - b) % 360;
            return d > 180 ? 360 - d : d;
        }

        /**
         * Whether the point found is within one grid spacing of the point asked for (the spacing
         * measured at the point found), so a point off the grid's edge is refused, not answered
         * with the edge.
         */
        boolean covers(int[] point, double lat, double lon) {
            if (!twoD) {
                return Math.abs(lats[point[0]] - lat) <= spacing(lats, point[0])
                        && angle(lons[point[1]], lon) <= spacing(lons, point[1]);
            }
            int rows = lats.length / columns;
            int i = point[0] < rows - 1 ? point[0] + 1 : point[0] - 1;
            int j = point[1] < columns - 1 ? point[1] + 1 : point[1] - 1;
            double step = Math.max(distance(lats[point[0] * columns + point[1]], lons[point[0] * columns + point[1]],
                    lats[i * columns + point[1]], lons[i * columns + point[1]]), distance(lats[point[0] * columns + point[1]],
                    lons[point[0] * columns + point[1]], lats[point[0] * columns + j], lons[point[0] * columns + j]));
            return rows < 2 || columns < 2 || distance(lat, lon, latitude(point), longitude(point)) <= step;
        }

        private static double spacing(double[] axis, int at) {
            if (axis.length < 2) {
                return 360;
            }
            int other = at < axis.length - 1 ? at + 1 : at - 1;
            return Math.abs(axis[at] - axis[other]) % 360;
        }

        /** Great-circle angle in degrees. */
        private static double distance(double lat1, double lon1, double lat2, double lon2) {
            double p1 = Math.toRadians(lat1);
            double p2 = Math.toRadians(lat2);
            double dl = Math.toRadians(angle(lon1, lon2));
            double h = Math.pow(Math.sin((p2 - p1) / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
            return Math.toDegrees(2 * Math.asin(Math.min(1, Math.sqrt(h))));
        }

        double latitude(int[] point) {
            return twoD ? lats[point[0] * columns + point[1]] : lats[point[0]];
        }

        double longitude(int[] point) {
            return twoD ? lons[point[0] * columns + point[1]] : lons[point[1]];
        }
    }

    /** What a coordinate variable is, by CF's rules: standard_name, then units, then a usual name. */
    public enum Axis {
        LATITUDE, LONGITUDE, OTHER;

        public static Axis of(String name, Map<String, Object> attrs) {
            String standard = String.valueOf(attrs.get("standard_name")).toLowerCase(Locale.ROOT);
            String units = String.valueOf(attrs.get("units")).toLowerCase(Locale.ROOT);
            String n = name.toLowerCase(Locale.ROOT);
            if (standard.equals("latitude") || units.matches("degrees?_?n(orth)?") || n.equals("lat") || n.equals("latitude")) {
                return LATITUDE;
            }
            if (standard.equals("longitude") || units.matches("degrees?_?e(ast)?") || n.equals("lon") || n.equals("longitude")) {
                return LONGITUDE;
            }
            return OTHER;
        }
    }
}
