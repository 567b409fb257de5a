package io.refcat.reference.zarr;

import io.refcat.reference.ReferenceFormatException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A numcodecs codec configuration as it appears in {@code .zarray}: {@code {"id": ..., ...}}. */
public record Codec(String id, Map<String, Object> config) {
    /** A whole GRIB message, decoded by kerchunk's codec of this id (ecCodes). */
    public static final String GRIB = "grib";
    /**
     * A GRIB message that kerchunk's codec would decode other than cfgrib reads it (several fields
     * in one message, alternate-direction rows): refcat's own id, so kerchunk clients refuse it.
     */
    public static final String REFCAT_GRIB = "refcat_grib";

    public Codec {
        if (id == null || id.isBlank()) {
            throw new ReferenceFormatException("codec without an id");
        }
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    public static Codec of(String id) {
        return new Codec(id, Map.of());
    }

    /** The JSON object form, {@code id} first. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.putAll(config);
        return json;
    }

    public static Codec fromJson(Map<String, Object> json) {
        Object id = json.get("id");
        if (!(id instanceof String s)) {
            throw new ReferenceFormatException("codec without a string id: " + json);
        }
        Map<String, Object> config = new LinkedHashMap<>(json);
        config.remove("id");
        return new Codec(s, config);
    }
}
