package io.refcat.indexer.combine;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a concatenation dimension's coordinate values come from: the files' own coordinate
 * variable (the default), a regular expression over each file's name (its first group), or a
 * global attribute. Values from names and attributes are numbers or dates
 * ({@link LabelValues}).
 */
public sealed interface CoordinateRule {

    record FromVariable() implements CoordinateRule {
    }

    record FileName(Pattern pattern) implements CoordinateRule {
    }

    record Attribute(String name) implements CoordinateRule {
    }

    /** {@code var}, {@code regex:PATTERN} or {@code attr:NAME}. */
    static CoordinateRule parse(String text) {
        if (text.equals("var")) {
            return new FromVariable();
        }
        if (text.startsWith("regex:")) {
            try {
                Pattern p = Pattern.compile(text.substring("regex:".length()));
                if (p.matcher("").groupCount() < 1) {
                    throw new IllegalArgumentException("'" + text + "' needs a group (…) around the value");
                }
                return new FileName(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' is not a regular expression: " + e.getDescription(), e);
            }
        }
        if (text.startsWith("attr:") && text.length() > "attr:".length()) {
            return new Attribute(text.substring("attr:".length()));
        }
        throw new IllegalArgumentException("coordinate source '" + text + "' is not var, regex:PATTERN or attr:NAME");
    }
}
