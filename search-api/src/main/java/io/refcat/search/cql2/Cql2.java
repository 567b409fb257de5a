package io.refcat.search.cql2;


import java.util.List;

/**
 * A CQL2 filter, parsed from text ({@link Cql2Text}) or JSON ({@link Cql2Json}), before it becomes a
 * Lucene query ({@code lucene.Cql2Query}). Values are strings, numbers (Double), booleans, or instants
 * (epoch seconds, {@link Instant}).
 */
public sealed interface Cql2 {

    record And(List<Cql2> args) implements Cql2 {
    }

    record Or(List<Cql2> args) implements Cql2 {
    }

    record Not(Cql2 arg) implements Cql2 {
    }

    /** {@code op} is one of {@code = <> < <= > >=}. */
    record Compare(String op, String property, Object value) implements Cql2 {
    }

    record Like(String property, String pattern) implements Cql2 {
    }

    record Between(String property, Object low, Object high) implements Cql2 {
    }

    record In(String property, List<Object> values) implements Cql2 {
    }

    record IsNull(String property) implements Cql2 {
    }

    record Literal(boolean value) implements Cql2 {
    }

    /** {@code S_INTERSECTS(geometry, …)}: a box {@code [w, s, e, n]} or geometries (the other is null). */
    record SIntersects(double[] bbox, org.apache.lucene.geo.LatLonGeometry[] shapes) implements Cql2 {
    }

    /** {@code T_INTERSECTS(datetime, …)}: an instant or interval in epoch seconds (null: open). */
    record TIntersects(Long start, Long end) implements Cql2 {
    }

    /** A timestamp or date literal. */
    record Instant(long epochSeconds) {
    }

    /** A filter that cannot be understood; the API answers 400 naming the {@code filter} parameter. */
    /** How deeply expressions may nest (parentheses, NOT, AND/OR in JSON): a parser must not recurse without bound. */
    int MAX_DEPTH = 64;

    /** A filter nested deeper than {@link #MAX_DEPTH}. */
    static BadFilter tooDeep() {
        return new BadFilter("the filter nests deeper than " + MAX_DEPTH + " levels");
    }

    public final class BadFilter extends RuntimeException {
        public BadFilter(String message) {
            super(message);
        }
    }
}
