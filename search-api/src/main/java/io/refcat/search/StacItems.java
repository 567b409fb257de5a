package io.refcat.search;

import io.refcat.indexer.cf.DatasetMetadata;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the STAC Item (1.0.0, datacube extension 2.2.0) of an indexed dataset.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Item ids are dataset paths within their collection with {@code /} written as {@code ~}, so
 *       an id is one URL path segment; {@code refcat:dataset} keeps the dataset id the store serves
 *       it under ({@code collection/path}).</li>
 *   <li>Asset hrefs are stored relative to the server ({@code /zarr/…}) and made absolute when
 *       served ({@link StacJson#absolute}).</li>
 *   <li>Zarr assets follow STAC best practices ({@code application/vnd.zarr; version=2|3}, role
 *       {@code data}); the kerchunk references have role {@code references}; each asset carries
 *       {@code xarray:open_kwargs} as the Planetary Computer does. The xarray-assets extension is not
 *       listed in {@code stac_extensions}: its schema is not among the offline copies tests validate
 *       against, and the field is valid without it.</li>
 *   <li>A dataset without a CF time coordinate has {@code datetime} set to when it was catalogued
 *       (STAC requires a datetime) and {@code refcat:time_from} {@code "catalogued"}; the catalogue
 *       does not index that time, so datetime searches do not find it.</li>
 *   <li>A bbox crossing the antimeridian (west &gt; east) has a MultiPolygon geometry of two boxes.</li>
 * </ul>
 */
public final class StacItems {
    public static final String STAC_VERSION = "1.0.0";
    public static final String DATACUBE = "https://stac-extensions.github.io/datacube/v2.2.0/schema.json";

    private StacItems() {
    }

    public static String itemId(String datasetId) {
        return datasetId.replace('/', '~');
    }

    /**
     * What the catalogue knows of a dataset besides its CF metadata.
     *
     * @param members the files of a combined dataset (URL → size in bytes), empty for one file
     */
    public record Source(String collection, String datasetId, String format, String sourceUrl, Instant catalogued,
                         Map<String, Long> members) {
        public Source {
            members = Map.copyOf(members);
        }

        public Source(String collection, String datasetId, String format, String sourceUrl, Instant catalogued) {
            this(collection, datasetId, format, sourceUrl, catalogued, Map.of());
        }
    }

    public static Map<String, Object> item(Source s, DatasetMetadata m) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "Feature");
        item.put("stac_version", STAC_VERSION);
        item.put("stac_extensions", List.of(DATACUBE));
        item.put("id", itemId(s.datasetId().startsWith(s.collection() + "/")
                ? s.datasetId().substring(s.collection().length() + 1) : s.datasetId()));
        item.put("collection", s.collection());
        item.put("geometry", geometry(m.bbox()));
        if (m.bbox() != null) {
            item.put("bbox", List.of(m.bbox()[0], m.bbox()[1], m.bbox()[2], m.bbox()[3]));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("title", m.attributes().getOrDefault("title", s.datasetId()));
        if (m.attributes().containsKey("summary")) {
            p.put("description", m.attributes().get("summary"));
        }
        String catalogued = s.catalogued().truncatedTo(ChronoUnit.SECONDS).toString();
        if (m.time() == null) {
            p.put("datetime", catalogued);
            p.put("refcat:time_from", "catalogued");
        } else if (m.time().start().equals(m.time().end())) {
            p.put("datetime", m.time().start());
        } else {
            p.put("datetime", null);
            p.put("start_datetime", m.time().start());
            p.put("end_datetime", m.time().end());
        }
        if (m.time() != null) {
            p.put("refcat:calendar", m.time().calendar());
        }
        p.put("created", catalogued);
        m.attributes().forEach((k, v) -> {
            if (!k.equals("title") && !k.equals("summary")) {
                p.put(k.equals("keywords") ? "keywords" : "refcat:" + k, k.equals("keywords") ? keywords(v) : v);
            }
        });
        p.put("refcat:dataset", s.datasetId());
        p.put("refcat:format", s.format());
        if (m.sizeBytes() >= 0) {
            p.put("refcat:size", m.sizeBytes());
        }
        p.put("refcat:chunks", m.chunks());
        if (!s.members().isEmpty()) {
            List<Map<String, Object>> members = new ArrayList<>();
            new java.util.TreeMap<>(s.members()).forEach((url, size) -> members.add(Map.of("href", url, "size", size)));
            p.put("refcat:members", members);
        }
        p.put("cube:dimensions", dimensions(m));
        p.put("cube:variables", variables(m));
        item.put("properties", p);
        item.put("links", new ArrayList<>());
        item.put("assets", assets(s));
        return item;
    }

    private static List<String> keywords(String text) {
        List<String> out = new ArrayList<>();
        for (String k : text.split("[,;]")) {
            if (!k.isBlank()) {
                out.add(k.trim());
            }
        }
        return out;
    }

    static Map<String, Object> geometry(double[] bbox) {
        if (bbox == null) {
            return null;
        }
        Map<String, Object> g = new LinkedHashMap<>();
        if (bbox[0] <= bbox[2]) {
            g.put("type", "Polygon");
            g.put("coordinates", List.of(ring(bbox[0], bbox[1], bbox[2], bbox[3])));
        } else {
            g.put("type", "MultiPolygon");
            g.put("coordinates", List.of(List.of(ring(bbox[0], bbox[1], 180, bbox[3])),
                    List.of(ring(-180, bbox[1], bbox[2], bbox[3]))));
        }
        return g;
    }

    private static List<List<Double>> ring(double w, double s, double e, double n) {
        return List.of(List.of(w, s), List.of(e, s), List.of(e, n), List.of(w, n), List.of(w, s));
    }

    private static Map<String, Object> dimensions(DatasetMetadata m) {
        Map<String, Object> dims = new LinkedHashMap<>();
        for (DatasetMetadata.Dimension d : m.dimensions()) {
            Map<String, Object> o = new LinkedHashMap<>();
            if ("x".equals(d.axis()) || "y".equals(d.axis())) {
                o.put("type", "spatial");
                o.put("axis", d.axis());
                o.put("extent", d.extent());
                o.put("reference_system", 4326);
            } else if ("t".equals(d.axis())) {
                o.put("type", "temporal");
                o.put("extent", d.extent());
            } else {
                o.put("type", "other");
                o.put("extent", List.of(0, Math.max(0, d.size() - 1)));
                o.put("description", "index along '" + d.name() + "' (" + d.size() + " steps)");
            }
            dims.put(d.name(), o);
        }
        return dims;
    }

    private static Map<String, Object> variables(DatasetMetadata m) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (DatasetMetadata.Variable v : m.variables()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dimensions", v.dimensions());
            o.put("type", v.coordinate() ? "auxiliary" : "data");
            if (v.longName() != null) {
                o.put("description", v.longName());
            }
            if (v.units() != null) {
                o.put("unit", v.units());
            }
            o.put("shape", v.shape());
            o.put("refcat:dtype", v.dtype());
            if (v.standardName() != null) {
                o.put("refcat:standard_name", v.standardName());
            }
            vars.put(v.path(), o);
        }
        return vars;
    }

    private static Map<String, Object> assets(Source s) {
        String path = "/" + s.datasetId();
        Map<String, Object> assets = new LinkedHashMap<>();
        assets.put("zarr", asset("/zarr" + path, "application/vnd.zarr; version=2", "Zarr v2 (virtual)", "data",
                Map.of("engine", "zarr", "consolidated", true)));
        assets.put("zarr3", asset("/zarr3" + path, "application/vnd.zarr; version=3", "Zarr v3 (virtual)", "data",
                Map.of("engine", "zarr", "zarr_format", 3)));
        assets.put("references", asset("/refs" + path + ".json", "application/json", "kerchunk references",
                "references", Map.of("engine", "zarr", "consolidated", false,
                        "storage_options", Map.of("fo", "/refs" + path + ".json"))));
        if (s.sourceUrl() != null && s.members().isEmpty()) {
            assets.put("source", asset(s.sourceUrl(), mediaType(s.format()), "original file", "source", null));
        }
        return assets;
    }

    private static Map<String, Object> asset(String href, String type, String title, String role,
                                             Map<String, Object> openKwargs) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("href", href);
        a.put("type", type);
        a.put("title", title);
        a.put("roles", List.of(role));
        if (openKwargs != null) {
            a.put("xarray:open_kwargs", openKwargs);
        }
        return a;
    }

    private static String mediaType(String format) {
        return switch (format == null ? "" : format) {
            case "NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF3_64BIT_DATA" -> "application/netcdf";
            case "HDF5" -> "application/x-hdf5";
            case "GRIB" -> "application/wmo-grib";
            default -> "application/octet-stream";
        };
    }
}
