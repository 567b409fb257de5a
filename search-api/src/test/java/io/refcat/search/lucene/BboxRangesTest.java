package io.refcat.search.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bbox searches test 2-D ranges (schema 2), far cheaper than the shapes they replace, and find
 * exactly what the shapes find: boxes across the antimeridian, points, boxes at the poles, query
 * boxes across the antimeridian. A catalogue of schema 1 is searched by shapes until a writer
 * opens it, which brings every item to schema 2 keeping its place in the change feed.
 */
class BboxRangesTest {
    @TempDir
    Path data;

    private static Map<String, Object> item(int i, double[] bbox) {
        DatasetMetadata m = new DatasetMetadata(Map.of("title", "item " + i), null, bbox, List.of(), List.of(), 10, 1);
        return StacItems.item(new StacItems.Source("c", "c/i" + i, "HDF5", null, Instant.EPOCH), m);
    }

    private static double[] box(Random r) {
        double w = -180 + r.nextDouble() * 360;
        double s = -90 + r.nextDouble() * 180;
        return switch (r.nextInt(5)) {
            case 0 -> new double[] {w, s, w, s}; // a point
            case 1 -> new double[] {170 + r.nextDouble() * 10, s, -180 + r.nextDouble() * 10, Math.min(90, s + 5)}; // across 180
            case 2 -> new double[] {w, 80 + r.nextDouble() * 5, Math.min(180, w + 40), 90}; // to the pole
            default -> new double[] {w, s, Math.min(180, w + r.nextDouble() * 40), Math.min(90, s + r.nextDouble() * 30)};
        };
    }

    private static List<Catalogue.Entry> entries(int n) {
        Random r = new Random(7);
        List<Catalogue.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new Catalogue.Entry(item(i, box(r)), ("refs " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return entries;
    }

    private static Set<Integer> docs(IndexSearcher s, Query q) throws IOException {
        Set<Integer> out = new TreeSet<>();
        for (ScoreDoc d : s.search(q, Math.max(1, s.getIndexReader().maxDoc())).scoreDocs) {
            out.add(d.doc);
        }
        return out;
    }

    @Test
    void rangesFindWhatShapesFind() throws IOException {
        try (Catalogue c = Catalogue.open(data)) {
            c.put(entries(3000));
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(data.resolve("catalogue")))) {
            IndexSearcher s = new IndexSearcher(reader);
            Random r = new Random(11);
            int nonEmpty = 0;
            for (int i = 0; i < 400; i++) {
                double[] q = box(r);
                ItemQuery query = new ItemQuery(null, null, q, false, null, null, null, 10, null);
                Set<Integer> shapes = docs(s, ItemQueries.of(query, false));
                assertEquals(shapes, docs(s, ItemQueries.of(query, true)), java.util.Arrays.toString(q));
                nonEmpty += shapes.isEmpty() ? 0 : 1;
            }
            assertTrue(nonEmpty > 100, "most query boxes find something: " + nonEmpty);
        }
    }

    /** Datetime searches over (start, end) points find what the separate start and end points find. */
    @Test
    void intervalPointsFindWhatStartAndEndPointsFind() throws IOException {
        Random r = new Random(5);
        List<Catalogue.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long a = 1_000_000_000L + r.nextInt(1_000_000_000);
            long b = r.nextInt(8) == 0 ? a - r.nextInt(100_000_000) : a + r.nextInt(100_000_000); // some reversed
            DatasetMetadata m = new DatasetMetadata(Map.of("title", "t" + i), r.nextInt(10) == 0 ? null
                    : new DatasetMetadata.TimeCoverage(Instant.ofEpochSecond(a).toString(), Instant.ofEpochSecond(b).toString(),
                    "standard", "time"), new double[] {0, 0, 1, 1}, List.of(), List.of(), 10, 1);
            entries.add(new Catalogue.Entry(StacItems.item(new StacItems.Source("c", "c/t" + i, "HDF5", null, Instant.EPOCH), m),
                    new byte[0]));
        }
        try (Catalogue c = Catalogue.open(data)) {
            c.put(entries);
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(data.resolve("catalogue")))) {
            IndexSearcher s = new IndexSearcher(reader);
            for (int i = 0; i < 300; i++) {
                long from = 1_000_000_000L + r.nextInt(1_100_000_000);
                long to = from + r.nextInt(200_000_000);
                ItemQuery q = new ItemQuery(null, null, null, true, r.nextInt(6) == 0 ? null : from,
                        r.nextInt(6) == 0 ? null : to, null, 10, null);
                assertEquals(docs(s, ItemQueries.of(q, false)), docs(s, ItemQueries.of(q, true)), from + "/" + to);
            }
        }
    }

    @Test
    void aSchema1CatalogueIsSearchedByShapesThenUpgradedByTheNextWriter() throws IOException {
        List<Catalogue.Entry> entries = entries(300);
        // a catalogue as refcat wrote it before schema 2: no bbox ranges, no schema mark
        try (IndexWriter w = new IndexWriter(FSDirectory.open(java.nio.file.Files.createDirectories(data.resolve("catalogue"))),
                new IndexWriterConfig())) {
            long seq = 0;
            for (Catalogue.Entry e : entries) {
                Document doc = CatalogueDocuments.item(e);
                doc.removeFields(IndexFields.BBOX);
                doc.removeFields(IndexFields.INTERVAL);
                CatalogueDocuments.sequence(doc, ++seq);
                w.updateDocument(new Term(IndexFields.UID, CatalogueDocuments.uid("c", (String) e.item().get("id"))), doc);
            }
            w.setLiveCommitData(Map.of(IndexFields.SEQ, Long.toString(seq)).entrySet());
            w.commit();
        }
        ItemQuery q = new ItemQuery(null, null, new double[] {170, -90, -170, 90}, false, null, null, null, 1000, null);
        long expected;
        try (Catalogue c = Catalogue.openReadOnly(data)) {
            expected = c.search(q).numberMatched();
            assertTrue(expected > 10, "items across the antimeridian: " + expected);
        }
        try (Catalogue c = Catalogue.open(data)) {
            assertEquals(expected, c.search(q).numberMatched(), "the same items after the upgrade");
            assertEquals(300, c.changes(0, null, 1000).size(), "every item keeps its place in the change feed");
            assertEquals(300, c.changes(0, null, 1000).get(299).seq());
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(data.resolve("catalogue")))) {
            IndexSearcher s = new IndexSearcher(reader);
            assertEquals(expected, docs(s, ItemQueries.of(q, true)).size(), "the items carry their ranges now");
            assertEquals("2", reader.getIndexCommit().getUserData().get("schema"));
        }
    }
}
