package io.refcat.reference;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders the Jinja2 subset that kerchunk reference files use: {@code {{name}}} substitution of
 * templates and {@code gen} variables, integer arithmetic ({@code + - * / // %} and parentheses,
 * as in {@code "{{(i + 1) * 1000}}"}), string literals, and templates called with keyword
 * arguments ({@code {{f(c='text')}}}). Anything else is rejected with the expression named,
 * rather than rendered wrongly.
 */
final class TemplateRenderer {
    private final Map<String, String> templates;

    TemplateRenderer(Map<String, String> templates) {
        this.templates = Map.copyOf(templates);
    }

    String render(String text, Map<String, Object> vars) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (true) {
            int open = text.indexOf("{{", pos);
            if (open < 0) {
                out.append(text, pos, text.length());
                return out.toString();
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new ReferenceFormatException("unclosed '{{' in template text: " + text);
            }
            out.append(text, pos, open);
            out.append(evaluate(text.substring(open + 2, close), vars));
            pos = close + 2;
        }
    }

    Object evaluate(String expression, Map<String, Object> vars) {
        Parser p = new Parser(expression, vars);
        Object v = p.additive();
        p.skipSpace();
        if (p.pos != expression.length()) {
            throw p.error("unexpected '" + expression.substring(p.pos) + "'");
        }
        return v;
    }

    private final class Parser {
        private final String s;
        private final Map<String, Object> vars;
        private int pos;

        Parser(String s, Map<String, Object> vars) {
            this.s = s;
            this.vars = vars;
        }

        ReferenceFormatException error(String what) {
            return new ReferenceFormatException("template expression '{{" + s + "}}': " + what);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean accept(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        Object additive() {
            Object left = multiplicative();
            while (true) {
                if (accept("+")) {
                    Object right = multiplicative();
                    left = left instanceof Long a && right instanceof Long b ? (Object) (a + b) : "" + left + right;
                } else if (accept("-")) {
                    left = integer(left) - integer(multiplicative());
                } else {
                    return left;
                }
            }
        }

        Object multiplicative() {
            Object left = unary();
            while (true) {
                if (accept("*")) {
                    left = integer(left) * integer(unary());
                } else if (accept("//") || accept("/")) {
                    // Python's / gives a float; offsets are whole numbers, so both floor-divide.
                    left = Math.floorDiv(integer(left), integer(unary()));
                } else if (accept("%")) {
                    left = Math.floorMod(integer(left), integer(unary()));
                } else {
                    return left;
                }
            }
        }

        Object unary() {
            if (accept("-")) {
                return -integer(unary());
            }
            return primary();
        }

        Object primary() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("expression ends early");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Object v = additive();
                if (!accept(")")) {
                    throw error("missing ')'");
                }
                return v;
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                if (end < 0) {
                    throw error("unclosed string");
                }
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (Character.isDigit(c)) {
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                return Long.parseLong(s.substring(start, pos));
            }
            if (Character.isLetter(c) || c == '_') {
                String name = identifier();
                if (accept("(")) {
                    return call(name);
                }
                if (vars.containsKey(name)) {
                    return vars.get(name);
                }
                if (templates.containsKey(name)) {
                    return templates.get(name);
                }
                throw error("unknown name '" + name + "'");
            }
            throw error("unexpected '" + c + "'");
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private Object call(String name) {
            String template = templates.get(name);
            if (template == null) {
                throw error("unknown template '" + name + "'");
            }
            Map<String, Object> args = new HashMap<>(vars);
            if (!accept(")")) {
                do {
                    skipSpace();
                    String arg = identifier();
                    if (arg.isEmpty() || !accept("=")) {
                        throw error("template arguments must be name=value");
                    }
                    args.put(arg, additive());
                } while (accept(","));
                if (!accept(")")) {
                    throw error("missing ')' after template arguments");
                }
            }
            return render(template, args);
        }

        private long integer(Object v) {
            if (v instanceof Long l) {
                return l;
            }
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw error("'" + v + "' is not an integer");
            }
        }
    }
}
