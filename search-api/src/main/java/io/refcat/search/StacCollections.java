package io.refcat.search;


import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * STAC Collections, one per archive ({@code --collection}), whose extents follow their items:
 * the union of the items' boxes and of their time intervals. Also what the catalogue reads from
 * an item to index it (time interval, free text).
 */
public final class StacCollections {
    private StacCollections() {
    }

    public static Map<String, Object> empty(String id) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "Collection");
        c.put("stac_version", StacItems.STAC_VERSION);
        c.put("stac_extensions", List.of());
        c.put("id", id);
        c.put("title", id);
        c.put("description", "Datasets indexed by refcat into the collection '" + id + "'.");
        c.put("license", "other");
        Map<String, Object> extent = new LinkedHashMap<>();
        List<Object> unknownInterval = new ArrayList<>();
        unknownInterval.add(null);
        unknownInterval.add(null);
        extent.put("spatial", new LinkedHashMap<>(Map.of("bbox", List.of(List.of(-180.0, -90.0, 180.0, 90.0)))));
        extent.put("temporal", new LinkedHashMap<>(Map.of("interval", List.of(unknownInterval))));
        c.put("extent", extent);
        c.put("links", new ArrayList<>());
        c.put("refcat:items", 0);
        return c;
    }

    /** Grows the collection's extent by an item's box and interval. */
    @SuppressWarnings("unchecked")
    public static void extend(Map<String, Object> c, Map<String, Object> item) {
        int count = ((Number) c.getOrDefault("refcat:items", 0)).intValue();
        Map<String, Object> extent = (Map<String, Object>) c.get("extent");
        Map<String, Object> spatial = (Map<String, Object>) extent.get("spatial");
        List<Object> bbox = (List<Object>) item.get("bbox");
        boolean hadBox = Boolean.TRUE.equals(c.get("refcat:has_bbox"));
        if (bbox != null) {
            List<Double> b = bbox.stream().map(o -> ((Number) o).doubleValue()).toList();
            List<Object> current = (List<Object>) ((List<Object>) spatial.get("bbox")).get(0);
            List<Double> now = current.stream().map(o -> ((Number) o).doubleValue()).toList();
            List<Double> merged = !hadBox ? b : b.get(0) > b.get(2) || now.get(0) > now.get(2)
                    ? List.of(-180.0, Math.min(now.get(1), b.get(1)), 180.0, Math.max(now.get(3), b.get(3)))
                    : List.of(Math.min(now.get(0), b.get(0)), Math.min(now.get(1), b.get(1)),
                    Math.max(now.get(2), b.get(2)), Math.max(now.get(3), b.get(3)));
            spatial.put("bbox", List.of(merged));
            c.put("refcat:has_bbox", true);
        }
        long[] t = interval(item);
        if (t != null) {
            Map<String, Object> temporal = (Map<String, Object>) extent.get("temporal");
            List<Object> current = (List<Object>) ((List<Object>) temporal.get("interval")).get(0);
            long start = current.get(0) == null ? t[0] : Math.min(epochSeconds((String) current.get(0)), t[0]);
            long end = current.get(1) == null ? t[1] : Math.max(epochSeconds((String) current.get(1)), t[1]);
            temporal.put("interval", List.of(List.of(Instant.ofEpochSecond(start).toString(),
                    Instant.ofEpochSecond(end).toString())));
        }
        c.put("refcat:items", count + 1);
    }

    /** An item's data time as epoch seconds {@code [start, end]}, or null where it has none. */
    @SuppressWarnings("unchecked")
    public static long[] interval(Map<String, Object> item) {
        Map<String, Object> p = (Map<String, Object>) item.get("properties");
        if ("catalogued".equals(p.get("refcat:time_from"))) {
            return null;
        }
        if (p.get("datetime") != null) {
            long t = epochSeconds((String) p.get("datetime"));
            return new long[] {t, t};
        }
        return new long[] {epochSeconds((String) p.get("start_datetime")),
                epochSeconds((String) p.get("end_datetime"))};
    }

    /** What free text searches: title, description, keywords, id, variable names, standard and long names. */
    @SuppressWarnings("unchecked")
    public static String text(Map<String, Object> item) {
        Map<String, Object> p = (Map<String, Object>) item.get("properties");
        StringBuilder t = new StringBuilder();
        t.append(item.get("id")).append(' ').append(p.getOrDefault("title", "")).append(' ')
                .append(p.getOrDefault("description", "")).append(' ');
        Object keywords = p.get("keywords");
        if (keywords instanceof List<?> list) {
            list.forEach(k -> t.append(k).append(' '));
        }
        for (String k : List.of("refcat:institution", "refcat:source")) {
            if (p.get(k) != null) {
                t.append(p.get(k)).append(' ');
            }
        }
        Map<String, Object> vars = (Map<String, Object>) p.getOrDefault("cube:variables", Map.of());
        vars.forEach((name, v) -> {
            Map<String, Object> o = (Map<String, Object>) v;
            t.append(name.replace('_', ' ')).append(' ').append(name).append(' ');
            Object sn = o.get("refcat:standard_name");
            if (sn != null) {
                t.append(sn).append(' ').append(sn.toString().replace('_', ' ')).append(' ');
            }
            if (o.get("description") != null) {
                t.append(o.get("description")).append(' ');
            }
        });
        return t.toString();
    }

    /** An RFC 3339 instant as seconds since 1970, as the catalogue stores times. */
    public static long epochSeconds(String rfc3339) {
        return java.time.Instant.parse(rfc3339).getEpochSecond();
    }
}
