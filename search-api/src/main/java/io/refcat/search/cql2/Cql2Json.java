package io.refcat.search.cql2;

import io.refcat.search.BadParameter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The CQL2 JSON encoding of the same operators as {@link Cql2Text}. */
public final class Cql2Json {
    private Cql2Json() {
    }

    public static Cql2 parse(JsonNode node) {
        return parse(node, 0);
    }

    private static Cql2 parse(JsonNode node, int depth) {
        if (depth > Cql2.MAX_DEPTH) {
            throw Cql2.tooDeep();
        }
        if (node.isBoolean()) {
            return new Cql2.Literal(node.asBoolean());
        }
        if (!node.isObject() || !node.path("op").isTextual() || !node.path("args").isArray()) {
            throw new Cql2.BadFilter("expected {\"op\", \"args\"} but found " + node);
        }
        String op = node.get("op").asText().toLowerCase(Locale.ROOT);
        JsonNode args = node.get("args");
        switch (op) {
            case "and", "or" -> {
                List<Cql2> parts = new ArrayList<>();
                args.forEach(a -> parts.add(parse(a, depth + 1)));
                if (parts.size() < 2) {
                    throw new Cql2.BadFilter("'" + op + "' needs two or more arguments");
                }
                return op.equals("and") ? new Cql2.And(parts) : new Cql2.Or(parts);
            }
            case "not" -> {
                arity(op, args, 1);
                return new Cql2.Not(parse(args.get(0), depth + 1));
            }
            case "=", "<>", "<", "<=", ">", ">=" -> {
                arity(op, args, 2);
                return new Cql2.Compare(op, property(args.get(0)), value(args.get(1)));
            }
            case "like" -> {
                arity(op, args, 2);
                return new Cql2.Like(property(args.get(0)), args.get(1).asText());
            }
            case "between" -> {
                if (args.size() == 2 && args.get(1).isArray() && args.get(1).size() == 2) {
                    return new Cql2.Between(property(args.get(0)), value(args.get(1).get(0)), value(args.get(1).get(1)));
                }
                arity(op, args, 3);
                return new Cql2.Between(property(args.get(0)), value(args.get(1)), value(args.get(2)));
            }
            case "in" -> {
                arity(op, args, 2);
                if (!args.get(1).isArray()) {
                    throw new Cql2.BadFilter("'in' needs an array of values");
                }
                List<Object> values = new ArrayList<>();
                args.get(1).forEach(v -> values.add(value(v)));
                return new Cql2.In(property(args.get(0)), values);
            }
            case "isnull" -> {
                arity(op, args, 1);
                return new Cql2.IsNull(property(args.get(0)));
            }
            case "s_intersects" -> {
                arity(op, args, 2);
                property(args.get(0));
                JsonNode g = args.get(1);
                if (g.has("bbox")) {
                    JsonNode b = g.get("bbox");
                    int h = b.size() / 2;
                    if (b.size() != 4 && b.size() != 6) {
                        throw new Cql2.BadFilter("bbox needs 4 or 6 numbers");
                    }
                    return new Cql2.SIntersects(new double[] {b.get(0).asDouble(), b.get(1).asDouble(),
                            b.get(h).asDouble(), b.get(h + 1).asDouble()}, null);
                }
                try {
                    return new Cql2.SIntersects(null, Geometries.lucene(g, "filter"));
                } catch (BadParameter e) {
                    throw new Cql2.BadFilter(e.getMessage().replaceFirst("^filter: ", ""));
                }
            }
            case "t_intersects" -> {
                arity(op, args, 2);
                property(args.get(0));
                JsonNode t = args.get(1);
                if (t.has("interval") && t.get("interval").isArray() && t.get("interval").size() == 2) {
                    return new Cql2.TIntersects(bound(t.get("interval").get(0)), bound(t.get("interval").get(1)));
                }
                Object v = value(t);
                if (!(v instanceof Cql2.Instant i)) {
                    throw new Cql2.BadFilter("t_intersects needs a timestamp, date or interval");
                }
                return new Cql2.TIntersects(i.epochSeconds(), i.epochSeconds());
            }
            default -> throw new Cql2.BadFilter("operator '" + op + "' is not supported");
        }
    }

    private static void arity(String op, JsonNode args, int n) {
        if (args.size() != n) {
            throw new Cql2.BadFilter("'" + op + "' needs " + n + " argument(s), got " + args.size());
        }
    }

    private static String property(JsonNode n) {
        if (!n.path("property").isTextual()) {
            throw new Cql2.BadFilter("expected {\"property\": name} but found " + n);
        }
        return n.get("property").asText();
    }

    private static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.has("timestamp")) {
            return new Cql2.Instant(Cql2Text.instant(n.get("timestamp").asText(), false));
        }
        if (n.has("date")) {
            return new Cql2.Instant(Cql2Text.instant(n.get("date").asText(), true));
        }
        throw new Cql2.BadFilter("expected a value but found " + n);
    }

    private static Long bound(JsonNode n) {
        if (n.isTextual() && n.asText().equals("..")) {
            return null;
        }
        Object v = n.isTextual() ? new Cql2.Instant(Cql2Text.instant(n.asText(), n.asText().length() == 10)) : value(n);
        if (!(v instanceof Cql2.Instant i)) {
            throw new Cql2.BadFilter("an interval bound must be a timestamp, a date or '..'");
        }
        return i.epochSeconds();
    }
}
