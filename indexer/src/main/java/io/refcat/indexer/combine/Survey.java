package io.refcat.indexer.combine;

import io.refcat.indexer.ArrayValues;
import io.refcat.indexer.ChunkValues;
import io.refcat.indexer.NumericValues;

import io.refcat.reference.cf.CfTime;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The first pass: reads each input's structure and concatenation coordinates, checks it against
 * the first input, and keeps only an {@link InputSummary}. A file that disagrees is reported with
 * the difference and left out.
 */
final class Survey {
    /** Attributes that change what stored values mean: files must agree on them. */
    private static final List<String> DECODING_ATTRIBUTES = List.of("scale_factor", "add_offset", "_FillValue",
            "missing_value", "units", "calendar");

    private final CombineOptions options;
    private final ChunkValues chunkValues;
    final Map<String, ArraySpec> arrays = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> groups = new TreeMap<>();
    final TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
    final TreeMap<String, String> unsupported = new TreeMap<>();
    final List<InputSummary> kept = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    /** What the first file says of each concatenation dimension. */
    final Axis[] axes;

    Survey(CombineOptions options, ChunkValues chunkValues) {
        this.options = options;
        this.chunkValues = chunkValues;
        this.axes = new Axis[options.concatDims().size()];
        for (int d = 0; d < axes.length; d++) {
            axes[d] = new Axis();
        }
    }

    void add(int index, CombineInput input) {
        try {
            InputSummary s = survey(index, input, input.loader().load());
            kept.add(s);
        } catch (Disagreement e) {
            problem(input.name() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            problem(input.name() + ": cannot be read: " + e.getMessage());
        }
    }

    void problem(String message) {
        if (options.strict()) {
            throw new CombineException(message);
        }
        problems.add(message);
    }

    /** A file that cannot join the others; it is left out with this message. */
    static final class Disagreement extends Exception {
        Disagreement(String message) {
            super(message);
        }
    }

    private InputSummary survey(int index, CombineInput input, ReferenceSet set) throws Disagreement, IOException {
        ZarrHierarchy h = ZarrHierarchy.of(set);
        List<String> dims = options.concatDims();
        InputSummary s = new InputSummary(index, input.name(), dims.size());
        boolean first = kept.isEmpty();
        Map<String, List<String>> dimsOf = new LinkedHashMap<>();
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            dimsOf.put(a.getKey(), dimensionNames(a.getKey(), a.getValue(), h));
        }
        for (int d = 0; d < dims.size(); d++) {
            long length = -1;
            for (Map.Entry<String, List<String>> a : dimsOf.entrySet()) {
                int axis = a.getValue().indexOf(dims.get(d));
                if (axis >= 0) {
                    long n = h.arrays().get(a.getKey()).shape().get(axis);
                    if (length >= 0 && n != length) {
                        throw new Disagreement("dimension '" + dims.get(d) + "' is " + length + " long in one variable and "
                                + n + " in '" + a.getKey() + "'");
                    }
                    length = n;
                }
            }
            boolean lacks = length < 0;
            if (first) {
                axes[d].lacking = lacks;
            } else if (lacks != axes[d].lacking) {
                throw new Disagreement(lacks ? "has no dimension '" + dims.get(d) + "', which the first file has"
                        : "has a dimension '" + dims.get(d) + "', which the first file lacks");
            }
            s.length[d] = lacks ? 1 : length;
            s.values[d] = coordinate(d, set, h, input, s.length[d], first);
            requireIncreasing(dims.get(d), s.values[d]);
        }
        Map<String, ArraySpec> added = new LinkedHashMap<>();
        for (Map.Entry<String, ZarrArrayMetadata> a : h.arrays().entrySet()) {
            String path = a.getKey();
            ZarrArrayMetadata meta = a.getValue();
            List<String> adims = dimsOf.get(path);
            Map<String, String> signature = signature(path, meta, adims, h.arrayAttributes(path));
            byte[] fingerprint = anyNewDim() && !isCoordinate(path) ? fingerprint(set, path, meta) : null;
            ArraySpec spec = arrays.get(path);
            if (spec == null) {
                spec = new ArraySpec(arrays.size() + added.size(), path, meta, adims, h.arrayAttributes(path), signature,
                        fingerprint);
                if (!set.filterMasks().subMap(path + "/", path + "/\uffff").isEmpty()) {
                    spec.unsupported = "chunks stored with filters skipped can be read through the served views only";
                }
                added.put(path, spec);
            } else {
                String difference = spec.difference(signature);
                if (difference != null) {
                    throw new Disagreement(difference);
                }
                if (anyNewDim() && !isCoordinate(path)) {
                    spec.compareContent(fingerprint);
                }
            }
            for (int d = 0; d < dims.size(); d++) {
                int axis = adims.indexOf(dims.get(d));
                s.record(spec.id, d, axis < 0 ? 0 : meta.chunks().get(axis));
            }
        }
        arrays.putAll(added);
        h.groups().forEach(groups::putIfAbsent);
        sources.putAll(set.sources());
        for (Reference r : set.refs().values()) {
            String url = io.refcat.reference.KerchunkJson.urlOf(r);
            if (url != null && !sources.containsKey(url)) {
                sources.put(url, new ReferenceSet.SourceInfo(-1));
            }
        }
        set.unsupported().forEach((k, v) -> unsupported.putIfAbsent(k, v + " (in " + input.name() + ")"));
        return s;
    }

    /** Whether a path is a concatenation dimension's coordinate variable, which combine writes anew. */
    boolean isCoordinate(String path) {
        int d = options.concatDims().indexOf(nameOf(path));
        return d >= 0 && (axes[d].coordinatePaths == null || axes[d].coordinatePaths.contains(path));
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    boolean anyNewDim() {
        for (Axis a : axes) {
            if (a.lacking) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<String> dimensionNames(String path, ZarrArrayMetadata meta, ZarrHierarchy h) throws Disagreement {
        Object names = h.arrayAttributes(path).get(VirtualArray.ARRAY_DIMENSIONS);
        if (names instanceof List<?> list && list.size() == meta.rank()) {
            return (List<String>) list;
        }
        throw new Disagreement("variable '" + path + "' has no dimension names (_ARRAY_DIMENSIONS)");
    }

    private Map<String, String> signature(String path, ZarrArrayMetadata meta, List<String> adims,
                                          Map<String, Object> attrs) {
        Map<String, String> sig = new LinkedHashMap<>();
        sig.put("dtype", meta.dtype().toString());
        sig.put("compressor", String.valueOf(meta.compressor()));
        sig.put("filters", String.valueOf(meta.filters()));
        sig.put("fill_value", String.valueOf(meta.fillValue()));
        sig.put("order", String.valueOf(meta.order()));
        sig.put("dimensions", adims.toString());
        List<String> shape = new ArrayList<>();
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < adims.size(); i++) {
            boolean concat = options.concatDims().contains(adims.get(i));
            shape.add(concat ? adims.get(i) : meta.shape().get(i).toString());
            chunks.add(concat ? adims.get(i) : meta.chunks().get(i).toString());
        }
        sig.put("shape", shape.toString());
        sig.put("chunks", chunks.toString());
        boolean coordinate = options.concatDims().contains(nameOf(path));
        for (String a : DECODING_ATTRIBUTES) {
            if (!(coordinate && (a.equals("units") || a.equals("calendar")))) {
                sig.put("attribute " + a, String.valueOf(attrs.get(a)));
            }
        }
        return sig;
    }

    /**
     * What a variable holds, where that can be told cheaply: the decoded value of a scalar, or the
     * bytes of a variable whose chunks are all inline. Null where it cannot (chunks in the source).
     */
    private byte[] fingerprint(ReferenceSet set, String path, ZarrArrayMetadata meta) throws IOException {
        MessageDigest digest = sha256();
        if (meta.rank() == 0) {
            if (set.get(path + "/0").isEmpty()) {
                return null;
            }
            return digest.digest(chunkValues.decoded(set, path + "/0", meta));
        }
        for (Map.Entry<String, Reference> e : set.refs().subMap(path + "/", path + "/\uffff").entrySet()) {
            String leaf = e.getKey().substring(path.length() + 1);
            if (leaf.startsWith(".z")) {
                continue;
            }
            if (!(e.getValue() instanceof Reference.Inline inline)) {
                return null;
            }
            digest.update(leaf.getBytes(StandardCharsets.UTF_8));
            digest.update(inline.data());
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private double[] coordinate(int d, ReferenceSet set, ZarrHierarchy h, CombineInput input, long length, boolean first)
            throws Disagreement, IOException {
        String dim = options.concatDims().get(d);
        CoordinateRule rule = options.rule(dim);
        if (rule instanceof CoordinateRule.FromVariable) {
            return fromVariable(d, dim, set, h, length, first);
        }
        String label;
        if (rule instanceof CoordinateRule.FileName f) {
            String name = fileName(set, input);
            java.util.regex.Matcher m = f.pattern().matcher(name);
            if (!m.find() || m.group(1) == null) {
                throw new Disagreement("file name '" + name + "' does not match " + f.pattern());
            }
            label = m.group(1);
        } else {
            String attr = ((CoordinateRule.Attribute) rule).name();
            Object value = h.groups().getOrDefault("", Map.of()).get(attr);
            if (value == null) {
                throw new Disagreement("has no global attribute '" + attr + "' for dimension '" + dim + "'");
            }
            label = value.toString();
        }
        if (length != 1) {
            throw new Disagreement("one label ('" + label + "') cannot give the " + length + " values of dimension '"
                    + dim + "'");
        }
        LabelValues.Label value = LabelValues.parse(label).orElseThrow(() ->
                new Disagreement("label '" + label + "' for dimension '" + dim + "' is neither a number nor a date"));
        if (first) {
            List<String> named = h.arrays().keySet().stream().filter(p -> nameOf(p).equals(dim)).toList();
            axes[d].coordinatePaths = named.isEmpty() ? List.of(dim) : named;
            axes[d].attrs = named.isEmpty() ? Map.of() : h.arrayAttributes(named.get(0));
            axes[d].dateLabels = value.date();
        } else if (axes[d].dateLabels != value.date()) {
            throw new Disagreement("label '" + label + "' is " + (value.date() ? "a date" : "a number")
                    + " where the first file's is not");
        }
        return new double[] {value.value()};
    }

    private static String fileName(ReferenceSet set, CombineInput input) {
        String name = set.sources().size() == 1 ? set.sources().firstKey() : input.name();
        try {
            name = name.startsWith("file:") ? URI.create(name).getPath() : name;
        } catch (IllegalArgumentException e) {
            // not a URI: the text as it is
        }
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private double[] fromVariable(int d, String dim, ReferenceSet set, ZarrHierarchy h, long length, boolean first)
            throws Disagreement, IOException {
        List<String> paths = h.arrays().keySet().stream().filter(p -> nameOf(p).equals(dim)).toList();
        if (paths.isEmpty()) {
            throw new Disagreement("has no coordinate variable '" + dim + "' (give its values with --coord " + dim
                    + "=regex:… or attr:…)");
        }
        double[] values = null;
        for (String path : paths) {
            double[] v = values(path, h.arrays().get(path), set, length);
            if (values != null && !java.util.Arrays.equals(values, v)) {
                throw new Disagreement("coordinate variables " + paths + " differ");
            }
            values = v;
        }
        String path = paths.get(0);
        ZarrArrayMetadata meta = h.arrays().get(path);
        Map<String, Object> attrs = h.arrayAttributes(path);
        String u = attrs.get("units") == null ? null : attrs.get("units").toString();
        Optional<CfTime> t = CfTime.parse(u, attrs.get("calendar") == null ? null : attrs.get("calendar").toString());
        if (first) {
            axes[d].coordinatePaths = paths;
            axes[d].units = u;
            axes[d].time = t.orElse(null);
            axes[d].attrs = attrs;
            axes[d].meta = meta;
            return values;
        }
        if (java.util.Objects.equals(u, axes[d].units)
                && java.util.Objects.equals(String.valueOf(attrs.get("calendar")), String.valueOf(axes[d].attrs.get("calendar")))) {
            return values;
        }
        if (t.isEmpty() || axes[d].time == null || !axes[d].time.convertible(t.get())) {
            throw new Disagreement("coordinate '" + dim + "' has units '" + u + "' (calendar " + attrs.get("calendar")
                    + ") where the first file has '" + axes[d].units + "' (calendar " + axes[d].attrs.get("calendar")
                    + "), and they are not convertible CF time units");
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = axes[d].time.fromSeconds(t.get().toSeconds(values[i]));
        }
        return values;
    }

    private double[] values(String path, ZarrArrayMetadata meta, ReferenceSet set, long length)
            throws Disagreement, IOException {
        String dim = nameOf(path);
        if (meta.rank() > 1 || (meta.rank() == 1 && meta.shape().get(0) != length) || !NumericValues.numeric(meta.dtype())) {
            throw new Disagreement("coordinate variable '" + path + "' is not a numeric 1-D or scalar variable along '"
                    + dim + "'");
        }
        double[] values;
        try {
            values = ArrayValues.read(set, path, meta, chunkValues, length);
        } catch (IllegalArgumentException e) {
            throw new Disagreement("coordinate variable " + e.getMessage());
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new Disagreement("coordinate variable '" + path + "' has no value at index " + i);
            }
        }
        return values;
    }

    private static void requireIncreasing(String dim, double[] values) throws Disagreement {
        for (int i = 1; i < values.length; i++) {
            if (!(values[i] > values[i - 1])) {
                throw new Disagreement("coordinate '" + dim + "' does not increase: " + values[i - 1] + " then "
                        + values[i] + " at index " + i);
            }
        }
    }
}
