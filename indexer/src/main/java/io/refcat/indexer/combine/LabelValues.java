package io.refcat.indexer.combine;

import io.refcat.reference.cf.CfTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a label taken from a file name or an attribute into a coordinate value: a number as it
 * is, a date ({@code 2001-02-03}, {@code 20010203}, {@code 2001020312}, {@code 2001-02},
 * {@code 200102}, {@code 2001-02-03T12:00[:00]}) as seconds since 1970-01-01 in the proleptic
 * Gregorian calendar. {@link #dateUnits} then picks the coarsest unit that keeps the values whole.
 */
final class LabelValues {
    private static final Pattern DATE = Pattern.compile(
            "(\\d{4})-?(\\d{2})(?:-?(\\d{2}))?(?:[T ]?(\\d{2})(?::?(\\d{2})(?::?(\\d{2}))?)?)?Z?");
    private static final long EPOCH_DAY = CfTime.Calendar.PROLEPTIC_GREGORIAN.dayNumber(1970, 1, 1);

    private LabelValues() {
    }

    record Label(double value, boolean date) {
    }

    static Optional<Label> parse(String text) {
        String t = text.trim();
        Matcher m = DATE.matcher(t);
        if (m.matches() && (t.length() != 8 || m.group(3) != null) && validDate(m)) {
            long day = CfTime.Calendar.PROLEPTIC_GREGORIAN.dayNumber(Long.parseLong(m.group(1)),
                    Integer.parseInt(m.group(2)), m.group(3) == null ? 1 : Integer.parseInt(m.group(3))) - EPOCH_DAY;
            double seconds = day * 86400.0 + field(m, 4) * 3600.0 + field(m, 5) * 60.0 + field(m, 6);
            return Optional.of(new Label(seconds, true));
        }
        try {
            return Optional.of(new Label(Double.parseDouble(t), false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean validDate(Matcher m) {
        int month = Integer.parseInt(m.group(2));
        int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        return month >= 1 && month <= 12 && day >= 1 && day <= 31 && field(m, 4) < 24 && field(m, 5) < 60
                && field(m, 6) < 61;
    }

    private static int field(Matcher m, int group) {
        return m.group(group) == null ? 0 : Integer.parseInt(m.group(group));
    }

    /** CF units for date values given in seconds since 1970: days, hours, minutes or seconds. */
    static String dateUnits(double[] seconds) {
        for (String unit : new String[] {"days", "hours", "minutes"}) {
            double size = switch (unit) {
                case "days" -> 86400;
                case "hours" -> 3600;
                default -> 60;
            };
            boolean whole = true;
            for (double s : seconds) {
                whole &= s % size == 0;
            }
            if (whole) {
                return unit + " since 1970-01-01 00:00:00";
            }
        }
        return "seconds since 1970-01-01 00:00:00";
    }
}
