package io.refcat.store;

import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CF decoding of stored numbers as xarray applies it: values equal to the fill value (Zarr's
 * {@code fill_value}, {@code _FillValue}) or to a {@code missing_value} become NaN; the others are
 * multiplied by {@code scale_factor} and offset by {@code add_offset}.
 */
record Unpacking(double[] missing, double scale, double offset) {

    static Unpacking of(ZarrArrayMetadata m, Map<String, Object> attrs) {
        List<Double> missing = new ArrayList<>();
        addNumbers(m.fillValue(), missing);
        addNumbers(attrs.get("_FillValue"), missing);
        addNumbers(attrs.get("missing_value"), missing);
        return new Unpacking(missing.stream().mapToDouble(Double::doubleValue).toArray(),
                number(attrs.get("scale_factor"), 1), number(attrs.get("add_offset"), 0));
    }

    double apply(double stored) {
        for (double m : missing) {
            if (stored == m) {
                return Double.NaN;
            }
        }
        return stored * scale + offset;
    }

    /** Whether the attributes pack values ({@code scale_factor} or {@code add_offset}). */
    boolean packs() {
        return scale != 1 || offset != 0;
    }

    private static void addNumbers(Object v, List<Double> out) {
        if (v instanceof Number n) {
            out.add(n.doubleValue());
        } else if (v instanceof List<?> list) {
            list.forEach(x -> addNumbers(x, out));
        }
    }

    private static double number(Object v, double otherwise) {
        if (v instanceof List<?> list && list.size() == 1) {
            v = list.get(0);
        }
        return v instanceof Number n ? n.doubleValue() : otherwise;
    }
}
