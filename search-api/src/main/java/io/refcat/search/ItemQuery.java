package io.refcat.search;

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
 */
public record ItemQuery(List<String> ids, List<String> collections, double[] bbox, boolean timed, Long start, Long end,
                        String text, int limit, String after) {
}
