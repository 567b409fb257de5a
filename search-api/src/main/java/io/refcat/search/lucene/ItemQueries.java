package io.refcat.search.lucene;

import static io.refcat.search.lucene.IndexFields.COLLECTION;
import static io.refcat.search.lucene.IndexFields.END;
import static io.refcat.search.lucene.IndexFields.GEO;
import static io.refcat.search.lucene.IndexFields.ID;
import static io.refcat.search.lucene.IndexFields.KIND;
import static io.refcat.search.lucene.IndexFields.START;
import static io.refcat.search.lucene.IndexFields.TEXT;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.ShapeField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** An {@link ItemQuery} as a Lucene query over the item documents ({@link CatalogueDocuments}). */
final class ItemQueries {
    private ItemQueries() {
    }

    static Query of(ItemQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new TermQuery(new Term(KIND, "item")), BooleanClause.Occur.FILTER);
        if (q.ids() != null && !q.ids().isEmpty()) {
            b.add(new TermInSetQuery(ID, q.ids().stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
        }
        if (q.collections() != null && !q.collections().isEmpty()) {
            b.add(new TermInSetQuery(COLLECTION, q.collections().stream().map(BytesRef::new).toList()),
                    BooleanClause.Occur.FILTER);
        }
        if (q.bbox() != null) {
            double[] x = q.bbox();
            b.add(LatLonShape.newBoxQuery(GEO, ShapeField.QueryRelation.INTERSECTS, x[1], x[3], x[0], x[2]),
                    BooleanClause.Occur.FILTER);
        }
        if (q.intersects() != null) {
            b.add(LatLonShape.newGeometryQuery(GEO, ShapeField.QueryRelation.INTERSECTS, q.intersects()),
                    BooleanClause.Occur.FILTER);
        }
        if (q.timed()) {
            long from = q.start() == null ? Long.MIN_VALUE : q.start();
            long to = q.end() == null ? Long.MAX_VALUE : q.end();
            b.add(LongPoint.newRangeQuery(START, Long.MIN_VALUE, to), BooleanClause.Occur.FILTER);
            b.add(LongPoint.newRangeQuery(END, from, Long.MAX_VALUE), BooleanClause.Occur.FILTER);
        }
        if (q.text() != null && !q.text().isBlank()) {
            b.add(text(q.text()), BooleanClause.Occur.MUST);
        }
        if (q.filter() != null) {
            b.add(Cql2Query.of(q.filter()), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /**
     * Free text: every word must match (as in the STAC free-text extension's default, AND of terms;
     * a comma separates alternatives: {@code temperature,salinity} matches either).
     */
    static Query text(String text) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String alternative : text.split(",")) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            int words = 0;
            try (StandardAnalyzer analyzer = new StandardAnalyzer();
                 org.apache.lucene.analysis.TokenStream ts = analyzer.tokenStream(TEXT, alternative)) {
                var term = ts.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    all.add(new TermQuery(new Term(TEXT, term.toString())), BooleanClause.Occur.MUST);
                    words++;
                }
                ts.end();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (words > 0) {
                any.add(all.build(), BooleanClause.Occur.SHOULD);
            }
        }
        return any.build();
    }
}
