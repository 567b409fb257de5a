package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Compares what zarr-java read with the expected values netCDF4-python read, bit for bit. */
final class ZarrJavaValues {
    private ZarrJavaValues() {
    }

    static void assertSame(String where, JsonNode expected, ucar.ma2.Array data) {
        JsonNode values = expected.get("values");
        assertEquals(values.size(), data.getSize(), where + " element count");
        String dtype = expected.get("dtype").asText();
        char kind = dtype.charAt(1);
        int size = Integer.parseInt(dtype.substring(2));
        long mask = size == 8 ? -1L : (1L << (size * 8)) - 1;
        for (int i = 0; i < values.size(); i++) {
            JsonNode e = values.get(i);
            String at = where + "[" + i + "]";
            if (kind == 'f') {
                double got = data.getDouble(i);
                if (e.isTextual()) {
                    double want = switch (e.asText()) {
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        default -> Double.NEGATIVE_INFINITY;
                    };
                    assertTrue(Double.isNaN(want) ? Double.isNaN(got) : want == got, at + ": " + e + " vs " + got);
                } else {
                    assertEquals(e.asDouble(), got, at);
                }
            } else {
                long want = e.bigIntegerValue().longValue() & mask;
                assertEquals(want, data.getLong(i) & mask, at);
            }
        }
    }
}
