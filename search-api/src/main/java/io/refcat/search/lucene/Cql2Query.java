package io.refcat.search.lucene;

import io.refcat.search.cql2.Cql2;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.ShapeField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A CQL2 filter as a Lucene query over the item documents. Property and value types must agree
 * (a string property compared with a number is a {@link Cql2.BadFilter}). Decisions: {@code datetime}
 * compares with an item's start (its instant, or the start of its interval); {@code LIKE} is case
 * sensitive ({@code %} any run, {@code _} one character), as CQL2 defines it; {@code S_INTERSECTS}
 * tests the real geometry (points, lines, polygons), not its box; a number compared with
 * an integer property is rounded to the bound that keeps the comparison exact.
 */
public final class Cql2Query {

    private Cql2Query() {
    }

    public static Query of(Cql2 e) {
        if (e instanceof Cql2.And and) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            and.args().forEach(a -> b.add(of(a), BooleanClause.Occur.FILTER));
            return b.build();
        }
        if (e instanceof Cql2.Or or) {
            BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
            or.args().forEach(a -> b.add(of(a), BooleanClause.Occur.SHOULD));
            return b.build();
        }
        if (e instanceof Cql2.Not not) {
            return not(of(not.arg()));
        }
        if (e instanceof Cql2.Literal l) {
            return l.value() ? items() : new MatchNoDocsQuery();
        }
        if (e instanceof Cql2.SIntersects s) {
            if (s.shapes() != null) {
                return LatLonShape.newGeometryQuery(IndexFields.GEO, ShapeField.QueryRelation.INTERSECTS, s.shapes());
            }
            double[] x = s.bbox();
            return LatLonShape.newBoxQuery(IndexFields.GEO, ShapeField.QueryRelation.INTERSECTS, x[1], x[3], x[0], x[2]);
        }
        if (e instanceof Cql2.TIntersects t) {
            return new BooleanQuery.Builder()
                    .add(LongPoint.newRangeQuery(IndexFields.START, Long.MIN_VALUE, t.end() == null ? Long.MAX_VALUE : t.end()),
                            BooleanClause.Occur.FILTER)
                    .add(LongPoint.newRangeQuery(IndexFields.END, t.start() == null ? Long.MIN_VALUE : t.start(), Long.MAX_VALUE),
                            BooleanClause.Occur.FILTER).build();
        }
        if (e instanceof Cql2.IsNull n) {
            return not(new TermQuery(new Term(IndexFields.HAS, Queryables.of(n.property()).name())));
        }
        if (e instanceof Cql2.Like like) {
            Queryables.Queryable q = typed(like.property(), Queryables.Type.STRING, "LIKE");
            String pattern = wildcard(like.pattern());
            long wildcards = pattern.chars().filter(c -> c == '*' || c == '?').count();
            if (wildcards > MAX_WILDCARDS) {
                throw new Cql2.BadFilter("a LIKE pattern may hold at most " + MAX_WILDCARDS + " wildcards (% and _), this one "
                        + wildcards);
            }
            try {
                return new WildcardQuery(new Term(q.field(), pattern));
            } catch (org.apache.lucene.util.automaton.TooComplexToDeterminizeException tooComplex) {
                throw new Cql2.BadFilter("the LIKE pattern is too complex to match (its automaton would exceed Lucene's "
                        + "limit of " + org.apache.lucene.util.automaton.Operations.DEFAULT_DETERMINIZE_WORK_LIMIT + " steps)");
            }
        }
        if (e instanceof Cql2.In in) {
            Queryables.Queryable q = Queryables.of(in.property());
            if (q.type() == Queryables.Type.STRING) {
                List<BytesRef> terms = new ArrayList<>();
                in.values().forEach(v -> terms.add(new BytesRef(string(q, v))));
                return new TermInSetQuery(q.field(), terms);
            }
            long[] values = in.values().stream().mapToLong(v -> exact(q, v)).toArray();
            return LongPoint.newSetQuery(q.field(), values);
        }
        if (e instanceof Cql2.Between b) {
            Queryables.Queryable q = Queryables.of(b.property());
            if (q.type() == Queryables.Type.STRING) {
                return TermRangeQuery.newStringRange(q.field(), string(q, b.low()), string(q, b.high()), true, true);
            }
            return LongPoint.newRangeQuery(q.field(), lower(q, b.low(), true), upper(q, b.high(), true));
        }
        Cql2.Compare c = (Cql2.Compare) e;
        Queryables.Queryable q = Queryables.of(c.property());
        if (q.type() == Queryables.Type.GEOMETRY) {
            throw new Cql2.BadFilter("'geometry' is compared with S_INTERSECTS");
        }
        if (q.type() == Queryables.Type.STRING) {
            String v = string(q, c.value());
            return switch (c.op()) {
                case "=" -> new TermQuery(new Term(q.field(), v));
                case "<>" -> not(new TermQuery(new Term(q.field(), v)));
                case "<" -> TermRangeQuery.newStringRange(q.field(), null, v, false, false);
                case "<=" -> TermRangeQuery.newStringRange(q.field(), null, v, false, true);
                case ">" -> TermRangeQuery.newStringRange(q.field(), v, null, false, false);
                default -> TermRangeQuery.newStringRange(q.field(), v, null, true, false);
            };
        }
        return switch (c.op()) {
            case "=" -> LongPoint.newRangeQuery(q.field(), lower(q, c.value(), true), upper(q, c.value(), true));
            case "<>" -> not(LongPoint.newRangeQuery(q.field(), lower(q, c.value(), true), upper(q, c.value(), true)));
            case "<" -> LongPoint.newRangeQuery(q.field(), Long.MIN_VALUE, upper(q, c.value(), false));
            case "<=" -> LongPoint.newRangeQuery(q.field(), Long.MIN_VALUE, upper(q, c.value(), true));
            case ">" -> LongPoint.newRangeQuery(q.field(), lower(q, c.value(), false), Long.MAX_VALUE);
            default -> LongPoint.newRangeQuery(q.field(), lower(q, c.value(), true), Long.MAX_VALUE);
        };
    }

    private static Query items() {
        return new TermQuery(new Term(IndexFields.KIND, "item"));
    }

    private static Query not(Query q) {
        return new BooleanQuery.Builder().add(items(), BooleanClause.Occur.FILTER).add(q, BooleanClause.Occur.MUST_NOT).build();
    }

    private static Queryables.Queryable typed(String property, Queryables.Type type, String what) {
        Queryables.Queryable q = Queryables.of(property);
        if (q.type() != type) {
            throw new Cql2.BadFilter(what + " applies to text properties; '" + property + "' is not one");
        }
        return q;
    }

    private static String string(Queryables.Queryable q, Object v) {
        if (!(v instanceof String s)) {
            throw new Cql2.BadFilter("'" + q.name() + "' is text; compare it with a 'string', not " + v);
        }
        return s;
    }

    private static double number(Queryables.Queryable q, Object v) {
        if (q.type() == Queryables.Type.TIME) {
            if (!(v instanceof Cql2.Instant i)) {
                throw new Cql2.BadFilter("'" + q.name() + "' is a time; compare it with TIMESTAMP(...) or DATE(...)");
            }
            return i.epochSeconds();
        }
        if (!(v instanceof Double d)) {
            throw new Cql2.BadFilter("'" + q.name() + "' is a number; compare it with a number, not " + v);
        }
        return d;
    }

    private static long exact(Queryables.Queryable q, Object v) {
        double d = number(q, v);
        if (d != Math.rint(d)) {
            throw new Cql2.BadFilter("'" + q.name() + "' holds whole numbers; " + d + " is none");
        }
        return (long) d;
    }

    /** The smallest whole value satisfying {@code x >= v} (inclusive) or {@code x > v}. */
    private static long lower(Queryables.Queryable q, Object v, boolean inclusive) {
        double d = number(q, v);
        long l = (long) Math.ceil(d);
        return inclusive || l != d ? l : Math.addExact(l, 1);
    }

    /** The largest whole value satisfying {@code x <= v} (inclusive) or {@code x < v}. */
    private static long upper(Queryables.Queryable q, Object v, boolean inclusive) {
        double d = number(q, v);
        long l = (long) Math.floor(d);
        return inclusive || l != d ? l : Math.subtractExact(l, 1);
    }

    /** Wildcards a LIKE pattern may hold: each multiplies the automaton a search has to build. */
    static final int MAX_WILDCARDS = 32;

    /** A CQL2 LIKE pattern as a Lucene wildcard: {@code %} → {@code *}, {@code _} → {@code ?}, others literal. */
    static String wildcard(String pattern) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(++i);
                if (next == '*' || next == '?' || next == '\\') {
                    b.append('\\');
                }
                b.append(next);
            } else if (c == '%') {
                b.append('*');
            } else if (c == '_') {
                b.append('?');
            } else {
                if (c == '*' || c == '?') {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }
}
