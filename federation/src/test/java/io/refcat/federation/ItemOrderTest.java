package io.refcat.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merged pages are ordered as each site orders its own: numbers by value, missing values last. */
class ItemOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> sorted(String sortby, String... items) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String i : items) {
            nodes.add(JSON.readTree(i));
        }
        nodes.sort(ItemOrder.of(List.of(sortby)));
        return nodes.stream().map(n -> n.path("id").asText()).toList();
    }

    @Test
    void numbersCompareByValueAndMissingValuesComeLast() throws Exception {
        String[] items = {"{\"id\": \"a\", \"properties\": {\"gsd\": 10}}", "{\"id\": \"b\", \"properties\": {\"gsd\": 9.5}}",
            "{\"id\": \"c\", \"properties\": {}}", "{\"id\": \"d\", \"properties\": {\"gsd\": 100}}"};
        assertEquals(List.of("b", "a", "d", "c"), sorted("+properties.gsd", items));
        assertEquals(List.of("d", "a", "b", "c"), sorted("-properties.gsd", items));
    }

    @Test
    void timesAsTextAndARangeStartStandsForItsDatetime() throws Exception {
        assertEquals(List.of("y", "x", "z"), sorted("-properties.datetime",
                "{\"id\": \"x\", \"properties\": {\"datetime\": \"2001-01-01T00:00:00Z\"}}",
                "{\"id\": \"y\", \"properties\": {\"datetime\": null, \"start_datetime\": \"2002-01-01T00:00:00Z\"}}",
                "{\"id\": \"z\", \"properties\": {\"datetime\": null}}"));
    }
}
