package io.refcat.search.lucene;

import io.refcat.search.cql2.Cql2;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a CQL2 filter can ask about, each with its type and the index field it is answered from;
 * {@code /stac/queryables} lists them as JSON Schema. {@code properties.} before a name is accepted.
 */
public final class Queryables {
    enum Type { STRING, NUMBER, TIME, GEOMETRY }

    record Queryable(String name, Type type, String field, String description) {
    }

    static final Map<String, Queryable> ALL = new LinkedHashMap<>();

    static {
        add("id", Type.STRING, IndexFields.ID, "item id");
        add("collection", Type.STRING, IndexFields.COLLECTION, "collection id");
        add("geometry", Type.GEOMETRY, IndexFields.GEO, "footprint (the dataset's bounding box)");
        add("datetime", Type.TIME, IndexFields.START, "data time (its start, for an interval)");
        add("start_datetime", Type.TIME, IndexFields.START, "start of the data's time");
        add("end_datetime", Type.TIME, IndexFields.END, "end of the data's time");
        add("title", Type.STRING, IndexFields.TITLE, "title");
        add("keywords", Type.STRING, IndexFields.KEYWORDS, "any keyword");
        add("standard_name", Type.STRING, IndexFields.STANDARD_NAME, "any variable's CF standard name");
        add("variable", Type.STRING, IndexFields.VARIABLE, "any variable's name");
        add("refcat:format", Type.STRING, IndexFields.FORMAT, "source format (NETCDF3_CLASSIC, HDF5, GRIB, ...)");
        add("refcat:institution", Type.STRING, IndexFields.INSTITUTION, "institution that produced the data");
        add("refcat:size", Type.NUMBER, IndexFields.SIZE, "size of the source files in bytes");
        add("refcat:chunks", Type.NUMBER, IndexFields.CHUNKS, "number of chunk references");
    }

    private static void add(String name, Type type, String field, String description) {
        ALL.put(name, new Queryable(name, type, field, description));
    }

    static Queryable of(String property) {
        String name = property.startsWith("properties.") ? property.substring("properties.".length()) : property;
        Queryable q = ALL.get(name);
        if (q == null) {
            throw new Cql2.BadFilter("'" + property + "' is not queryable; see /stac/queryables");
        }
        return q;
    }

    public static Map<String, Object> schema(String base) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Queryable q : ALL.values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("description", q.description());
            switch (q.type()) {
                case STRING -> p.put("type", "string");
                case NUMBER -> p.put("type", "number");
                case TIME -> {
                    p.put("type", "string");
                    p.put("format", "date-time");
                }
                case GEOMETRY -> p.put("$ref", "https://geojson.org/schema/Geometry.json");
            }
            props.put(q.name(), p);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("$schema", "https://json-schema.org/draft/2019-09/schema");
        s.put("$id", base + "/stac/queryables");
        s.put("type", "object");
        s.put("title", "Queryables of the refcat catalogue");
        s.put("properties", props);
        s.put("additionalProperties", false);
        return s;
    }
}
