package io.refcat.search.lucene;

import io.refcat.search.StacCollections;

import static io.refcat.search.lucene.IndexFields.BODY;
import static io.refcat.search.lucene.IndexFields.COLLECTION;
import static io.refcat.search.lucene.IndexFields.END;
import static io.refcat.search.lucene.IndexFields.GEO;
import static io.refcat.search.lucene.IndexFields.ID;
import static io.refcat.search.lucene.IndexFields.KIND;
import static io.refcat.search.lucene.IndexFields.REFS;
import static io.refcat.search.lucene.IndexFields.SORT_START;
import static io.refcat.search.lucene.IndexFields.START;
import static io.refcat.search.lucene.IndexFields.TEXT;
import static io.refcat.search.lucene.IndexFields.UID;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.DoubleRange;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.geo.Polygon;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene documents of the catalogue: an item (its JSON and references stored, its footprint,
 * time, text and queryables indexed, its sort keys as doc values) and a collection.
 */
final class CatalogueDocuments {
    private CatalogueDocuments() {
    }

    static String uid(String collection, String id) {
        return "item:" + collection + "/" + id;
    }

    static Document item(Catalogue.Entry e) throws IOException {
        Map<String, Object> item = e.item();
        String collection = (String) item.get("collection");
        String id = (String) item.get("id");
        Document doc = new Document();
        doc.add(new StringField(KIND, "item", Field.Store.NO));
        doc.add(new StringField(UID, uid(collection, id), Field.Store.NO));
        doc.add(new SortedDocValuesField(UID, new BytesRef(uid(collection, id))));
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new SortedDocValuesField("sort_id", new BytesRef(id)));
        doc.add(new SortedDocValuesField("sort_collection", new BytesRef(collection)));
        Object title = ((Map<?, ?>) item.get("properties")).get("title");
        doc.add(new SortedDocValuesField("sort_title", new BytesRef(String.valueOf(title).toLowerCase(java.util.Locale.ROOT))));
        doc.add(new StringField(COLLECTION, collection, Field.Store.NO));
        for (Polygon p : polygons(item)) {
            for (Field f : LatLonShape.createIndexableFields(GEO, p)) {
                doc.add(f);
            }
            doc.add(new DoubleRange(IndexFields.BBOX, new double[] {p.minLon, p.minLat}, new double[] {p.maxLon, p.maxLat}));
        }
        long[] time = StacCollections.interval(item);
        if (time != null) {
            doc.add(new LongPoint(START, time[0]));
            doc.add(new LongPoint(END, time[1]));
            doc.add(new LongPoint(IndexFields.INTERVAL, time[0], time[1]));
            doc.add(new NumericDocValuesField(SORT_START, time[0]));
            doc.add(new NumericDocValuesField(IndexFields.SORT_END, time[1]));
        } else {
            doc.add(new NumericDocValuesField(SORT_START, Long.MIN_VALUE));
            doc.add(new NumericDocValuesField(IndexFields.SORT_END, Long.MIN_VALUE));
        }
        doc.add(new TextField(TEXT, StacCollections.text(item), Field.Store.NO));
        queryables(doc, item, time != null);
        doc.add(new StoredField(BODY, Catalogue.JSON.writeValueAsBytes(item)));
        doc.add(new StoredField(REFS, e.refs()));
        return doc;
    }

    /** The fields CQL2 filters ask about ({@link Queryables}), and which of them the item has. */
    @SuppressWarnings("unchecked")
    private static void queryables(Document doc, Map<String, Object> item, boolean timed) {
        Map<String, Object> p = (Map<String, Object>) item.get("properties");
        java.util.Set<String> has = new java.util.TreeSet<>(List.of("id", "collection"));
        // refcat's own properties may be missing: items harvested from other STAC APIs lack them
        if (p.get("title") != null) {
            doc.add(new StringField(IndexFields.TITLE, String.valueOf(p.get("title")), Field.Store.NO));
            has.add("title");
        }
        if (p.get("refcat:format") != null) {
            doc.add(new StringField(IndexFields.FORMAT, String.valueOf(p.get("refcat:format")), Field.Store.NO));
            has.add("refcat:format");
        }
        if (p.get("refcat:chunks") instanceof Number chunks) {
            doc.add(new LongPoint(IndexFields.CHUNKS, chunks.longValue()));
            has.add("refcat:chunks");
        }
        if (p.get("refcat:size") instanceof Number size) {
            doc.add(new LongPoint(IndexFields.SIZE, size.longValue()));
            has.add("refcat:size");
        }
        if (p.get("refcat:institution") != null) {
            doc.add(new StringField(IndexFields.INSTITUTION, String.valueOf(p.get("refcat:institution")), Field.Store.NO));
            has.add("refcat:institution");
        }
        if (item.get("bbox") != null) {
            has.add("geometry");
        }
        if (timed) {
            has.addAll(List.of("datetime", "start_datetime", "end_datetime"));
        }
        if (p.get("keywords") instanceof List<?> keywords && !keywords.isEmpty()) {
            keywords.forEach(k -> doc.add(new StringField(IndexFields.KEYWORDS, k.toString(), Field.Store.NO)));
            has.add("keywords");
        }
        Map<String, Object> vars = (Map<String, Object>) p.getOrDefault("cube:variables", Map.of());
        for (Map.Entry<String, Object> v : vars.entrySet()) {
            doc.add(new StringField(IndexFields.VARIABLE, v.getKey(), Field.Store.NO));
            has.add("variable");
            Object sn = ((Map<String, Object>) v.getValue()).get("refcat:standard_name");
            if (sn != null) {
                doc.add(new StringField(IndexFields.STANDARD_NAME, sn.toString(), Field.Store.NO));
                has.add("standard_name");
            }
        }
        has.forEach(h -> doc.add(new StringField(IndexFields.HAS, h, Field.Store.NO)));
        facets(doc, item, p, vars);
    }

    /** The values {@code /stac/aggregate} counts, as sorted-set doc values ({@link Aggregations}). */
    @SuppressWarnings("unchecked")
    private static void facets(Document doc, Map<String, Object> item, Map<String, Object> p, Map<String, Object> vars) {
        java.util.Map<String, java.util.Set<String>> values = new java.util.LinkedHashMap<>();
        values.put(Aggregations.COLLECTION, java.util.Set.of(String.valueOf(item.get("collection"))));
        if (p.get("refcat:format") != null) {
            values.put(Aggregations.FORMAT, java.util.Set.of(String.valueOf(p.get("refcat:format"))));
        }
        if (p.get("refcat:institution") != null) {
            values.put(Aggregations.INSTITUTION, java.util.Set.of(String.valueOf(p.get("refcat:institution"))));
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.Set<String> standard = new java.util.TreeSet<>();
        for (Map.Entry<String, Object> v : vars.entrySet()) {
            Map<String, Object> meta = (Map<String, Object>) v.getValue();
            if ("data".equals(meta.get("type"))) {
                names.add(v.getKey());
                if (meta.get("refcat:standard_name") != null) {
                    standard.add(meta.get("refcat:standard_name").toString());
                }
            }
        }
        values.put(Aggregations.VARIABLE, names);
        values.put(Aggregations.STANDARD_NAME, standard);
        values.forEach((facet, set) -> set.forEach(v ->
                doc.add(new org.apache.lucene.document.SortedSetDocValuesField(Aggregations.field(facet), new BytesRef(v)))));
    }

    /** An item's place in the change feed. */
    static void sequence(Document doc, long seq) {
        doc.add(new LongPoint(IndexFields.SEQ, seq));
        doc.add(new org.apache.lucene.document.NumericDocValuesField(IndexFields.SEQ, seq));
        doc.add(new StoredField(IndexFields.SEQ, seq));
    }

    /** What stays of a deleted item for the change feed: its collection, id and the deletion's number. */
    static Document tombstone(String collection, String id, long seq) {
        Document doc = new Document();
        doc.add(new StringField(KIND, "tombstone", Field.Store.YES));
        doc.add(new StringField(UID, IndexFields.TOMBSTONE + uid(collection, id), Field.Store.NO));
        doc.add(new SortedDocValuesField(UID, new BytesRef(IndexFields.TOMBSTONE + uid(collection, id))));
        doc.add(new StringField(COLLECTION, collection, Field.Store.YES));
        doc.add(new StoredField(IndexFields.DELETED_ID, id));
        sequence(doc, seq);
        return doc;
    }

    static Document collection(Map<String, Object> c) throws IOException {
        Document doc = new Document();
        doc.add(new StringField(KIND, "collection", Field.Store.NO));
        doc.add(new StringField(UID, "collection:" + c.get("id"), Field.Store.NO));
        doc.add(new SortedDocValuesField(UID, new BytesRef("collection:" + c.get("id"))));
        doc.add(new StringField(COLLECTION, (String) c.get("id"), Field.Store.NO));
        doc.add(new StoredField(BODY, Catalogue.JSON.writeValueAsBytes(c)));
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static List<Polygon> polygons(Map<String, Object> item) {
        List<Object> bbox = (List<Object>) item.get("bbox");
        if (bbox == null) {
            return List.of();
        }
        double w = ((Number) bbox.get(0)).doubleValue();
        double s = ((Number) bbox.get(1)).doubleValue();
        double e = ((Number) bbox.get(2)).doubleValue();
        double n = ((Number) bbox.get(3)).doubleValue();
        if (w <= e) {
            return List.of(box(w, s, e, n));
        }
        return List.of(box(w, s, 180, n), box(-180, s, e, n));
    }

    /** A box as a Lucene polygon; degenerate boxes (a point or a line) get a hair of width. */
    static Polygon box(double w, double s, double e, double n) {
        double eps = 1e-7;
        if (e - w < eps) {
            w = Math.max(-180, w - eps);
            e = Math.min(180, e + eps);
        }
        if (n - s < eps) {
            s = Math.max(-90, s - eps);
            n = Math.min(90, n + eps);
        }
        return new Polygon(new double[] {s, s, n, n, s}, new double[] {w, e, e, w, w});
    }
}
