package io.refcat.indexer.grib;

import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * GRIB fields as the hypercubes cfgrib builds: one variable per parameter, type of level, step
 * type and grid, named by ecCodes' {@code cfVarName}; dimensions among {@code number},
 * {@code time}, {@code step} and the level (named by its type of level) where they take more
 * than one value, scalar coordinates where one; then {@code latitude}, {@code longitude}. One
 * chunk per field, referencing its whole message. Variables of one type of level and step type
 * whose coordinates agree share a group, as cfgrib puts them in one dataset; a file that cfgrib
 * opens as several datasets gets one Zarr group per dataset, named by type of level (and step
 * type where not instant, and a number where that repeats); a file of one dataset is the root.
 */
final class GribHypercubes {
    /** ecCodes' missingValue, the fill value kerchunk's GRIB references carry. */
    static final double MISSING_VALUE = 9999;
    private static final List<String> DECREASING = List.of("isobaricInhPa", "isobaricInPa");

    private GribHypercubes() {
    }

    /** The Zarr groups (path → attributes) and arrays of a file's fields. */
    record Result(Map<String, Map<String, Object>> groups, List<VirtualArray> arrays) {
    }

    /** A field with its ecCodes names. */
    private record Named(GribField f, String var, String typeOfLevel, String stepType) {
    }

    /** A variable: its fields and coordinates. */
    private static final class Variable {
        final String name;
        final String typeOfLevel;
        final String stepType;
        final List<Named> fields = new ArrayList<>();
        final Map<String, Coordinate> coords = new LinkedHashMap<>();
        final List<String> headerDims = new ArrayList<>();

        Variable(Named first) {
            this.name = first.var();
            this.typeOfLevel = first.typeOfLevel();
            this.stepType = first.stepType();
        }

        GribGrid grid() {
            return fields.get(0).f().grid();
        }
    }

    /** A coordinate: its dimensions, shape and values (double[], or long[] for times and members). */
    private record Coordinate(List<String> dims, List<Long> shape, Object values, DType dtype,
                              Map<String, Object> attrs) {
        boolean sameAs(Coordinate o) {
            return dims.equals(o.dims) && dtype.equals(o.dtype) && Objects.deepEquals(values, o.values);
        }
    }

    static Result build(String url, List<GribField> fields, Map<String, String> unsupported) {
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (GribField f : fields) {
            Named n = named(f);
            // fields with and without an ensemble member never share a hypercube: their number
            // coordinate could not be indexed
            String key = n.var() + "|" + n.typeOfLevel() + "|" + n.stepType() + "|" + gridKey(f.grid()) + "|"
                    + (f.number() == null ? "" : "ens");
            variables.computeIfAbsent(key, k -> new Variable(n)).fields.add(n);
        }
        List<List<Variable>> groups = new ArrayList<>();
        for (Variable v : variables.values()) {
            String why = v.grid().unsupported() != null ? v.grid().unsupported()
                    : v.fields.stream().map(n -> n.f().undecodable()).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
            if (why != null) {
                unsupported.put(v.name + " (" + v.typeOfLevel + ")", why);
                continue;
            }
            if (v.fields.stream().map(n -> n.f().field()).distinct().count() > 1) {
                // one codec per array names the field within each message: they must agree
                unsupported.put(v.name + " (" + v.typeOfLevel + ")", "its fields sit at different positions within "
                        + "their multi-field messages; one Zarr codec cannot address them");
                continue;
            }
            describe(v);
            List<Variable> home = null;
            for (List<Variable> g : groups) {
                if (fits(v, g)) {
                    home = g;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(v);
        }
        Map<String, Map<String, Object>> groupAttrs = new LinkedHashMap<>();
        List<VirtualArray> arrays = new ArrayList<>();
        Map<String, Object> rootAttrs = fields.isEmpty() ? Map.of() : datasetAttributes(fields);
        groupAttrs.put("", groups.size() == 1 ? rootAttrs : Map.of("Conventions", "CF-1.7"));
        TreeSet<String> used = new TreeSet<>();
        for (List<Variable> g : groups) {
            String path = groups.size() == 1 ? "" : groupName(g.get(0), used);
            if (!path.isEmpty()) {
                groupAttrs.put(path, rootAttrs);
            }
            Map<String, Coordinate> coords = new LinkedHashMap<>();
            for (Variable v : g) {
                coords.putAll(v.coords);
                arrays.add(dataArray(url, path, v, unsupported));
            }
            coords.forEach((name, c) -> arrays.add(coordinateArray(join(path, name), c)));
        }
        return new Result(groupAttrs, arrays);
    }

    private static Named named(GribField f) {
        String cfVarName = f.concept("cfVarName");
        String shortName = f.concept("shortName");
        String paramId = f.concept("paramId");
        String var = usable(cfVarName) ? cfVarName : usable(shortName) ? shortName : "paramId_" + paramId;
        String typeOfLevel = f.concept("typeOfLevel");
        String stepType = f.edition() == 1 ? f.concept("stepType") : stepType2(f.keys());
        return new Named(f, var, typeOfLevel == null ? "unknown" : typeOfLevel, stepType == null ? "instant" : stepType);
    }

    private static boolean usable(String name) {
        return name != null && !name.equals("unknown") && !name.equals("undef");
    }

    /** ecCodes' stepType for GRIB2 (its table in template.4.statistical.def). */
    private static String stepType2(Map<String, Object> k) {
        Object stat = k.get("typeOfStatisticalProcessing");
        if (stat == null) {
            return "instant";
        }
        long increment = (Long) k.getOrDefault("typeOfTimeIncrement", 255L);
        return switch (((Long) stat).intValue()) {
            case 0 -> increment == 1 ? "avgd" : "avg";
            case 1 -> "accum";
            case 2 -> "max";
            case 3 -> "min";
            case 4 -> "diff";
            case 5 -> "rms";
            case 6 -> "sd";
            case 7 -> "cov";
            case 8 -> "sdiff";
            case 9 -> "ratio";
            case 10 -> "stdanom";
            case 11 -> "sum";
            case 255 -> "instant";
            default -> "stat" + stat;
        };
    }

    private static String gridKey(GribGrid g) {
        return g.gridType() + ":" + g.nx() + "x" + g.ny() + ":" + g.scanMode() + ":" + g.layout() + ":"
                + Arrays.hashCode(g.latitudes())
                + ":" + Arrays.hashCode(g.longitudes());
    }

    /** The variable's coordinates and header dimensions, from the distinct values of its fields. */
    private static void describe(Variable v) {
        TreeSet<Long> numbers = new TreeSet<>();
        TreeSet<Long> times = new TreeSet<>();
        TreeSet<Double> steps = new TreeSet<>();
        TreeSet<Double> levels = new TreeSet<>();
        boolean hasNumber = false;
        for (Named n : v.fields) {
            if (n.f().number() != null) {
                hasNumber = true;
                numbers.add((long) n.f().number());
            }
            times.add(n.f().refTime());
            steps.add(n.f().step());
            levels.add(n.f().level());
        }
        if (hasNumber) {
            header(v, "number", numbers.stream().mapToLong(Long::longValue).toArray(), DType.parse("<i8"),
                    Map.of("units", "1", "standard_name", "realization", "long_name", "ensemble member numerical id"));
        }
        header(v, "time", times.stream().mapToLong(Long::longValue).toArray(), DType.parse("<i8"), timeAttrs(
                "forecast_reference_time", "initial time of forecast"));
        header(v, "step", steps.stream().mapToDouble(Double::doubleValue).toArray(), DType.parse("<f8"),
                Map.of("units", "hours", "standard_name", "forecast_period",
                        "long_name", "time since forecast_reference_time"));
        double[] levelValues = levels.stream().mapToDouble(Double::doubleValue).toArray();
        if (DECREASING.contains(v.typeOfLevel)) {
            reverse(levelValues);
        }
        header(v, v.typeOfLevel, levelValues, DType.parse("<f8"), levelAttrs(v.typeOfLevel));
        validTime(v);
        GribGrid g = v.grid();
        Map<String, Object> lat = new LinkedHashMap<>(Map.of("units", "degrees_north", "standard_name", "latitude",
                "long_name", "latitude"));
        double[] lats = g.latitudes();
        if (g.layout() == GribGrid.Layout.REGULAR && lats.length > 1 && lats[0] > lats[lats.length - 1]) {
            lat.put("stored_direction", "decreasing");
        }
        List<String> latDims = switch (g.layout()) {
            case REGULAR -> List.of("latitude");
            case POINTS -> List.of("values");
            case PROJECTED -> List.of("y", "x");
        };
        List<String> lonDims = g.layout() == GribGrid.Layout.REGULAR ? List.of("longitude") : latDims;
        List<Long> latShape = g.layout() == GribGrid.Layout.PROJECTED ? List.of((long) g.ny(), (long) g.nx())
                : List.of((long) lats.length);
        List<Long> lonShape = g.layout() == GribGrid.Layout.PROJECTED ? latShape : List.of((long) g.longitudes().length);
        v.coords.put("latitude", new Coordinate(latDims, latShape, lats, DType.parse("<f8"), lat));
        v.coords.put("longitude", new Coordinate(lonDims, lonShape, g.longitudes(), DType.parse("<f8"),
                Map.of("units", "degrees_east", "standard_name", "longitude", "long_name", "longitude")));
    }

    /** A header coordinate: a dimension where it has several values, a scalar where one (cfgrib's squeeze). */
    private static void header(Variable v, String name, Object values, DType dtype, Map<String, Object> attrs) {
        int n = java.lang.reflect.Array.getLength(values);
        if (n > 1) {
            v.headerDims.add(name);
            v.coords.put(name, new Coordinate(List.of(name), List.of((long) n), values, dtype, attrs));
        } else {
            v.coords.put(name, new Coordinate(List.of(), List.of(), values, dtype, attrs));
        }
    }

    /** cfgrib's {@code valid_time}: time plus step, over whichever of the two are dimensions. */
    private static void validTime(Variable v) {
        long[] times = (long[]) v.coords.get("time").values();
        double[] steps = (double[]) v.coords.get("step").values();
        List<String> dims = new ArrayList<>();
        List<Long> shape = new ArrayList<>();
        if (times.length > 1) {
            dims.add("time");
            shape.add((long) times.length);
        }
        if (steps.length > 1) {
            dims.add("step");
            shape.add((long) steps.length);
        }
        long[] valid = new long[times.length * steps.length];
        for (int t = 0; t < times.length; t++) {
            for (int s = 0; s < steps.length; s++) {
                valid[t * steps.length + s] = times[t] + Math.round(steps[s] * 3600);
            }
        }
        v.coords.put("valid_time", new Coordinate(dims, shape, valid, DType.parse("<i8"), timeAttrs("time", "time")));
    }

    private static Map<String, Object> timeAttrs(String standardName, String longName) {
        return Map.of("units", "seconds since 1970-01-01T00:00:00", "calendar", "proleptic_gregorian",
                "standard_name", standardName, "long_name", longName);
    }

    /** cfgrib's COORD_ATTRS for the level types it knows; its generic attributes otherwise. */
    private static Map<String, Object> levelAttrs(String typeOfLevel) {
        return switch (typeOfLevel) {
            case "isobaricInhPa", "isobaricInPa" -> Map.of("units", typeOfLevel.endsWith("hPa") ? "hPa" : "Pa",
                    "positive", "down", "stored_direction", "decreasing", "standard_name", "air_pressure",
                    "long_name", "pressure");
            case "hybrid" -> Map.of("units", "1", "positive", "down", "long_name", "hybrid level",
                    "standard_name", "atmosphere_hybrid_sigma_pressure_coordinate");
            case "heightAboveGround" -> Map.of("units", "m", "positive", "up", "long_name", "height above the surface",
                    "standard_name", "height");
            case "depthBelowLand", "depthBelowLandLayer" -> Map.of("units", "m", "positive", "down",
                    "long_name", "soil depth", "standard_name", "depth");
            default -> Map.of("long_name", "original GRIB coordinate for key: level(" + typeOfLevel + ")", "units", "1");
        };
    }

    /** As cfgrib: one type of level and step type per dataset, and no coordinate seen two ways. */
    private static boolean fits(Variable v, List<Variable> group) {
        for (Variable other : group) {
            if (other.name.equals(v.name) || !other.typeOfLevel.equals(v.typeOfLevel)
                    || !other.stepType.equals(v.stepType)) {
                return false;
            }
            for (Map.Entry<String, Coordinate> c : v.coords.entrySet()) {
                Coordinate o = other.coords.get(c.getKey());
                if (o != null && !o.sameAs(c.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String groupName(Variable first, TreeSet<String> used) {
        String base = first.typeOfLevel + ("instant".equals(first.stepType) ? "" : "_" + first.stepType);
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static Map<String, Object> datasetAttributes(List<GribField> fields) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        TreeSet<Integer> editions = new TreeSet<>();
        TreeSet<Integer> centres = new TreeSet<>();
        fields.forEach(f -> {
            editions.add(f.edition());
            centres.add(f.centre());
        });
        if (editions.size() == 1) {
            attrs.put("GRIB_edition", (long) editions.first());
        }
        if (centres.size() == 1) {
            attrs.put("GRIB_centre", GribConcepts.get().centre(centres.first()));
        }
        attrs.put("Conventions", "CF-1.7");
        return attrs;
    }

    private static VirtualArray dataArray(String url, String group, Variable v, Map<String, String> unsupported) {
        GribGrid g = v.grid();
        List<Long> shape = new ArrayList<>();
        List<Integer> chunks = new ArrayList<>();
        for (String d : v.headerDims) {
            shape.add((long) java.lang.reflect.Array.getLength(v.coords.get(d).values()));
            chunks.add(1);
        }
        if (g.layout() != GribGrid.Layout.POINTS) {
            shape.add((long) g.ny());
            chunks.add(g.ny());
        }
        shape.add((long) g.nx());
        chunks.add(g.nx());
        Named first = v.fields.get(0);
        TreeMap<String, Reference> refs = new TreeMap<>();
        ZarrArrayMetadata probe = ZarrArrayMetadata.uncompressed(shape, chunks, DType.parse("<f4"), MISSING_VALUE);
        List<Map<Double, Integer>> positions = new ArrayList<>();
        for (String d : v.headerDims) {
            Object values = v.coords.get(d).values();
            Map<Double, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(values); i++) {
                at.put(((Number) java.lang.reflect.Array.get(values, i)).doubleValue(), i);
            }
            positions.add(at);
        }
        for (Named n : v.fields) {
            long[] index = new long[shape.size()];
            for (int i = 0; i < v.headerDims.size(); i++) {
                index[i] = positions.get(i).get(headerValue(v.headerDims.get(i), n));
            }
            String key = probe.chunkKey(index);
            Reference.Range ref = new Reference.Range(url, n.f().offset(), n.f().length());
            Reference earlier = refs.putIfAbsent(key, ref);
            if (earlier != null) {
                // The first field wins, as in cfgrib; the other is reported, never dropped silently
                // (e.g. ensemble members whose number refcat cannot read would land here).
                long at = ((Reference.Range) earlier).offset();
                unsupported.put("message@" + n.f().offset() + (n.f().field() > 0 ? " field " + n.f().field() : ""),
                        "'" + v.name + "' (" + v.typeOfLevel + ") at the same time, step, level and ensemble member as "
                                + "the message at " + at + ": not referenced (the first one is, as cfgrib does)");
            }
        }
        Map<String, Object> codec = new LinkedHashMap<>();
        codec.put("var", first.f().concept("shortName") == null ? v.name : first.f().concept("shortName"));
        codec.put("dtype", "float32");
        int field = first.f().field(); // the same for every field of the variable (checked in build)
        if (field > 0) {
            codec.put("field", field); // the field within a message holding several
        }
        // Fields no message holds read NaN, as cfgrib shows them (kerchunk's codec turns missing
        // points into NaN too).
        ZarrArrayMetadata meta = new ZarrArrayMetadata(shape, chunks, DType.parse("<f4"), null,
                List.of(new Codec(codecId(g, field), codec)), Double.NaN, 'C', ".");
        List<String> dims = new ArrayList<>(v.headerDims);
        dims.addAll(switch (g.layout()) {
            case REGULAR -> List.of("latitude", "longitude");
            case POINTS -> List.of("values");
            case PROJECTED -> List.of("y", "x");
        });
        return new VirtualArray(join(group, v.name), meta, dataAttributes(v), dims, refs);
    }

    /** A field's value of a header dimension, as its coordinate holds it. */
    /**
     * kerchunk's {@code grib} codec where it reads the chunk as cfgrib does; refcat's own
     * {@code refcat_grib} where it would not: a message holding several fields (kerchunk's codec
     * decodes the first) or rows scanned in alternate directions (it returns storage order). A
     * kerchunk client then fails with "codec not available" instead of reading other values; the
     * served views decode both.
     */
    private static String codecId(GribGrid g, int field) {
        return field > 0 || (g.scanMode() & GribGrid.ALTERNATE_ROWS) != 0 ? Codec.REFCAT_GRIB : Codec.GRIB;
    }

    private static double headerValue(String dim, Named n) {
        return switch (dim) {
            case "number" -> n.f().number();
            case "time" -> n.f().refTime();
            case "step" -> n.f().step();
            default -> n.f().level();
        };
    }

    private static Map<String, Object> dataAttributes(Variable v) {
        GribField f = v.fields.get(0).f();
        Map<String, Object> a = new LinkedHashMap<>();
        put(a, "GRIB_paramId", f.concept("paramId"));
        put(a, "GRIB_shortName", f.concept("shortName"));
        put(a, "GRIB_cfVarName", f.concept("cfVarName"));
        put(a, "GRIB_name", f.concept("name"));
        put(a, "GRIB_units", f.concept("units"));
        put(a, "GRIB_cfName", f.concept("cfName"));
        a.put("GRIB_typeOfLevel", v.typeOfLevel);
        a.put("GRIB_stepType", v.stepType);
        a.put("GRIB_gridType", f.grid().gridType());
        a.put("GRIB_Nx", (long) f.grid().nx());
        a.put("GRIB_Ny", (long) f.grid().ny());
        a.put("GRIB_missingValue", MISSING_VALUE);
        a.put("long_name", a.getOrDefault("GRIB_name", "original GRIB paramId: " + f.concept("paramId")));
        a.put("units", a.getOrDefault("GRIB_units", "1"));
        if (a.containsKey("GRIB_cfName")) {
            a.put("standard_name", a.get("GRIB_cfName"));
        }
        a.put("coordinates", String.join(" ", v.coords.keySet()));
        return a;
    }

    private static void put(Map<String, Object> a, String key, String value) {
        if (value != null && !value.equals("unknown") && !value.equals("undef")) {
            a.put(key, key.equals("GRIB_paramId") ? (Object) Long.parseLong(value) : value);
        }
    }

    /**
     * Coordinates larger than this are inlined shuffled and deflated: the per-point latitudes and
     * longitudes of a large grid (a 2517 x 1793 Mercator grid holds 36 MB of each) would otherwise
     * make reference files of hundreds of MB, while their repeating rows shrink a thousandfold.
     */
    static final int COMPRESS_ABOVE = 64 * 1024;

    /** A coordinate inlined as one little-endian chunk. */
    private static VirtualArray coordinateArray(String path, Coordinate c) {
        byte[] raw = littleEndian(c.values());
        List<Integer> chunks = c.shape().stream().map(Math::toIntExact).toList();
        // no fill value for integers: xarray would mask a real 0 (ensemble member 0, say)
        Object fill = c.dtype().kind() == 'f' ? (Object) Double.NaN : null;
        ZarrArrayMetadata meta = ZarrArrayMetadata.uncompressed(c.shape(), chunks, c.dtype(), fill);
        byte[] chunk = raw;
        if (raw.length > COMPRESS_ABOVE) {
            meta = new ZarrArrayMetadata(c.shape(), chunks, c.dtype(), new Codec("zlib", Map.of("level", 6)),
                    List.of(new Codec("shuffle", Map.of("elementsize", 8))), fill, 'C', ".");
            chunk = deflate(shuffle(raw, 8));
        }
        TreeMap<String, Reference> refs = new TreeMap<>();
        refs.put(meta.chunkKey(new long[c.shape().size()]), new Reference.Inline(chunk));
        return new VirtualArray(path, meta, c.attrs(), c.dims(), refs);
    }

    private static byte[] littleEndian(Object values) {
        ByteBuffer bb;
        if (values instanceof double[] d) {
            bb = ByteBuffer.allocate(d.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            bb.asDoubleBuffer().put(d);
            return bb.array();
        }
        int n = java.lang.reflect.Array.getLength(values);
        bb = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            Object x = java.lang.reflect.Array.get(values, i);
            if (x instanceof Long l) {
                bb.putLong(l);
            } else {
                bb.putDouble((Double) x);
            }
        }
        return bb.array();
    }

    /** numcodecs' shuffle: byte k of every element together, for k = 0 .. size-1. */
    private static byte[] shuffle(byte[] data, int size) {
        int n = data.length / size;
        byte[] out = new byte[data.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < size; k++) {
                out[k * n + i] = data[i * size + k];
            }
        }
        return out;
    }

    /** numcodecs' zlib: a zlib stream (header, deflate, Adler-32). */
    private static byte[] deflate(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(6);
        try {
            d.setInput(data);
            d.finish();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length / 16 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static void reverse(double[] a) {
        for (int i = 0; i < a.length / 2; i++) {
            double t = a[i];
            a[i] = a[a.length - 1 - i];
            a[a.length - 1 - i] = t;
        }
    }

    private static String join(String group, String name) {
        return group.isEmpty() ? name : group + "/" + name;
    }
}
