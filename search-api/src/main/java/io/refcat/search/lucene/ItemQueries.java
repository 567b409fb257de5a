package io.refcat.search.lucene;

import static io.refcat.search.lucene.IndexFields.BBOX;
import static io.refcat.search.lucene.IndexFields.COLLECTION;
import static io.refcat.search.lucene.IndexFields.END;
import static io.refcat.search.lucene.IndexFields.GEO;
import static io.refcat.search.lucene.IndexFields.ID;
import static io.refcat.search.lucene.IndexFields.INTERVAL;
import static io.refcat.search.lucene.IndexFields.KIND;
import static io.refcat.search.lucene.IndexFields.SORT_END;
import static io.refcat.search.lucene.IndexFields.SORT_START;
import static io.refcat.search.lucene.IndexFields.START;
import static io.refcat.search.lucene.IndexFields.TEXT;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.DoubleRange;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.ShapeField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** An {@link ItemQuery} as a Lucene query over the item documents ({@link CatalogueDocuments}). */
final class ItemQueries {
    private ItemQueries() {
    }

    /**
     * @param ranges whether the catalogue's items carry {@link IndexFields#BBOX} and
     *               {@link IndexFields#INTERVAL} (schema 2): searches test those, else the shapes and
     *               the separate start and end points
     */
    static Query of(ItemQuery q, boolean ranges) {
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
            b.add(ranges ? boxRanges(x) : LatLonShape.newBoxQuery(GEO, ShapeField.QueryRelation.INTERSECTS, x[1], x[3],
                    x[0], x[2]), BooleanClause.Occur.FILTER);
        }
        if (q.intersects() != null) {
            b.add(LatLonShape.newGeometryQuery(GEO, ShapeField.QueryRelation.INTERSECTS, q.intersects()),
                    BooleanClause.Occur.FILTER);
        }
        if (q.timed()) {
            long from = q.start() == null ? Long.MIN_VALUE : q.start();
            long to = q.end() == null ? Long.MAX_VALUE : q.end();
            // Points find the matches when time leads the search; the doc values check a few
            // candidates when another clause (a word, a box) is more selective, without walking the
            // whole point tree. Items without time carry Long.MIN_VALUE doc values and no points,
            // so the doc-value ranges start above it to match exactly what the points match.
            BooleanQuery.Builder values = new BooleanQuery.Builder();
            values.add(NumericDocValuesField.newSlowRangeQuery(SORT_START, Long.MIN_VALUE + 1, to), BooleanClause.Occur.FILTER);
            values.add(NumericDocValuesField.newSlowRangeQuery(SORT_END, Math.max(from, Long.MIN_VALUE + 1), Long.MAX_VALUE),
                    BooleanClause.Occur.FILTER);
            if (ranges) {
                // start ≤ to and end ≥ from as one box over (start, end) points: one walk of one
                // tree, not two half-open ranges that each match most of the catalogue
                b.add(new IndexOrDocValuesQuery(LongPoint.newRangeQuery(INTERVAL, new long[] {Long.MIN_VALUE, from},
                        new long[] {to, Long.MAX_VALUE}), values.build()), BooleanClause.Occur.FILTER);
            } else {
                b.add(LongPoint.newRangeQuery(START, Long.MIN_VALUE, to), BooleanClause.Occur.FILTER);
                b.add(LongPoint.newRangeQuery(END, from, Long.MAX_VALUE), BooleanClause.Occur.FILTER);
            }
        }
        if (q.text() != null && !q.text().isBlank()) {
            b.add(text(q.text()), BooleanClause.Occur.FILTER); // results are sorted by fields, never by score
        }
        if (q.filter() != null) {
            b.add(Cql2Query.of(q.filter()), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /** Footprints whose box meets {@code [w, s, e, n]}, which crosses the antimeridian where w > e. */
    private static Query boxRanges(double[] x) {
        if (x[0] <= x[2]) {
            return DoubleRange.newIntersectsQuery(BBOX, new double[] {x[0], x[1]}, new double[] {x[2], x[3]});
        }
        BooleanQuery.Builder either = new BooleanQuery.Builder();
        either.add(DoubleRange.newIntersectsQuery(BBOX, new double[] {x[0], x[1]}, new double[] {180, x[3]}),
                BooleanClause.Occur.SHOULD);
        either.add(DoubleRange.newIntersectsQuery(BBOX, new double[] {-180, x[1]}, new double[] {x[2], x[3]}),
                BooleanClause.Occur.SHOULD);
        return new ConstantScoreQuery(either.build());
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
