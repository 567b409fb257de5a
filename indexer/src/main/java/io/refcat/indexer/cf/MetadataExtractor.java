package io.refcat.indexer.cf;

import io.refcat.reference.cf.CfTime;
import io.refcat.indexer.ArrayValues;
import io.refcat.indexer.ChunkValues;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link DatasetMetadata} from a reference set, CF-aware:
 * <ul>
 *   <li>latitude and longitude are variables with {@code standard_name} latitude/longitude, or
 *       CF's degree units ({@code degrees_north}, {@code degrees_east} and their spellings), or
 *       {@code axis} Y/X with degree units; 1-D or 2-D (curvilinear and projected grids); fill
 *       values and values outside ±90/±360 are ignored; longitudes 0-360 are brought to ±180, and a
 *       range wrapping past 180 gives a box whose west is greater than its east;</li>
 *   <li>time is the variable with CF time units ({@code <unit> since <date>}, any CF calendar)
 *       that is the best candidate: {@code standard_name} time, then {@code axis} T, then the name
 *       {@code time}, preferring dimension coordinates;</li>
 *   <li>coordinates larger than {@link #MAX_COORDINATE_VALUES} are not read (their dataset gets no
 *       bbox or time rather than a long scan).</li>
 * </ul>
 */
public final class MetadataExtractor {
    public static final long MAX_COORDINATE_VALUES = 20_000_000;
    private static final List<String> DISCOVERY = List.of("title", "summary", "institution", "source", "keywords",
            "license", "comment", "references");
    private static final Set<String> NORTH = Set.of("degrees_north", "degree_north", "degree_n", "degrees_n",
            "degreen", "degreesn");
    private static final Set<String> EAST = Set.of("degrees_east", "degree_east", "degree_e", "degrees_e", "degreee",
            "degreese");

    private final ChunkValues chunkValues;

    public MetadataExtractor(ChunkValues chunkValues) {
        this.chunkValues = chunkValues;
    }

    public DatasetMetadata extract(ReferenceSet set) throws IOException {
        ZarrHierarchy h = ZarrHierarchy.of((ReferenceLookup) set);
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, Object> global = h.groups().getOrDefault("", Map.of());
        for (String a : DISCOVERY) {
            Object v = global.get(a);
            if (v != null && !v.toString().isBlank()) {
                attributes.put(a, v instanceof List<?> list ? String.join(", ", list.stream().map(Object::toString).toList())
                        : v.toString());
            }
        }
        List<DatasetMetadata.Variable> variables = new ArrayList<>();
        Map<String, Long> dimensionSizes = new LinkedHashMap<>();
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            Map<String, Object> attrs = h.arrayAttributes(a.getKey());
            List<String> dims = dimensionsOf(attrs, a.getValue());
            for (int i = 0; i < dims.size(); i++) {
                dimensionSizes.putIfAbsent(dims.get(i), a.getValue().shape().get(i));
            }
            boolean coordinate = dims.size() == 1 && dims.get(0).equals(nameOf(a.getKey()));
            variables.add(new DatasetMetadata.Variable(a.getKey(), dims, a.getValue().dtype().toString(),
                    a.getValue().shape(), text(attrs, "standard_name"), text(attrs, "long_name"), text(attrs, "units"),
                    coordinate || isLatitude(attrs) || isLongitude(attrs)));
        }
        double[] lat = range(set, h, this::isLatitude, 90);
        double[] lon = longitudeRange(set, h);
        double[] bbox = lat == null || lon == null ? null : new double[] {lon[0], lat[0], lon[1], lat[1]};
        Optional<Candidate> time = timeCandidate(h);
        DatasetMetadata.TimeCoverage coverage = null;
        if (time.isPresent()) {
            coverage = timeCoverage(set, h, time.get());
        }
        List<DatasetMetadata.Dimension> dimensions = new ArrayList<>();
        for (Map.Entry<String, Long> d : dimensionSizes.entrySet()) {
            dimensions.add(dimension(d.getKey(), d.getValue(), h, lat, lon, coverage));
        }
        long size = 0;
        for (ReferenceSet.SourceInfo s : set.sources().values()) {
            size = s.size() < 0 || size < 0 ? -1 : size + s.size();
        }
        long chunks = set.refs().keySet().stream().filter(k -> !ReferenceLookup.isMetadataKey(k)).count();
        return new DatasetMetadata(attributes, coverage, bbox, variables, dimensions, set.sources().isEmpty() ? -1 : size,
                chunks);
    }

    private DatasetMetadata.Dimension dimension(String name, long size, ZarrHierarchy h, double[] lat, double[] lon,
                                                DatasetMetadata.TimeCoverage time) {
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            if (!nameOf(a.getKey()).equals(name) || a.getValue().rank() != 1) {
                continue;
            }
            Map<String, Object> attrs = h.arrayAttributes(a.getKey());
            if (isLatitude(attrs) && lat != null) {
                return new DatasetMetadata.Dimension(name, size, "y", List.of(lat[0], lat[1]));
            }
            if (isLongitude(attrs) && lon != null) {
                return new DatasetMetadata.Dimension(name, size, "x", List.of(lon[0], lon[1]));
            }
            if (time != null && time.variable().equals(a.getKey())) {
                return new DatasetMetadata.Dimension(name, size, "t", List.of(time.start(), time.end()));
            }
        }
        return new DatasetMetadata.Dimension(name, size, null, null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> dimensionsOf(Map<String, Object> attrs, ZarrArrayMetadata meta) {
        Object names = attrs.get(VirtualArray.ARRAY_DIMENSIONS);
        if (names instanceof List<?> list && list.size() == meta.rank()) {
            return (List<String>) list;
        }
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < meta.rank(); i++) {
            dims.add("dim_" + i);
        }
        return dims;
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String text(Map<String, Object> attrs, String name) {
        Object v = attrs.get(name);
        return v == null ? null : v.toString();
    }

    private static String lower(Map<String, Object> attrs, String name) {
        String v = text(attrs, name);
        return v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
    }

    private boolean isLatitude(Map<String, Object> attrs) {
        return lower(attrs, "standard_name").equals("latitude") || NORTH.contains(lower(attrs, "units"))
                || (lower(attrs, "axis").equals("y") && lower(attrs, "units").startsWith("degree"));
    }

    private boolean isLongitude(Map<String, Object> attrs) {
        return lower(attrs, "standard_name").equals("longitude") || EAST.contains(lower(attrs, "units"))
                || (lower(attrs, "axis").equals("x") && lower(attrs, "units").startsWith("degree"));
    }

    /** Min and max over every matching variable, values beyond ±limit ignored; null where none. */
    private double[] range(ReferenceSet set, ZarrHierarchy h, java.util.function.Predicate<Map<String, Object>> matches,
                           double limit) throws IOException {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            if (!matches.test(h.arrayAttributes(a.getKey())) || a.getValue().rank() > 2) {
                continue;
            }
            for (double v : values(set, a.getKey(), a.getValue())) {
                if (!Double.isNaN(v) && Math.abs(v) <= limit) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min > max ? null : new double[] {min, max};
    }

    private double[] values(ReferenceSet set, String path, ZarrArrayMetadata meta) throws IOException {
        try {
            return ArrayValues.read(set, path, meta, chunkValues, MAX_COORDINATE_VALUES);
        } catch (IllegalArgumentException | io.refcat.reference.ReferenceFormatException e) {
            return new double[0];
        }
    }

    /**
     * West and east in ±180. Values are brought to ±180; if they then wrap (data on both sides of
     * the antimeridian but not around the globe), the box runs from the westmost value east of 0..180
     * across 180: west &gt; east, as STAC states such boxes.
     */
    private double[] longitudeRange(ReferenceSet set, ZarrHierarchy h) throws IOException {
        double[] raw = range(set, h, this::isLongitude, 360);
        if (raw == null) {
            return null;
        }
        if (raw[1] - raw[0] + spacing(set, h) >= 359.9) {
            return new double[] {-180, 180};
        }
        double west = wrap(raw[0]);
        double east = wrap(raw[1]);
        if (raw[1] > 180 && raw[0] < 180) {
            return new double[] {west, east};
        }
        return new double[] {Math.min(west, east), Math.max(west, east)};
    }

    /**
     * The widest grid step of the 1-D longitude coordinates, whose values are cell centres: a grid
     * of 0..330 by 30 covers the globe.
     */
    private double spacing(ReferenceSet set, ZarrHierarchy h) throws IOException {
        double step = 0;
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            if (a.getValue().rank() == 1 && isLongitude(h.arrayAttributes(a.getKey()))) {
                double[] v = java.util.Arrays.stream(values(set, a.getKey(), a.getValue())).filter(x -> !Double.isNaN(x))
                        .toArray();
                if (v.length > 1) {
                    double span = java.util.Arrays.stream(v).max().getAsDouble() - java.util.Arrays.stream(v).min().getAsDouble();
                    step = Math.max(step, span / (v.length - 1));
                }
            }
        }
        return step;
    }

    private static double wrap(double lon) {
        double w = ((lon + 180) % 360 + 360) % 360 - 180;
        return w == -180 && lon > 0 ? 180 : w;
    }

    private record Candidate(String path, ZarrArrayMetadata meta, CfTime time) {
    }

    private Optional<Candidate> timeCandidate(ZarrHierarchy h) {
        Candidate best = null;
        int bestScore = -1;
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            Map<String, Object> attrs = h.arrayAttributes(a.getKey());
            Optional<CfTime> t = CfTime.parse(text(attrs, "units"), text(attrs, "calendar"));
            if (t.isEmpty() || a.getValue().rank() > 1) {
                continue;
            }
            List<String> dims = dimensionsOf(attrs, a.getValue());
            int score = (lower(attrs, "standard_name").equals("time") ? 8 : 0) + (lower(attrs, "axis").equals("t") ? 4 : 0)
                    + (nameOf(a.getKey()).equals("time") ? 2 : 0)
                    + (dims.size() == 1 && dims.get(0).equals(nameOf(a.getKey())) ? 1 : 0);
            if (score > bestScore) {
                best = new Candidate(a.getKey(), a.getValue(), t.get());
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private DatasetMetadata.TimeCoverage timeCoverage(ReferenceSet set, ZarrHierarchy h, Candidate c) throws IOException {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values(set, c.path(), c.meta())) {
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return null;
        }
        Object calendar = h.arrayAttributes(c.path()).get("calendar");
        return new DatasetMetadata.TimeCoverage(c.time().isoInstant(min), c.time().isoInstant(max),
                calendar == null ? "standard" : calendar.toString(), c.path());
    }
}
