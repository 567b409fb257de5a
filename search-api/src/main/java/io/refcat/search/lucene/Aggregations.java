package io.refcat.search.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/**
 * The STAC API Aggregation extension's aggregations over the items a search matches: exact
 * frequency distributions of collection, variable (data variables), CF standard name, format and
 * institution, counted from sorted-set doc values in one pass over the matches, plus
 * {@code total_count} and {@code datetime_min}/{@code datetime_max}.
 */
public final class Aggregations {
    static final String COLLECTION = "collection";
    static final String VARIABLE = "variable";
    static final String STANDARD_NAME = "standard_name";
    static final String FORMAT = "format";
    static final String INSTITUTION = "institution";
    static final List<String> FACETS = List.of(COLLECTION, VARIABLE, STANDARD_NAME, FORMAT, INSTITUTION);
    public static final String TOTAL = "total_count";
    public static final String DATETIME_MIN = "datetime_min";
    public static final String DATETIME_MAX = "datetime_max";
    /** Every aggregation this server computes, by name, with its data type. */
    public static final Map<String, String> AVAILABLE = available();

    private Aggregations() {
    }

    private static Map<String, String> available() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TOTAL, "integer");
        out.put(DATETIME_MIN, "datetime");
        out.put(DATETIME_MAX, "datetime");
        FACETS.forEach(f -> out.put(frequency(f), "frequency_distribution"));
        return out;
    }

    static String frequency(String facet) {
        return facet + "_frequency";
    }

    static String field(String facet) {
        return IndexFields.facet(facet);
    }

    /** What one pass over the matches found: counts per facet value, and the data time range. */
    public record Counts(Map<String, Map<String, Long>> frequencies, long total, Long minStart, Long maxEnd) {
    }

    static Counts count(IndexSearcher searcher, Query query) throws IOException {
        return searcher.search(query, new CollectorManager<FacetCollector, Counts>() {
            @Override
            public FacetCollector newCollector() {
                return new FacetCollector();
            }

            @Override
            public Counts reduce(Collection<FacetCollector> collectors) {
                Map<String, Map<String, Long>> frequencies = new LinkedHashMap<>();
                FACETS.forEach(f -> frequencies.put(f, new TreeMap<>()));
                long total = 0;
                Long min = null;
                Long max = null;
                for (FacetCollector c : collectors) {
                    c.finishLeaf();
                    c.counts.forEach((f, m) -> m.forEach((k, n) -> frequencies.get(f).merge(k, n, Long::sum)));
                    total += c.total;
                    // if-statements, not nested ?: — a mixed Long/long conditional unboxes a null
                    if (c.min != null) {
                        min = min == null ? c.min : Long.valueOf(Math.min(min, c.min));
                    }
                    if (c.max != null) {
                        max = max == null ? c.max : Long.valueOf(Math.max(max, c.max));
                    }
                }
                return new Counts(frequencies, total, min, max);
            }
        });
    }

    /** Counts ordinals per leaf (cheap), turned into values when the leaf is done. */
    private static final class FacetCollector extends SimpleCollector {
        final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        long total;
        Long min;
        Long max;
        private final List<SortedSetDocValues> values = new ArrayList<>();
        private final List<long[]> ordCounts = new ArrayList<>();
        private NumericDocValues starts;
        private NumericDocValues ends;

        FacetCollector() {
            FACETS.forEach(f -> counts.put(f, new TreeMap<>()));
        }

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            finishLeaf();
            for (String f : FACETS) {
                SortedSetDocValues v = DocValues.getSortedSet(context.reader(), field(f));
                values.add(v);
                ordCounts.add(new long[(int) Math.min(Integer.MAX_VALUE - 8, v.getValueCount())]);
            }
            starts = DocValues.getNumeric(context.reader(), IndexFields.SORT_START);
            ends = DocValues.getNumeric(context.reader(), IndexFields.SORT_END);
        }

        @Override
        public void collect(int doc) throws IOException {
            total++;
            for (int i = 0; i < values.size(); i++) {
                SortedSetDocValues v = values.get(i);
                if (v.advanceExact(doc)) {
                    for (int k = 0; k < v.docValueCount(); k++) {
                        ordCounts.get(i)[(int) v.nextOrd()]++;
                    }
                }
            }
            // items without a data time carry Long.MIN_VALUE (CatalogueDocuments)
            if (starts.advanceExact(doc) && starts.longValue() != Long.MIN_VALUE) {
                min = min == null ? starts.longValue() : Math.min(min, starts.longValue());
            }
            if (ends.advanceExact(doc) && ends.longValue() != Long.MIN_VALUE) {
                max = max == null ? ends.longValue() : Math.max(max, ends.longValue());
            }
        }

        void finishLeaf() {
            for (int i = 0; i < values.size(); i++) {
                long[] n = ordCounts.get(i);
                Map<String, Long> into = counts.get(FACETS.get(i));
                for (int ord = 0; ord < n.length; ord++) {
                    if (n[ord] > 0) {
                        try {
                            into.merge(values.get(i).lookupOrd(ord).utf8ToString(), n[ord], Long::sum);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            }
            values.clear();
            ordCounts.clear();
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        @Override
        public void setScorer(Scorable scorer) {
            // no scores are used
        }
    }
}
