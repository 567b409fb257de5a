package io.refcat.search.lucene;

import static io.refcat.search.lucene.IndexFields.KIND;
import static io.refcat.search.lucene.IndexFields.SEQ;
import static io.refcat.search.lucene.IndexFields.TOMBSTONE;
import static io.refcat.search.lucene.IndexFields.UID;
import static io.refcat.search.lucene.IndexFields.COLLECTION;
import static io.refcat.search.lucene.IndexFields.BODY;
import static io.refcat.search.lucene.IndexFields.REFS;

import io.refcat.search.StacCollections;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The catalogue: STAC items and collections in an embedded Lucene index under
 * {@code <data>/catalogue}.
 *
 * <p>An item and its kerchunk references are one Lucene document, written with one
 * {@code updateDocument} and made durable by one commit, so they appear together or not at all;
 * Lucene's commit is atomic (a new segments file is fsynced, then renamed), so a process killed
 * mid-ingest leaves the last commit intact and nothing of the batch it was writing. A collection
 * document is rewritten in the same commit as the items that change its extent.
 */
public final class Catalogue implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Path dataDir;
    private IndexWriter writer;
    private SearcherManager searchers;

    /**
     * Searchers without Lucene's query cache: searches rarely repeat (a bbox, a time interval, a
     * word), so the cache kept nothing useful while every search contended for its one lock
     * (measured with JFR under 64 clients: the most contended monitor in the server).
     */
    private static final org.apache.lucene.search.SearcherFactory UNCACHED = new org.apache.lucene.search.SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                                         org.apache.lucene.index.IndexReader previous) {
            IndexSearcher s = new IndexSearcher(reader);
            s.setQueryCache(null);
            return s;
        }
    };

    /** The last change's sequence number, from the last commit (writers only). */
    private long lastSeq;

    private Catalogue(Path dataDir, IndexWriter writer, SearcherManager searchers) {
        this.dataDir = dataDir;
        this.writer = writer;
        this.searchers = searchers;
        this.lastSeq = committedSeq(writer);
    }

    private static long committedSeq(IndexWriter writer) {
        if (writer == null || writer.getLiveCommitData() == null) {
            return 0;
        }
        for (Map.Entry<String, String> e : writer.getLiveCommitData()) {
            if (e.getKey().equals(SEQ)) {
                return Long.parseLong(e.getValue());
            }
        }
        return 0;
    }

    /** Commits, recording the last sequence number and the schema with the commit. */
    private void commit() throws IOException {
        writer.setLiveCommitData(Map.of(SEQ, Long.toString(lastSeq), SCHEMA_KEY, Integer.toString(SCHEMA)).entrySet());
        writer.commit();
    }

    /**
     * The documents' schema, recorded with each commit. 2: items carry {@link IndexFields#BBOX} and
     * {@link IndexFields#INTERVAL} (bbox and datetime searches test those, far cheaper than shapes
     * and two half-open ranges). A catalogue without the mark is schema 1.
     */
    static final int SCHEMA = 2;
    private static final String SCHEMA_KEY = "schema";

    private static int schema(Map<String, String> commitData) {
        String v = commitData == null ? null : commitData.get(SCHEMA_KEY);
        return v == null ? 1 : Integer.parseInt(v);
    }

    /** Whether the items a searcher sees carry the bbox ranges: a reader opened read-only on an older catalogue does not. */
    private boolean ranges(IndexSearcher s) throws IOException {
        return writer != null || schema(((org.apache.lucene.index.DirectoryReader) s.getIndexReader()).getIndexCommit()
                .getUserData()) >= 2;
    }

    /**
     * Brings a catalogue of an older schema to this one when a writer opens it: every item is
     * written again from its stored JSON and references, keeping its sequence number (the change
     * feed does not see it as changed), in one commit. Readers see the old documents until then.
     */
    private void upgrade() throws IOException {
        Map<String, String> data = new java.util.HashMap<>();
        if (writer.getLiveCommitData() != null) {
            writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        if (schema(data) >= SCHEMA) {
            return;
        }
        try (org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
            IndexSearcher s = new IndexSearcher(reader);
            StoredFields stored = s.storedFields();
            org.apache.lucene.search.TopDocs all = s.search(new org.apache.lucene.search.TermQuery(new Term(KIND, "item")),
                    Math.max(1, reader.maxDoc()));
            for (org.apache.lucene.search.ScoreDoc hit : all.scoreDocs) {
                org.apache.lucene.document.Document old = stored.document(hit.doc);
                Map<String, Object> item = parse(old.getBinaryValue(BODY).bytes);
                BytesRef refs = old.getBinaryValue(REFS);
                org.apache.lucene.document.Document doc = CatalogueDocuments.item(new Entry(item,
                        refs == null ? new byte[0] : java.util.Arrays.copyOfRange(refs.bytes, refs.offset, refs.offset + refs.length)));
                CatalogueDocuments.sequence(doc, old.getField(SEQ).numericValue().longValue());
                writer.updateDocument(new Term(UID, CatalogueDocuments.uid((String) item.get("collection"),
                        (String) item.get("id"))), doc);
            }
        }
        commit();
    }

    /** Opens the catalogue to write (one writer process at a time: Lucene's lock file enforces it). */
    public static Catalogue open(Path dataDir) throws IOException {
        IndexWriter writer = writer(dataDir);
        Catalogue c = new Catalogue(dataDir, writer, new SearcherManager(writer, UNCACHED));
        c.upgrade();
        c.searchers.maybeRefreshBlocking();
        return c;
    }

    /**
     * Opens the catalogue to read only, seeing each commit a writer makes (checked at each search),
     * so {@code refcat serve} answers while {@code refcat index} adds to the same catalogue.
     */
    public static Catalogue openReadOnly(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("catalogue");
        if (!Files.isDirectory(dir) || !org.apache.lucene.index.DirectoryReader.indexExists(FSDirectory.open(dir))) {
            writer(dataDir).close();
        }
        return new Catalogue(dataDir, null, new SearcherManager(FSDirectory.open(dir), UNCACHED));
    }

    private static IndexWriter writer(Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("catalogue"));
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        // Only explicit commits count: what a failed or interrupted batch added is never committed.
        config.setCommitOnClose(false);
        IndexWriter writer = new IndexWriter(FSDirectory.open(dir), config);
        if (!org.apache.lucene.index.DirectoryReader.indexExists(writer.getDirectory())) {
            writer.commit(); // an empty catalogue that readers can open at once
        }
        return writer;
    }

    private IndexWriter writer() {
        if (writer == null) {
            throw new IllegalStateException("the catalogue was opened read-only");
        }
        return writer;
    }

    private IndexSearcher acquire() throws IOException {
        if (writer == null) {
            searchers.maybeRefresh();
        }
        return searchers.acquire();
    }

    /** One item with its references, as {@link #put} takes them. */
    public record Entry(Map<String, Object> item, byte[] refs) {
    }

    /**
     * Adds or replaces items (by collection and id) and their collections' extents, in one commit;
     * if any entry fails, none of them is added.
     */
    public synchronized void put(List<Entry> entries) throws IOException {
        try {
            write(entries);
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
    }

    /** Drops everything since the last commit and reopens the writer on that commit. */
    private void rollback() throws IOException {
        searchers.close();
        writer().rollback();
        writer = writer(dataDir);
        searchers = new SearcherManager(writer, UNCACHED);
        lastSeq = committedSeq(writer);
    }

    private void write(List<Entry> entries) throws IOException {
        Map<String, Map<String, Object>> collections = new LinkedHashMap<>();
        for (Entry e : entries) {
            String collection = (String) e.item().get("collection");
            Map<String, Object> c = collections.get(collection);
            if (c == null) {
                c = collection(collection).orElseGet(() -> StacCollections.empty(collection));
                collections.put(collection, c);
            }
            StacCollections.extend(c, e.item());
            String uid = CatalogueDocuments.uid(collection, (String) e.item().get("id"));
            org.apache.lucene.document.Document doc = CatalogueDocuments.item(e);
            CatalogueDocuments.sequence(doc, ++lastSeq);
            writer().updateDocument(new Term(UID, uid), doc);
            writer.deleteDocuments(new Term(UID, TOMBSTONE + uid)); // put again after a delete
        }
        for (Map.Entry<String, Map<String, Object>> c : collections.entrySet()) {
            writer.updateDocument(new Term(UID, "collection:" + c.getKey()), CatalogueDocuments.collection(c.getValue()));
        }
        commit();
        searchers.maybeRefreshBlocking();
    }

    /** Deletes an item; its collection's extent is made anew from the items left. */
    public synchronized boolean delete(String collection, String itemId) throws IOException {
        if (item(collection, itemId).isEmpty()) {
            return false;
        }
        Map<String, Object> c = StacCollections.empty(collection);
        forEachItem(collection, item -> {
            if (!itemId.equals(item.get("id"))) {
                StacCollections.extend(c, item);
            }
        });
        try {
            String uid = CatalogueDocuments.uid(collection, itemId);
            writer().deleteDocuments(new Term(UID, uid));
            writer.updateDocument(new Term(UID, TOMBSTONE + uid), CatalogueDocuments.tombstone(collection, itemId, ++lastSeq));
            writer.updateDocument(new Term(UID, "collection:" + collection), CatalogueDocuments.collection(c));
            commit();
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
        searchers.maybeRefreshBlocking();
        return true;
    }

    public Optional<Map<String, Object>> item(String collection, String itemId) throws IOException {
        return stored(new TermQuery(new Term(UID, CatalogueDocuments.uid(collection, itemId))), BODY).map(Catalogue::parse);
    }

    /** Whether the catalogue holds this item now (no document is read). */
    public boolean contains(String collection, String itemId) throws IOException {
        IndexSearcher s = acquire();
        try {
            return s.count(new TermQuery(new Term(UID, CatalogueDocuments.uid(collection, itemId)))) > 0;
        } finally {
            searchers.release(s);
        }
    }

    /** How many items the catalogue holds (no document is read). */
    public long itemCount() throws IOException {
        IndexSearcher s = acquire();
        try {
            return s.count(new TermQuery(new Term(KIND, "item")));
        } finally {
            searchers.release(s);
        }
    }

    /** The dataset id ({@code refcat:dataset}) of every item, sorted by collection and item id. */
    public List<String> datasetIds() throws IOException {
        return datasetIds(0, Integer.MAX_VALUE);
    }

    /**
     * A page of {@link #datasetIds()}: only the page's items are read, so listing a catalogue of
     * millions costs a page at a time.
     */
    public List<String> datasetIds(int offset, int limit) throws IOException {
        List<String> ids = new ArrayList<>();
        IndexSearcher s = acquire();
        try {
            Query items = new TermQuery(new Term(KIND, "item"));
            int end = (int) Math.min(Math.min(Integer.MAX_VALUE, (long) offset + limit), s.count(items));
            if (end <= offset) {
                return ids;
            }
            TopFieldDocs top = s.search(items, end, new Sort(new SortField(UID, SortField.Type.STRING)));
            StoredFields fields = s.storedFields();
            for (int i = offset; i < top.scoreDocs.length; i++) {
                Map<String, Object> item = parse(fields.document(top.scoreDocs[i].doc).getBinaryValue(BODY).bytes);
                ids.add(String.valueOf(((Map<?, ?>) item.get("properties")).get("refcat:dataset")));
            }
        } finally {
            searchers.release(s);
        }
        return ids;
    }

    public Optional<byte[]> refs(String collection, String itemId) throws IOException {
        return stored(new TermQuery(new Term(UID, CatalogueDocuments.uid(collection, itemId))), REFS);
    }

    public Optional<Map<String, Object>> collection(String id) throws IOException {
        return stored(new TermQuery(new Term(UID, "collection:" + id)), BODY).map(Catalogue::parse);
    }

    public List<Map<String, Object>> collections() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        IndexSearcher s = acquire();
        try {
            TopFieldDocs top = s.search(new TermQuery(new Term(KIND, "collection")), Integer.MAX_VALUE,
                    new Sort(new SortField(UID, SortField.Type.STRING)));
            StoredFields fields = s.storedFields();
            for (ScoreDoc d : top.scoreDocs) {
                out.add(parse(fields.document(d.doc).getBinaryValue(BODY).bytes));
            }
        } finally {
            searchers.release(s);
        }
        return out;
    }

    private void forEachItem(String collection, java.util.function.Consumer<Map<String, Object>> action) throws IOException {
        IndexSearcher s = acquire();
        try {
            Query q = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(KIND, "item")), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(COLLECTION, collection)), BooleanClause.Occur.FILTER).build();
            TopFieldDocs top = s.search(q, Math.max(1, s.count(q)), new Sort(new SortField(UID, SortField.Type.STRING)));
            StoredFields fields = s.storedFields();
            for (ScoreDoc d : top.scoreDocs) {
                action.accept(parse(fields.document(d.doc).getBinaryValue(BODY).bytes));
            }
        } finally {
            searchers.release(s);
        }
    }

    private Optional<byte[]> stored(Query q, String field) throws IOException {
        IndexSearcher s = acquire();
        try {
            TopFieldDocs top = s.search(q, 1, Sort.INDEXORDER);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            BytesRef b = s.storedFields().document(top.scoreDocs[0].doc).getBinaryValue(field);
            return Optional.of(java.util.Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length));
        } finally {
            searchers.release(s);
        }
    }

    private static Map<String, Object> parse(byte[] json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page of items, the exact number matching, and the token of the next page (null at the end). */
    /**
     * One change of the catalogue: an item put ({@code item} set) or deleted (a tombstone).
     *
     * @param seq its sequence number (0 for items written before the catalogue kept a feed)
     */
    public record Change(long seq, String op, String collection, String id, Map<String, Object> item) {
    }

    /**
     * The change feed: items put and deleted after {@code after}, oldest first, at most
     * {@code limit} (but all items of sequence 0 at once: they predate the feed and cannot be
     * paged by sequence), in collections matching {@code collections} ({@code *} and {@code ?}
     * wildcards; null: all). With {@code after} 0 it is a snapshot of every item there is (and the
     * deletions since the feed began), from which a subscriber follows the tail.
     */
    public List<Change> changes(long after, String collections, int limit) throws IOException {
        BooleanQuery.Builder kinds = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, "item")), BooleanClause.Occur.SHOULD)
                .add(new TermQuery(new Term(KIND, "tombstone")), BooleanClause.Occur.SHOULD);
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(kinds.build(), BooleanClause.Occur.FILTER);
        if (after > 0) {
            q.add(org.apache.lucene.document.LongPoint.newRangeQuery(SEQ, after + 1, Long.MAX_VALUE), BooleanClause.Occur.FILTER);
        }
        if (collections != null && !collections.equals("*")) {
            q.add(new org.apache.lucene.search.WildcardQuery(new Term(COLLECTION, collections)), BooleanClause.Occur.FILTER);
        }
        SortField bySeq = new SortField(SEQ, SortField.Type.LONG);
        bySeq.setMissingValue(0L);
        IndexSearcher s = acquire();
        try {
            Query query = q.build();
            int unsequenced = after > 0 ? 0 : s.count(new BooleanQuery.Builder().add(query, BooleanClause.Occur.FILTER)
                    .add(new org.apache.lucene.search.FieldExistsQuery(SEQ), BooleanClause.Occur.MUST_NOT).build());
            TopFieldDocs top = s.search(query, Math.max(1, Math.max(limit, unsequenced)), new Sort(bySeq,
                    new SortField(UID, SortField.Type.STRING)));
            List<Change> out = new ArrayList<>();
            StoredFields stored = s.storedFields();
            for (ScoreDoc d : top.scoreDocs) {
                org.apache.lucene.document.Document doc = stored.document(d.doc);
                long seq = doc.getField(SEQ) == null ? 0 : doc.getField(SEQ).numericValue().longValue();
                if ("tombstone".equals(doc.get(KIND))) {
                    out.add(new Change(seq, "delete", doc.get(COLLECTION), doc.get(IndexFields.DELETED_ID), null));
                } else {
                    BytesRef body = doc.getBinaryValue(BODY);
                    Map<String, Object> item = parse(java.util.Arrays.copyOfRange(body.bytes, body.offset, body.offset + body.length));
                    out.add(new Change(seq, "put", (String) item.get("collection"), (String) item.get("id"), item));
                }
            }
            return out;
        } finally {
            searchers.release(s);
        }
    }

    public record Page(List<Map<String, Object>> items, long numberMatched, String next) {
    }

    /**
     * One page of matching items. The sort is the query's keys, then the unique uid, so the next
     * page starts strictly after the last item of this one: the token carries that item's sort
     * values, and pages neither skip nor repeat items, with any sort, for GET and POST alike.
     */
    public Page search(ItemQuery q) throws IOException {
        List<SortField> fields = new ArrayList<>();
        for (ItemQuery.SortKey k : q.sortby()) {
            String field = ItemQuery.SortKey.FIELDS.get(k.field());
            fields.add(k.numeric() ? new SortField(field, SortField.Type.LONG, k.descending())
                    : new SortField(field, SortField.Type.STRING, k.descending()));
        }
        fields.add(new SortField(UID, SortField.Type.STRING));
        Sort sort = new Sort(fields.toArray(new SortField[0]));
        IndexSearcher s = acquire();
        try {
            Query query = ItemQueries.of(q, ranges(s));
            FieldDoc after = q.after() == null ? null
                    // The last document number makes the sort values alone decide, excluding that item.
                    : new FieldDoc(s.getIndexReader().maxDoc() - 1, Float.NaN, decodeToken(q.after(), q.sortby()));
            // One pass finds the page and counts every match (numberMatched is exact): counting
            // separately would run the whole query twice.
            TopFieldDocs top = s.search(query, new TopFieldCollectorManager(sort, q.limit() + 1, after, Integer.MAX_VALUE));
            long matched = top.totalHits.value;
            StoredFields stored = s.storedFields();
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < Math.min(q.limit(), top.scoreDocs.length); i++) {
                items.add(parse(stored.document(top.scoreDocs[i].doc).getBinaryValue(BODY).bytes));
            }
            String next = top.scoreDocs.length > q.limit()
                    ? encodeToken(((FieldDoc) top.scoreDocs[q.limit() - 1]).fields) : null;
            return new Page(items, matched, next);
        } finally {
            searchers.release(s);
        }
    }

    /** The aggregations over every item the query matches (its limit, paging and sort do not apply). */
    public Aggregations.Counts aggregate(ItemQuery q) throws IOException {
        IndexSearcher s = acquire();
        try {
            return Aggregations.count(s, ItemQueries.of(q, ranges(s)));
        } finally {
            searchers.release(s);
        }
    }

    /** A token: the sort values of the last item of a page, as JSON, base64url. */
    static String encodeToken(Object[] values) {
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            out.add(v instanceof BytesRef b ? b.utf8ToString() : v);
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sort values of a token, checked against the query's sort keys. */
    public static Object[] decodeToken(String token, List<ItemQuery.SortKey> sortby) {
        List<Object> values;
        try {
            values = JSON.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<List<Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("token: not a paging token of this server");
        }
        if (values.size() != sortby.size() + 1) {
            throw new IllegalArgumentException("token: made for another sortby");
        }
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            boolean numeric = i < sortby.size() && sortby.get(i).numeric();
            Object v = values.get(i);
            if (numeric ? !(v instanceof Number) : !(v instanceof String)) {
                throw new IllegalArgumentException("token: made for another sortby");
            }
            out[i] = numeric ? (Object) ((Number) v).longValue() : new BytesRef((String) v);
        }
        return out;
    }


    @Override
    public void close() throws IOException {
        searchers.close();
        if (writer != null) {
            writer.close();
        }
    }
}
