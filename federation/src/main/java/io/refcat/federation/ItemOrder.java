package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a STAC search as every refcat node sorts: the {@code sortby} keys
 * ({@code -properties.datetime,+id}), then collection and id. Missing values sort last.
 */
final class ItemOrder {
    private ItemOrder() {
    }

    static Comparator<JsonNode> of(List<String> sortby) {
        List<Comparator<JsonNode>> keys = new ArrayList<>();
        for (String spec : sortby) {
            for (String part : spec.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                boolean descending = p.startsWith("-");
                String field = p.startsWith("-") || p.startsWith("+") ? p.substring(1) : p;
                Comparator<JsonNode> c = Comparator.comparing(item -> value(item, field),
                        Comparator.nullsLast(descending ? VALUES.reversed() : VALUES));
                keys.add(c);
            }
        }
        keys.add(Comparator.comparing(item -> item.path("collection").asText()));
        keys.add(Comparator.comparing(item -> item.path("id").asText()));
        return keys.stream().reduce(Comparator::thenComparing).orElseThrow();
    }

    /**
     * Values as the catalogue sorts them: numbers by value, everything else as text (right for ids
     * and RFC 3339 times); numbers before text where a field holds both.
     */
    private static final Comparator<JsonNode> VALUES = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isNumber() != b.isNumber()) {
            return a.isNumber() ? -1 : 1;
        }
        return a.asText().compareTo(b.asText());
    };

    /** A field's value, or null where the item has none (a range's start standing for its datetime). */
    private static JsonNode value(JsonNode item, String field) {
        JsonNode n = item;
        for (String step : field.split("\\.")) {
            n = n.path(step);
        }
        if (n.isMissingNode() || n.isNull()) {
            if (field.equals("properties.datetime")) {
                return value(item, "properties.start_datetime");
            }
            return null;
        }
        return n;
    }
}
