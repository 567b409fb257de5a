package io.refcat.search.lucene;

import io.refcat.search.StacCollections;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collection search over {@code GET /stac/collections}: {@code bbox}, {@code datetime}, free text
 * {@code q} and {@code limit}, answered from the collections' extents, which the catalogue keeps
 * current. Collections are few (one per archive), so they are filtered in memory.
 */
public final class CollectionSearch {
    private CollectionSearch() {
    }

    public static boolean matches(Map<String, Object> collection, ItemQuery q) {
        return (q.bbox() == null || overlaps(bbox(collection), q.bbox()))
                && (!q.timed() || overlapsInTime(collection, q.start(), q.end()))
                && (q.text() == null || q.text().isBlank() || containsWords(collection, q.text()));
    }

    @SuppressWarnings("unchecked")
    private static double[] bbox(Map<String, Object> c) {
        Map<String, Object> extent = (Map<String, Object>) c.get("extent");
        List<Object> b = (List<Object>) ((List<Object>) ((Map<String, Object>) extent.get("spatial")).get("bbox")).get(0);
        return new double[] {((Number) b.get(0)).doubleValue(), ((Number) b.get(1)).doubleValue(),
                ((Number) b.get(2)).doubleValue(), ((Number) b.get(3)).doubleValue()};
    }

    static boolean overlaps(double[] a, double[] b) {
        if (a[1] > b[3] || a[3] < b[1]) {
            return false;
        }
        for (double[] x : spans(a[0], a[2])) {
            for (double[] y : spans(b[0], b[2])) {
                if (x[0] <= y[1] && y[0] <= x[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<double[]> spans(double w, double e) {
        return w <= e ? List.of(new double[] {w, e}) : List.of(new double[] {w, 180}, new double[] {-180, e});
    }

    @SuppressWarnings("unchecked")
    private static boolean overlapsInTime(Map<String, Object> c, Long start, Long end) {
        Map<String, Object> extent = (Map<String, Object>) c.get("extent");
        List<Object> interval = (List<Object>) ((List<Object>) ((Map<String, Object>) extent.get("temporal"))
                .get("interval")).get(0);
        if (interval.get(0) == null && interval.get(1) == null) {
            return false;
        }
        long from = interval.get(0) == null ? Long.MIN_VALUE : StacCollections.epochSeconds((String) interval.get(0));
        long to = interval.get(1) == null ? Long.MAX_VALUE : StacCollections.epochSeconds((String) interval.get(1));
        return (end == null || from <= end) && (start == null || to >= start);
    }

    private static boolean containsWords(Map<String, Object> c, String text) {
        String haystack = (c.get("id") + " " + c.get("title") + " " + c.get("description") + " "
                + c.getOrDefault("keywords", "")).toLowerCase(Locale.ROOT);
        for (String alternative : text.split(",")) {
            boolean all = true;
            for (String word : alternative.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                all &= haystack.contains(word);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** One page of matching collections from {@code offset}. */
    public static List<Map<String, Object>> page(List<Map<String, Object>> all, ItemQuery q, int offset) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : all) {
            if (matches(c, q)) {
                out.add(c);
            }
        }
        int from = Math.min(offset, out.size());
        return out.subList(from, (int) Math.min((long) from + q.limit(), out.size()));
    }
}
