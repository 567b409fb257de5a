package io.refcat.search.cql2;

import io.refcat.search.BadParameter;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A recursive-descent parser of the CQL2 text encoding this server implements: {@code AND},
 * {@code OR}, {@code NOT}, parentheses, comparisons ({@code = <> < <= > >=}), {@code [NOT] LIKE},
 * {@code [NOT] BETWEEN … AND …}, {@code [NOT] IN (…)}, {@code IS [NOT] NULL}, {@code TRUE}/{@code FALSE},
 * {@code S_INTERSECTS(geometry, BBOX(…) | POINT(…) | LINESTRING(…) | POLYGON(…) | MULTIPOLYGON(…))}
 * and {@code T_INTERSECTS(datetime, TIMESTAMP(…) | DATE(…) | INTERVAL(…, …))}.
 */
public final class Cql2Text {
    private final List<String> tokens;
    private int at;

    private Cql2Text(List<String> tokens) {
        this.tokens = tokens;
    }

    public static Cql2 parse(String text) {
        Cql2Text p = new Cql2Text(tokenize(text));
        Cql2 e = p.or();
        if (p.at < p.tokens.size()) {
            throw new Cql2.BadFilter("unexpected '" + p.tokens.get(p.at) + "'");
        }
        return e;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new Cql2.BadFilter("a string is not closed");
                    }
                    if (s.charAt(i) == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            b.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(s.charAt(i++));
                }
                out.add(b.toString());
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new Cql2.BadFilter("a quoted name is not closed");
                }
                out.add("\u0000" + s.substring(i + 1, end));
                i = end + 1;
            } else if ("(),".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if ("<>=".indexOf(c) >= 0) {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("<>")) {
                    out.add(two);
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "(),'<>=\"".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : "";
    }

    private boolean keyword(String k) {
        if (peek().equalsIgnoreCase(k)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String t) {
        if (!peek().equalsIgnoreCase(t)) {
            throw new Cql2.BadFilter("expected '" + t + "' but found '" + (peek().isEmpty() ? "the end" : peek()) + "'");
        }
        at++;
    }

    private Cql2 or() {
        List<Cql2> args = new ArrayList<>(List.of(and()));
        while (keyword("OR")) {
            args.add(and());
        }
        return args.size() == 1 ? args.get(0) : new Cql2.Or(args);
    }

    private Cql2 and() {
        List<Cql2> args = new ArrayList<>(List.of(not()));
        while (keyword("AND")) {
            args.add(not());
        }
        return args.size() == 1 ? args.get(0) : new Cql2.And(args);
    }

    private Cql2 not() {
        if (keyword("NOT")) {
            return new Cql2.Not(nested(this::not));
        }
        return primary();
    }

    /** Depth of NOT and parentheses being parsed, bounded so that no filter can exhaust the stack. */
    private int depth;

    private Cql2 nested(java.util.function.Supplier<Cql2> inner) {
        if (++depth > Cql2.MAX_DEPTH) {
            throw Cql2.tooDeep();
        }
        try {
            return inner.get();
        } finally {
            depth--;
        }
    }

    private Cql2 primary() {
        if (keyword("(")) {
            Cql2 e = nested(this::or);
            expect(")");
            return e;
        }
        if (keyword("TRUE")) {
            return new Cql2.Literal(true);
        }
        if (keyword("FALSE")) {
            return new Cql2.Literal(false);
        }
        String word = peek().toUpperCase(Locale.ROOT);
        if (word.equals("S_INTERSECTS")) {
            at++;
            expect("(");
            property();
            expect(",");
            Cql2.SIntersects intersects = geometry();
            expect(")");
            return intersects;
        }
        if (word.equals("T_INTERSECTS")) {
            at++;
            expect("(");
            property();
            expect(",");
            Long[] interval = temporal();
            expect(")");
            return new Cql2.TIntersects(interval[0], interval[1]);
        }
        String property = property();
        boolean negated = keyword("NOT");
        Cql2 predicate;
        if (keyword("LIKE")) {
            predicate = new Cql2.Like(property, string());
        } else if (keyword("BETWEEN")) {
            Object low = value();
            expect("AND");
            predicate = new Cql2.Between(property, low, value());
        } else if (keyword("IN")) {
            expect("(");
            List<Object> values = new ArrayList<>(List.of(value()));
            while (keyword(",")) {
                values.add(value());
            }
            expect(")");
            predicate = new Cql2.In(property, values);
        } else if (!negated && keyword("IS")) {
            boolean isNot = keyword("NOT");
            expect("NULL");
            Cql2 isNull = new Cql2.IsNull(property);
            return isNot ? new Cql2.Not(isNull) : isNull;
        } else if (!negated && List.of("=", "<>", "<", "<=", ">", ">=").contains(peek())) {
            String op = tokens.get(at++);
            return new Cql2.Compare(op, property, value());
        } else {
            throw new Cql2.BadFilter("expected an operator after '" + property + "' but found '" + peek() + "'");
        }
        return negated ? new Cql2.Not(predicate) : predicate;
    }

    private String property() {
        String t = peek();
        if (t.isEmpty() || t.startsWith("'") || "(),".contains(t)) {
            throw new Cql2.BadFilter("expected a property name but found '" + t + "'");
        }
        at++;
        return t.startsWith("\u0000") ? t.substring(1) : t;
    }

    private String string() {
        String t = peek();
        if (!t.startsWith("'")) {
            throw new Cql2.BadFilter("expected a 'string' but found '" + t + "'");
        }
        at++;
        return t.substring(1);
    }

    private Object value() {
        String t = peek();
        if (t.startsWith("'")) {
            return string();
        }
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.equals("TIMESTAMP") || upper.equals("DATE")) {
            at++;
            expect("(");
            long v = instant(string(), upper.equals("DATE"));
            expect(")");
            return new Cql2.Instant(v);
        }
        if (upper.equals("TRUE") || upper.equals("FALSE")) {
            at++;
            return Boolean.valueOf(upper.equals("TRUE"));
        }
        try {
            Double d = Double.valueOf(t);
            at++;
            return d;
        } catch (NumberFormatException e) {
            throw new Cql2.BadFilter("expected a value but found '" + t + "'");
        }
    }

    static long instant(String text, boolean date) {
        try {
            return date ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond()
                    : OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new Cql2.BadFilter("'" + text + "' is not a " + (date ? "date" : "timestamp"));
        }
    }

    private Long[] temporal() {
        String upper = peek().toUpperCase(Locale.ROOT);
        if (upper.equals("INTERVAL")) {
            at++;
            expect("(");
            Long start = bound(string());
            expect(",");
            Long end = bound(string());
            expect(")");
            return new Long[] {start, end};
        }
        Object v = value();
        if (!(v instanceof Cql2.Instant i)) {
            throw new Cql2.BadFilter("T_INTERSECTS needs TIMESTAMP, DATE or INTERVAL");
        }
        return new Long[] {i.epochSeconds(), i.epochSeconds()};
    }

    private static Long bound(String s) {
        if (s.equals("..")) {
            return null;
        }
        return instant(s, s.length() == 10);
    }

    private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    /** A WKT geometry (as GeoJSON, then Lucene geometries) or a BBOX. */
    private Cql2.SIntersects geometry() {
        String kind = peek().toUpperCase(Locale.ROOT);
        java.util.Map<String, String> types = java.util.Map.of("POINT", "Point", "MULTIPOINT", "MultiPoint",
                "LINESTRING", "LineString", "MULTILINESTRING", "MultiLineString", "POLYGON", "Polygon",
                "MULTIPOLYGON", "MultiPolygon");
        if (!kind.equals("BBOX") && !types.containsKey(kind)) {
            throw new Cql2.BadFilter("expected a geometry (BBOX, POINT, LINESTRING, POLYGON, …) but found '" + peek() + "'");
        }
        at++;
        if (kind.equals("BBOX")) {
            expect("(");
            List<Double> v = new ArrayList<>();
            v.add(number());
            while (keyword(",")) {
                v.add(number());
            }
            expect(")");
            if (v.size() != 4 && v.size() != 6) {
                throw new Cql2.BadFilter("BBOX needs 4 or 6 numbers");
            }
            int h = v.size() / 2;
            return new Cql2.SIntersects(new double[] {v.get(0), v.get(1), v.get(h), v.get(h + 1)}, null);
        }
        com.fasterxml.jackson.databind.node.ArrayNode coordinates = list();
        com.fasterxml.jackson.databind.node.ObjectNode geojson = NODES.objectNode().put("type", types.get(kind));
        geojson.set("coordinates", kind.equals("POINT") ? coordinates.get(0) : coordinates);
        try {
            return new Cql2.SIntersects(null, Geometries.lucene(geojson, "filter"));
        } catch (BadParameter e) {
            throw new Cql2.BadFilter(e.getMessage().replaceFirst("^filter: ", ""));
        }
    }

    /** {@code ( item, item, … )} where an item is a nested list or a position {@code x y}. */
    private com.fasterxml.jackson.databind.node.ArrayNode list() {
        expect("(");
        com.fasterxml.jackson.databind.node.ArrayNode out = NODES.arrayNode();
        do {
            if (peek().equals("(")) {
                out.add(list());
            } else {
                out.add(NODES.arrayNode().add(number()).add(number()));
            }
        } while (keyword(","));
        expect(")");
        return out;
    }

    private double number() {
        try {
            return Double.parseDouble(tokens.get(at++));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new Cql2.BadFilter("expected a number");
        }
    }
}
