package io.refcat.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The STAC Aggregation extension over the federation: the same {@code /stac/aggregate} request
 * to every site in parallel within one deadline, combined: counts and bucket frequencies summed,
 * {@code datetime_min}/{@code datetime_max} the earliest and latest. An item two sites both hold
 * (a replica) counts twice. Sites that failed or timed out are named, as in a federated search;
 * a plain STAC API without the extension is one that failed.
 */
public final class FederatedAggregation {
    private final PeerClient client;
    private final Duration deadline;

    public FederatedAggregation(PeerClient client, Duration deadline) {
        this.client = client;
        this.deadline = deadline;
    }

    /** @param aggregateUrls each site's {@code /stac/aggregate} URL, by site URL */
    public Map<String, Object> aggregate(Map<String, String> aggregateUrls, String query) throws IOException {
        Map<String, CompletableFuture<JsonNode>> pending = new LinkedHashMap<>();
        aggregateUrls.forEach((site, url) -> pending.put(site, client.searchAsync(url, query, null, deadline)));
        FanOut<JsonNode> fan = FanOut.await(pending, deadline);
        Map<String, Map<String, Object>> combined = new LinkedHashMap<>();
        fan.answers().values().forEach(answer -> add(combined, answer));
        List<Object> aggregations = new ArrayList<>();
        for (Map<String, Object> a : combined.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Long> buckets = (Map<String, Long>) a.remove("_buckets");
            if (buckets != null) {
                a.put("buckets", io.refcat.search.http.StacAggregation.buckets(buckets));
                a.put("overflow", 0);
            }
            aggregations.add(a);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "AggregationCollection");
        body.put("aggregations", aggregations);
        Map<String, Object> federation = fan.json();
        body.put("federation", federation);
        return body;
    }

    /** Adds one site's aggregations to the combined ones. */
    private static void add(Map<String, Map<String, Object>> combined, JsonNode answer) {
        for (JsonNode a : answer.path("aggregations")) {
            String name = a.path("name").asText();
            Map<String, Object> c = combined.computeIfAbsent(name, n -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", n);
                m.put("data_type", a.path("data_type").asText());
                return m;
            });
            if (a.has("buckets")) {
                @SuppressWarnings("unchecked")
                Map<String, Long> buckets = (Map<String, Long>) c.computeIfAbsent("_buckets", k -> new TreeMap<String, Long>());
                for (JsonNode b : a.path("buckets")) {
                    buckets.merge(b.path("key").asText(), b.path("frequency").asLong(), Long::sum);
                }
            } else if (name.equals("datetime_min") || name.equals("datetime_max")) {
                String v = a.path("value").isNull() ? null : a.path("value").asText(null);
                Object old = c.get("value");
                if (v != null && (old == null || (name.equals("datetime_min") ? v.compareTo((String) old) < 0
                        : v.compareTo((String) old) > 0))) {
                    c.put("value", v); // RFC 3339 UTC instants order as text
                }
                c.putIfAbsent("value", null);
            } else {
                c.put("value", ((Number) c.getOrDefault("value", 0L)).longValue() + a.path("value").asLong());
            }
        }
    }
}
