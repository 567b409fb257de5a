package io.refcat.search.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields extension: which parts of each item a response carries. {@code include} keeps only
 * the listed paths (dotted, e.g. {@code properties.title}) plus {@code type}, {@code id} and
 * {@code links}, which every feature needs; {@code exclude} then removes paths. Empty lists: the
 * whole item.
 */
record FieldSelection(List<String> include, List<String> exclude) {
    FieldSelection {
        include = include.stream().filter(f -> !f.isEmpty()).toList();
        exclude = exclude.stream().filter(f -> !f.isEmpty()).toList();
        for (String f : include) {
            checked(f);
        }
        for (String f : exclude) {
            checked(f);
        }
    }

    /** A field is a dotted path of names ({@code properties.title}); anything else is a bad parameter. */
    private static void checked(String field) {
        if (field == null || !field.matches("[^.\\s]+(\\.[^.\\s]+)*")) {
            throw new io.refcat.search.BadParameter("fields", "'" + field + "' is not a field name (a dotted path such as "
                    + "properties.title)");
        }
    }

    Map<String, Object> apply(Map<String, Object> item) {
        Map<String, Object> out;
        if (include.isEmpty()) {
            out = deepCopy(item);
        } else {
            out = new LinkedHashMap<>();
            for (String always : List.of("type", "id", "links")) {
                if (item.containsKey(always)) {
                    out.put(always, item.get(always));
                }
            }
            for (String path : include) {
                copy(item, out, path.split("\\."), 0);
            }
        }
        for (String path : exclude) {
            remove(out, path.split("\\."), 0);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void copy(Map<String, Object> from, Map<String, Object> to, String[] path, int at) {
        Object v = from.get(path[at]);
        if (v == null && !from.containsKey(path[at])) {
            return;
        }
        if (at == path.length - 1) {
            to.put(path[at], v);
        } else if (v instanceof Map<?, ?> m) {
            Object existing = to.get(path[at]);
            Map<String, Object> child = existing instanceof Map<?, ?> e ? (Map<String, Object>) e : new LinkedHashMap<>();
            to.put(path[at], child);
            copy((Map<String, Object>) m, child, path, at + 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> from, String[] path, int at) {
        if (at == path.length - 1) {
            from.remove(path[at]);
        } else if (from.get(path[at]) instanceof Map<?, ?> m) {
            remove((Map<String, Object>) m, path, at + 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> c ? deepCopy((Map<String, Object>) c) : v));
        return out;
    }
}
