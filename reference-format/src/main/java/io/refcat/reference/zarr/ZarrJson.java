package io.refcat.reference.zarr;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.refcat.reference.ReferenceFormatException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON as Zarr metadata needs it. Zarr v2 attributes are written by zarr-python with Python's
 * {@code json}, which emits bare {@code NaN}/{@code Infinity} (common: {@code _FillValue: NaN})
 * and escapes every non-ASCII character; zarr-python 2 decodes metadata as ASCII and fails on
 * anything else. {@link #V2} writes the same way. {@link #V3} writes strict JSON.
 */
public final class ZarrJson {
    public static final ObjectMapper V2 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    public static final ObjectMapper V3 = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ZarrJson() {
    }

    public static Map<String, Object> readObject(byte[] json, String what) {
        try {
            Map<String, Object> map = V2.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
            if (map == null) {
                throw new ReferenceFormatException(what + " is not a JSON object");
            }
            return map;
        } catch (IOException e) {
            throw new ReferenceFormatException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static byte[] writeV2(Object value) {
        try {
            return V2.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new ReferenceFormatException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static byte[] writeV3(Object value) {
        try {
            return V3.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new ReferenceFormatException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
