package io.refcat.indexer.combine;

import io.refcat.indexer.ChunkValues;
import io.refcat.indexer.NumericValues;

import io.refcat.reference.cf.CfTime;
import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Combines many reference sets into one along one or more dimensions, in two streaming passes:
 * a survey keeps a small summary per input ({@link Survey}), then each input is read again and
 * its chunk references are written to their place in a disk-backed {@link ChunkTable}. Memory is
 * bounded by the table's budget plus the summaries, not by the number of references.
 *
 * <p>The concatenation coordinates are decoded, converted to the first file's units where files
 * differ (CF time units), checked (increasing, no overlap; gaps are reported) and written inline.
 * Variables present in some files only are kept (the union); their missing chunks read as fill.
 */
public final class Combiner {
    private final CombineOptions options;
    private final ChunkValues chunkValues;

    public Combiner(CombineOptions options, ChunkValues chunkValues) {
        this.options = options;
        this.chunkValues = chunkValues;
    }

    public CombinedReferences combine(List<CombineInput> inputs) throws IOException {
        Survey survey = new Survey(options, chunkValues);
        for (int i = 0; i < inputs.size(); i++) {
            survey.add(i, inputs.get(i));
        }
        List<InputSummary> files = new ArrayList<>(survey.kept);
        if (files.isEmpty()) {
            throw new CombineException("no input could be combined" + (survey.problems.isEmpty() ? ""
                    : ": " + String.join("; ", survey.problems)));
        }
        Layout layout = Layout.of(options.concatDims(), files, survey);
        Map<String, ArrayPlan> plans = new LinkedHashMap<>();
        TreeMap<String, String> unsupported = new TreeMap<>(survey.unsupported);
        for (ArraySpec spec : survey.arrays.values()) {
            if (survey.isCoordinate(spec.path)) {
                continue;
            }
            try {
                if (spec.unsupported != null) {
                    throw new ArrayPlan.Unplannable(spec.unsupported);
                }
                plans.put(spec.path, ArrayPlan.of(spec, survey, layout, files, options));
            } catch (ArrayPlan.Unplannable e) {
                if (options.strict()) {
                    throw new CombineException("variable '" + spec.path + "' " + e.getMessage());
                }
                unsupported.put(spec.path, e.getMessage());
            }
        }
        long slots = 0;
        for (ArrayPlan p : plans.values()) {
            p.base = slots;
            slots += LargeReferenceSet.chunkCount(p.target.chunkGrid());
        }
        ChunkTable table = new ChunkTable(options.tempDir(), options.memoryBudget());
        try {
            Emitter emitter = new Emitter(table, plans);
            files.sort(Comparator.comparingInt(f -> f.index));
            for (InputSummary f : files) {
                emitter.emit(f, inputs.get(f.index).loader().load());
            }
            Map<String, Reference> metadata = new TreeMap<>();
            Map<String, ZarrArrayMetadata> arrays = new TreeMap<>();
            Map<String, Long> bases = new HashMap<>();
            for (ArrayPlan p : plans.values()) {
                if (emitter.failed.containsKey(p.spec.path)) {
                    unsupported.put(p.spec.path, emitter.failed.get(p.spec.path));
                    continue;
                }
                arrays.put(p.spec.path, p.target);
                bases.put(p.spec.path, p.base);
                putArrayMetadata(metadata, p.spec.path, p.target, p.spec.attrs, p.dims);
            }
            long next = slots;
            for (int d = 0; d < options.concatDims().size(); d++) {
                String dim = options.concatDims().get(d);
                List<String> paths = survey.axes[d].coordinatePaths == null ? List.of(dim) : survey.axes[d].coordinatePaths;
                for (String path : paths) {
                    ZarrArrayMetadata meta = coordinate(d, path, survey, layout, table, next, metadata);
                    arrays.put(path, meta);
                    bases.put(path, next);
                    next++;
                }
            }
            survey.groups.forEach((path, attrs) -> {
                String prefix = path.isEmpty() ? "" : path + "/";
                metadata.put(prefix + ".zgroup", inline("{\"zarr_format\":2}"));
                metadata.put(prefix + ".zattrs", new Reference.Inline(io.refcat.reference.zarr.ZarrJson.writeV2(attrs)));
            });
            TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
            for (String url : emitter.urls) {
                sources.put(url, survey.sources.getOrDefault(url, new ReferenceSet.SourceInfo(-1)));
            }
            return new CombinedReferences(table, metadata, arrays, bases, emitter.urls, sources, unsupported,
                    new CombinedReferences.Report(files.size(), List.copyOf(survey.problems), layout.gaps));
        } catch (IOException | RuntimeException e) {
            table.close();
            throw e;
        }
    }

    private static Reference inline(String text) {
        return new Reference.Inline(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void putArrayMetadata(Map<String, Reference> metadata, String path, ZarrArrayMetadata meta,
                                         Map<String, Object> attrs, List<String> dims) {
        Map<String, Object> z = new LinkedHashMap<>(attrs);
        z.put(VirtualArray.ARRAY_DIMENSIONS, new ArrayList<>(dims));
        metadata.put(path + "/.zarray", new Reference.Inline(meta.toJsonBytes()));
        metadata.put(path + "/.zattrs", new Reference.Inline(io.refcat.reference.zarr.ZarrJson.writeV2(z)));
    }

    /** Writes the concatenation coordinate inline, one chunk, little-endian, in the first file's units. */
    private ZarrArrayMetadata coordinate(int d, String path, Survey survey, Layout layout, ChunkTable table, long slot,
                                         Map<String, Reference> metadata) throws IOException {
        String dim = options.concatDims().get(d);
        double[] values = layout.axis[d];
        Map<String, Object> attrs = new LinkedHashMap<>();
        DType dtype;
        Object fill = null;
        ZarrArrayMetadata source = survey.axes[d].meta;
        if (survey.axes[d].attrs != null) {
            survey.axes[d].attrs.forEach((k, v) -> {
                if (!k.equals(VirtualArray.ARRAY_DIMENSIONS)) {
                    attrs.put(k, v);
                }
            });
        }
        if (source != null) {
            DType t = source.dtype();
            dtype = t.kind() == 'f' || allWhole(values) ? new DType(t.itemSize() == 1 ? '|' : '<', t.kind(), t.itemSize())
                    : new DType('<', 'f', 8);
            fill = dtype.kind() == t.kind() ? source.fillValue() : null;
        } else if (Boolean.TRUE.equals(survey.axes[d].dateLabels)) {
            String units = LabelValues.dateUnits(values);
            double unit = CfTime.parse(units, null).orElseThrow().unitSeconds();
            values = java.util.Arrays.stream(values).map(v -> v / unit).toArray();
            attrs.put("standard_name", "time");
            attrs.put("units", units);
            attrs.put("calendar", "proleptic_gregorian");
            dtype = new DType('<', 'i', 8);
        } else {
            dtype = allWhole(values) ? new DType('<', 'i', 8) : new DType('<', 'f', 8);
        }
        ZarrArrayMetadata meta = ZarrArrayMetadata.uncompressed(List.of((long) values.length),
                List.of(Math.max(1, values.length)), dtype, fill);
        putArrayMetadata(metadata, path, meta, attrs, List.of(dim));
        table.putInline(slot, NumericValues.write(values, dtype));
        return meta;
    }

    private static boolean allWhole(double[] values) {
        for (double v : values) {
            if (v != Math.rint(v)) {
                return false;
            }
        }
        return true;
    }

    /** The second pass: each input's chunk references written to their output slots. */
    private static final class Emitter {
        private final ChunkTable table;
        private final Map<String, ArrayPlan> plans;
        private final Map<String, Integer> urlIds = new HashMap<>();
        final List<String> urls = new ArrayList<>();
        final Map<String, String> failed = new TreeMap<>();
        private final java.util.Set<String> emittedFirst = new java.util.HashSet<>();

        Emitter(ChunkTable table, Map<String, ArrayPlan> plans) {
            this.table = table;
            this.plans = plans;
        }

        void emit(InputSummary f, ReferenceSet set) throws IOException {
            for (ArrayPlan p : plans.values()) {
                if (!f.has(p.spec.id) || failed.containsKey(p.spec.path)
                        || (p.kind == ArrayPlan.Kind.FIRST && !emittedFirst.add(p.spec.path))) {
                    continue;
                }
                Pattern separator = Pattern.compile(Pattern.quote(p.spec.meta.dimensionSeparator()));
                long[] grid = p.target.chunkGrid();
                String prefix = p.spec.path + "/";
                for (Map.Entry<String, Reference> e : set.refs().subMap(prefix, prefix + "\uffff").entrySet()) {
                    String key = e.getKey().substring(prefix.length());
                    if (key.startsWith(".z")) {
                        continue;
                    }
                    try {
                        place(p, f, indices(key, separator, p.spec.meta.rank()), e.getValue(), grid);
                    } catch (IllegalArgumentException bad) {
                        failed.put(p.spec.path, "chunk " + key + " of " + f.name + ": " + bad.getMessage());
                        break;
                    }
                }
            }
        }

        private static long[] indices(String key, Pattern separator, int rank) {
            if (rank == 0) {
                return new long[0];
            }
            String[] parts = separator.split(key);
            if (parts.length != rank) {
                throw new IllegalArgumentException("not a chunk key of a rank-" + rank + " array");
            }
            long[] index = new long[rank];
            for (int i = 0; i < rank; i++) {
                index[i] = Long.parseLong(parts[i]);
            }
            return index;
        }

        private void place(ArrayPlan p, InputSummary f, long[] s, Reference ref, long[] grid) throws IOException {
            long[] t = new long[grid.length];
            for (int a = 0; a < grid.length; a++) {
                int d = p.concatOf[a];
                int src = p.sourceAxis[a];
                if (src < 0) {
                    t[a] = f.start[d];
                } else if (d < 0 || a == p.splitAxis) {
                    t[a] = s[src];
                } else {
                    t[a] = f.start[d] / p.target.chunks().get(a) + s[src];
                }
            }
            if (p.splitAxis < 0) {
                put(p, t, grid, ref);
                return;
            }
            int a = p.splitAxis;
            int d = p.concatOf[a];
            int sourceChunk = f.chunkAlong(p.spec.id, d);
            long first = s[p.sourceAxis[a]] * sourceChunk;
            long slab = p.slabBytes();
            for (long j = 0; j < sourceChunk && first + j < f.length[d]; j++) {
                t[a] = f.start[d] + first + j;
                put(p, t, grid, slice(ref, j * slab, slab));
            }
        }

        private static Reference slice(Reference ref, long from, long length) {
            if (ref instanceof Reference.Range r) {
                if (from + length > r.length()) {
                    throw new IllegalArgumentException("holds " + r.length() + " bytes, too few for step " + (from / length));
                }
                return new Reference.Range(r.url(), r.offset() + from, length);
            }
            if (ref instanceof Reference.Inline i) {
                byte[] data = i.data();
                if (from + length > data.length) {
                    throw new IllegalArgumentException("holds " + data.length + " bytes, too few for step " + (from / length));
                }
                return new Reference.Inline(java.util.Arrays.copyOfRange(data, (int) from, (int) (from + length)));
            }
            throw new IllegalArgumentException("a whole-file reference cannot be cut into steps");
        }

        private void put(ArrayPlan p, long[] t, long[] grid, Reference ref) throws IOException {
            for (int a = 0; a < grid.length; a++) {
                if (t[a] < 0 || t[a] >= grid[a]) {
                    throw new IllegalArgumentException("lands outside the combined chunk grid");
                }
            }
            long slot = p.base + LargeReferenceSet.ravel(t, grid);
            if (ref instanceof Reference.Inline inline) {
                table.putInline(slot, inline.data());
            } else if (ref instanceof Reference.Range r) {
                table.put(slot, urlId(r.url()), r.offset(), r.length());
            } else {
                table.put(slot, urlId(((Reference.WholeFile) ref).url()), 0, -1);
            }
        }

        private int urlId(String url) {
            return urlIds.computeIfAbsent(url, u -> {
                urls.add(u);
                return urls.size();
            });
        }
    }
}
