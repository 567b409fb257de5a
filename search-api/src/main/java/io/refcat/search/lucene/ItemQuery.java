package io.refcat.search.lucene;

import io.refcat.search.cql2.Cql2;

import java.util.List;

/**
 * A search of the catalogue's items; every part is optional (null or empty: no constraint).
 *
 * @param bbox     {@code [west, south, east, north]}, west &gt; east across the antimeridian
 * @param start    interval start, epoch seconds inclusive (null: open)
 * @param end      interval end, epoch seconds inclusive (null: open)
 * @param timed    whether a datetime constraint was given at all (open at both ends still requires a time)
 * @param text     free text over titles, descriptions, keywords, variable and standard names
 * @param after    the paging token of the previous page, or null
 * @param sortby   sort keys, in order; ties (and an empty list) are broken by collection and id
 * @param filter   a CQL2 filter, or null
 * @param intersects a GeoJSON geometry as Lucene geometries, or null
 */
public record ItemQuery(List<String> ids, List<String> collections, double[] bbox, boolean timed, Long start, Long end,
                        String text, int limit, String after, List<SortKey> sortby, Cql2 filter,
                        org.apache.lucene.geo.LatLonGeometry[] intersects) {

    public ItemQuery(List<String> ids, List<String> collections, double[] bbox, boolean timed, Long start, Long end,
                     String text, int limit, String after) {
        this(ids, collections, bbox, timed, start, end, text, limit, after, List.of(), null, null);
    }

    public ItemQuery {
        sortby = sortby == null ? List.of() : List.copyOf(sortby);
    }

    /** One sort key: a sortable field ({@link SortKey#FIELDS}) and its direction. */
    public record SortKey(String field, boolean descending) {
        /** The sortable fields, as STAC names them, each with the index field it sorts by. */
        static final java.util.Map<String, String> FIELDS = java.util.Map.ofEntries(
                java.util.Map.entry("id", "sort_id"),
                java.util.Map.entry("collection", "sort_collection"),
                java.util.Map.entry("properties.datetime", IndexFields.SORT_START),
                java.util.Map.entry("properties.start_datetime", IndexFields.SORT_START),
                java.util.Map.entry("properties.end_datetime", IndexFields.SORT_END),
                java.util.Map.entry("properties.title", "sort_title"));

        public SortKey {
            if (field.startsWith("datetime") || field.startsWith("start_datetime") || field.startsWith("end_datetime")
                    || field.equals("title")) {
                field = "properties." + field;
            }
            if (!FIELDS.containsKey(field)) {
                throw new IllegalArgumentException("cannot sort by '" + field + "'; sortable: " + new java.util.TreeSet<>(FIELDS.keySet()));
            }
        }

        boolean numeric() {
            return field.endsWith("datetime");
        }
    }
}
