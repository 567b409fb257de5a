package io.refcat.search.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.indexer.cf.DatasetMetadata;
import io.refcat.search.StacItems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Add, replace and delete keep items, references and collection extents together, across restarts. */
class CatalogueTest {
    @TempDir
    Path data;

    private static Map<String, Object> item(String id, double west, String start, String end) {
        DatasetMetadata m = new DatasetMetadata(Map.of("title", id), new DatasetMetadata.TimeCoverage(start, end,
                "standard", "time"), new double[] {west, 0, west + 1, 1}, List.of(), List.of(), 10, 1);
        return StacItems.item(new StacItems.Source("c", "c/" + id, "HDF5", null, Instant.EPOCH), m);
    }

    private static byte[] refs(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> bbox(Map<String, Object> collection) {
        Map<String, Object> extent = (Map<String, Object>) collection.get("extent");
        return (List<Object>) ((List<Object>) ((Map<String, Object>) extent.get("spatial")).get("bbox")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> interval(Map<String, Object> collection) {
        Map<String, Object> extent = (Map<String, Object>) collection.get("extent");
        return (List<Object>) ((List<Object>) ((Map<String, Object>) extent.get("temporal")).get("interval")).get(0);
    }

    @Test
    void addReplaceDeleteAndRestart() throws IOException {
        try (Catalogue c = Catalogue.open(data)) {
            c.put(List.of(new Catalogue.Entry(item("a", 10, "2000-01-01T00:00:00Z", "2000-12-31T00:00:00Z"), refs("A")),
                    new Catalogue.Entry(item("b", 50, "2010-01-01T00:00:00Z", "2010-01-02T00:00:00Z"), refs("B"))));
            assertEquals(List.of(10.0, 0.0, 51.0, 1.0), bbox(c.collection("c").orElseThrow()));
            c.put(List.of(new Catalogue.Entry(item("a", 10, "2000-01-01T00:00:00Z", "2000-12-31T00:00:00Z"), refs("A2"))));
            assertArrayEquals(refs("A2"), c.refs("c", "a").orElseThrow(), "replaced with its references");
            assertTrue(c.delete("c", "b"));
            assertFalse(c.delete("c", "b"));
        }
        try (Catalogue c = Catalogue.open(data)) {
            assertTrue(c.item("c", "b").isEmpty());
            assertArrayEquals(refs("A2"), c.refs("c", "a").orElseThrow());
            Map<String, Object> collection = c.collection("c").orElseThrow();
            assertEquals(List.of(10.0, 0.0, 11.0, 1.0), bbox(collection), "the extent shrinks with the deletion");
            assertEquals(List.of("2000-01-01T00:00:00Z", "2000-12-31T00:00:00Z"), interval(collection));
            assertEquals(1, c.search(new ItemQuery(null, null, null, false, null, null, null, 10, null)).numberMatched());
        }
    }

    /** The change feed: puts and deletes in order, resumable by sequence number, across restarts and readers. */
    @Test
    void theChangeFeedListsPutsAndDeletesInOrder() throws IOException {
        try (Catalogue c = Catalogue.open(data)) {
            c.put(List.of(new Catalogue.Entry(item("a", 0, "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z"), refs("{}")),
                    new Catalogue.Entry(item("b", 5, "2001-01-01T00:00:00Z", "2001-01-02T00:00:00Z"), refs("{}"))));
            c.delete("c", "a");
        }
        try (Catalogue c = Catalogue.open(data)) { // the sequence goes on after a restart
            c.put(List.of(new Catalogue.Entry(item("a", 1, "2002-01-01T00:00:00Z", "2002-01-02T00:00:00Z"), refs("{}"))));
        }
        try (Catalogue reader = Catalogue.openReadOnly(data)) {
            List<Catalogue.Change> all = reader.changes(0, null, 100);
            assertEquals(List.of("b put 2", "a put 4"), all.stream().map(ch -> ch.id() + " " + ch.op() + " " + ch.seq()).toList(),
                    "the tombstone of a was removed when a came back");
            List<Catalogue.Change> tail = reader.changes(2, "c", 100);
            assertEquals(List.of("a put 4"), tail.stream().map(ch -> ch.id() + " " + ch.op() + " " + ch.seq()).toList());
            assertEquals(List.of(), reader.changes(0, "other*", 100));
        }
        try (Catalogue c = Catalogue.open(data)) {
            c.delete("c", "b");
        }
        try (Catalogue reader = Catalogue.openReadOnly(data)) {
            List<Catalogue.Change> tail = reader.changes(4, null, 1);
            assertEquals(1, tail.size());
            assertEquals("delete", tail.get(0).op());
            assertEquals("b", tail.get(0).id());
            assertEquals(5, tail.get(0).seq());
        }
    }

    /** Items with no time: the aggregation has no time range (null), and counts them all the same. */
    @Test
    void aggregatingItemsWithoutTimes() throws IOException {
        DatasetMetadata untimed = new DatasetMetadata(Map.of("title", "t"), null, new double[] {0, 0, 1, 1}, List.of(),
                List.of(), 10, 1);
        try (Catalogue c = Catalogue.open(data)) {
            c.put(List.of(new Catalogue.Entry(StacItems.item(new StacItems.Source("c", "c/u", "HDF5", null, Instant.EPOCH),
                    untimed), refs("{}"))));
            Aggregations.Counts counts = c.aggregate(new ItemQuery(null, null, null, false, null, null, null, 10, null));
            assertEquals(1, counts.total());
            assertEquals(null, counts.minStart());
            assertEquals(null, counts.maxEnd());
        }
    }

    @Test
    void aBatchWithABadEntryAddsNothing() throws IOException {
        try (Catalogue c = Catalogue.open(data)) {
            Map<String, Object> broken = new java.util.LinkedHashMap<>(item("x", 0, "2000-01-01T00:00:00Z",
                    "2000-01-01T00:00:00Z"));
            broken.put("properties", Map.of("title", "no datetime at all", "refcat:chunks", 1));
            List<Catalogue.Entry> batch = new ArrayList<>(List.of(
                    new Catalogue.Entry(item("ok", 0, "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z"), refs("ok")),
                    new Catalogue.Entry(broken, refs("x"))));
            assertThrows(RuntimeException.class, () -> c.put(batch));
            assertTrue(c.item("c", "ok").isEmpty(), "the good entry of the failed batch is not there either");
            c.put(List.of(batch.get(0)));
            assertTrue(c.item("c", "ok").isPresent(), "the catalogue works after the rollback");
        }
    }
}
