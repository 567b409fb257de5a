package io.refcat.search.lucene;

/**
 * The catalogue's one schema: every field of the Lucene documents, by what it holds. Documents
 * ({@link CatalogueDocuments}), queries ({@link Cql2Query}, {@link ItemQueries}), queryables
 * ({@link Queryables}) and aggregations ({@link Aggregations}) name fields only through here.
 */
final class IndexFields {
    private IndexFields() {
    }

    /** {@code item} or {@code collection}. */
    static final String KIND = "kind";
    /** {@code collection/id}: the unique key a put replaces. */
    static final String UID = "uid";
    static final String ID = "id";
    static final String COLLECTION = "collection";
    /** The footprint, as Lucene shapes: what geometry queries (POST intersects, CQL2 S_INTERSECTS) test. */
    static final String GEO = "geo";
    /**
     * The footprint again as 2-D ranges (longitude, latitude; two where it crosses the antimeridian):
     * what bbox searches test from catalogue schema 2 on, far cheaper than shapes for boxes.
     */
    static final String BBOX = "bbox";
    /**
     * Data time, epoch seconds: interval start and end (points), and both again as doc values, for
     * sorting and for checking candidates (Long.MIN_VALUE where an item has no time).
     */
    static final String START = "start";
    static final String SORT_START = "sort_start";
    static final String END = "end";
    static final String SORT_END = "sort_end";
    /** Start and end again as one 2-D point: what datetime searches test from catalogue schema 2 on. */
    static final String INTERVAL = "interval";
    /** Free text (title, description, keywords, variables, standard names), analysed. */
    static final String TEXT = "text";
    /** The item's JSON and its references, stored. */
    static final String BODY = "json";
    static final String REFS = "refs";
    /** The queryables the item has a value for, for CQL2 {@code IS NULL}. */
    static final String HAS = "has";
    /** Change sequence number of an item or tombstone (points, doc values, stored), for the change feed. */
    static final String SEQ = "seq";
    /** A tombstone's key: the deleted item's uid under this prefix. */
    static final String TOMBSTONE = "tombstone:";
    /** A tombstone's item id, stored. */
    static final String DELETED_ID = "deleted_id";
    /** Exact values of string queryables. */
    static final String TITLE = "kw_title";
    static final String KEYWORDS = "kw_keywords";
    static final String VARIABLE = "kw_variable";
    static final String STANDARD_NAME = "kw_standard_name";
    static final String FORMAT = "kw_format";
    static final String INSTITUTION = "kw_institution";
    /** Numeric queryables, as points. */
    static final String SIZE = "n_size";
    static final String CHUNKS = "n_chunks";

    /** The sorted-set doc values an aggregation counts. */
    static String facet(String facet) {
        return "facet_" + facet;
    }
}
