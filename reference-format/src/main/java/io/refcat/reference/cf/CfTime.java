package io.refcat.reference.cf;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CF time coordinates: {@code "<unit> since <reference date>"} in one of CF's calendars. Values
 * are converted through seconds since the calendar's own day zero, so a file counting "days since
 * 2000-02-01" and one counting "hours since 2000-01-01" land on one axis.
 *
 * <p>Decision: {@code standard}/{@code gregorian} are treated as proleptic Gregorian; they differ
 * only before 1582-10-15, which no archive refcat has seen reaches (a mixed-calendar axis over that
 * date would need the Julian rule below it). {@code julian} uses the Julian leap rule throughout.
 * Months and years are not accepted as units: CF defines them as fractions of a tropical year,
 * which no one means.
 */
public record CfTime(double unitSeconds, Calendar calendar, double epochSeconds, String units) {

    /** The CF calendars, each a rule for the length of years and months. */
    public enum Calendar {
        PROLEPTIC_GREGORIAN, JULIAN, NOLEAP, ALL_LEAP, DAY360;

        public static Optional<Calendar> parse(String name) {
            if (name == null) {
                return Optional.of(PROLEPTIC_GREGORIAN);
            }
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "standard", "gregorian", "proleptic_gregorian", "" -> Optional.of(PROLEPTIC_GREGORIAN);
                case "julian" -> Optional.of(JULIAN);
                case "noleap", "365_day" -> Optional.of(NOLEAP);
                case "all_leap", "366_day" -> Optional.of(ALL_LEAP);
                case "360_day" -> Optional.of(DAY360);
                default -> Optional.empty();
            };
        }

        boolean leap(long year) {
            return switch (this) {
                case PROLEPTIC_GREGORIAN -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                case JULIAN -> year % 4 == 0;
                case NOLEAP, DAY360 -> false;
                case ALL_LEAP -> true;
            };
        }

        int monthDays(long year, int month) {
            if (this == DAY360) {
                return 30;
            }
            return switch (month) {
                case 2 -> leap(year) ? 29 : 28;
                case 4, 6, 9, 11 -> 30;
                default -> 31;
            };
        }

        /** Days from 0001-01-01 (day 0) to the given date in this calendar. */
        public long dayNumber(long year, int month, int day) {
            long days = 0;
            if (this == DAY360) {
                return (year - 1) * 360 + (month - 1) * 30L + day - 1;
            }
            long y = year - 1;
            days += y * 365;
            if (this == PROLEPTIC_GREGORIAN) {
                days += Math.floorDiv(y, 4) - Math.floorDiv(y, 100) + Math.floorDiv(y, 400);
            } else if (this == JULIAN) {
                days += Math.floorDiv(y, 4);
            } else if (this == ALL_LEAP) {
                days += y;
            }
            for (int m = 1; m < month; m++) {
                days += monthDays(year, m);
            }
            return days + day - 1;
        }

        /** The {@code {year, month, day}} of a day number ({@link #dayNumber}'s inverse). */
        public long[] date(long dayNumber) {
            long year = this == DAY360 ? Math.floorDiv(dayNumber, 360) + 1 : (long) Math.floor(dayNumber / 365.25) + 1;
            while (dayNumber(year, 1, 1) > dayNumber) {
                year--;
            }
            while (dayNumber(year + 1, 1, 1) <= dayNumber) {
                year++;
            }
            long rest = dayNumber - dayNumber(year, 1, 1);
            int month = 1;
            while (month < 12 && rest >= monthDays(year, month)) {
                rest -= monthDays(year, month);
                month++;
            }
            return new long[] {year, month, rest + 1};
        }
    }

    /** Julian 0001-01-01 is proleptic Gregorian 0000-12-30. */
    private static final long JULIAN_TO_GREGORIAN_DAYS = -2;

    private static final Pattern UNITS = Pattern.compile(
            "\\s*(\\w+)\\s+since\\s+(-?\\d{1,4})-(\\d{1,2})-(\\d{1,2})(?:[T\\s]+(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}(?:\\.\\d*)?))?)?"
                    + "\\s*(Z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?\\s*",
            Pattern.CASE_INSENSITIVE);

    /** The CF time of a variable's {@code units} and {@code calendar}, where they are one. */
    public static Optional<CfTime> parse(String units, String calendarName) {
        if (units == null) {
            return Optional.empty();
        }
        Matcher m = UNITS.matcher(units);
        Optional<Calendar> calendar = Calendar.parse(calendarName);
        if (!m.matches() || calendar.isEmpty()) {
            return Optional.empty();
        }
        double unit = switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "days", "day", "d" -> 86400;
            case "hours", "hour", "hrs", "hr", "h" -> 3600;
            case "minutes", "minute", "mins", "min" -> 60;
            case "seconds", "second", "secs", "sec", "s" -> 1;
            case "milliseconds", "millisecond", "msec", "ms" -> 1e-3;
            case "microseconds", "microsecond", "us" -> 1e-6;
            default -> Double.NaN;
        };
        if (Double.isNaN(unit)) {
            return Optional.empty();
        }
        long day = calendar.get().dayNumber(Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
        double seconds = day * 86400.0;
        if (m.group(5) != null) {
            seconds += Integer.parseInt(m.group(5)) * 3600.0 + Integer.parseInt(m.group(6)) * 60.0;
            if (m.group(7) != null) {
                seconds += Double.parseDouble(m.group(7));
            }
        }
        seconds -= zoneOffsetSeconds(m.group(8));
        return Optional.of(new CfTime(unit, calendar.get(), seconds, units.trim()));
    }

    private static double zoneOffsetSeconds(String zone) {
        if (zone == null || zone.equalsIgnoreCase("Z") || zone.equalsIgnoreCase("UTC")) {
            return 0;
        }
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.length() > 2 ? digits.substring(0, digits.length() - 2) : digits);
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(digits.length() - 2)) : 0;
        return (zone.charAt(0) == '-' ? -1 : 1) * (hours * 3600.0 + minutes * 60.0);
    }

    /** Seconds since the calendar's day zero of a value in these units. */
    public double toSeconds(double value) {
        return epochSeconds + value * unitSeconds;
    }

    /** A value in these units of seconds since the calendar's day zero. */
    public double fromSeconds(double seconds) {
        return (seconds - epochSeconds) / unitSeconds;
    }

    /**
     * A value as an RFC 3339 UTC timestamp, for catalogues. Julian dates are real days and become
     * the same day in the Gregorian calendar (Julian 1900-02-28 is 1900-03-12). Dates of model
     * calendars (noleap, all_leap, 360_day) name no real day: they keep their year, month and day
     * where the Gregorian calendar has that day, else the month's last day (360_day's February 30
     * becomes February 28 or 29), so a search by date finds them where a person expects.
     */
    public String isoInstant(double value) {
        double seconds = toSeconds(value);
        long day = (long) Math.floor(seconds / 86400);
        long secondOfDay = Math.round(seconds - day * 86400.0);
        if (secondOfDay >= 86400) {
            day++;
            secondOfDay -= 86400;
        }
        long[] ymd = calendar == Calendar.JULIAN
                ? Calendar.PROLEPTIC_GREGORIAN.date(day + JULIAN_TO_GREGORIAN_DAYS) : calendar.date(day);
        int monthLength = Calendar.PROLEPTIC_GREGORIAN.monthDays(ymd[0], (int) ymd[1]);
        long dom = Math.min(ymd[2], monthLength);
        return String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", ymd[0], ymd[1], dom, secondOfDay / 3600,
                secondOfDay / 60 % 60, secondOfDay % 60);
    }

    /** Whether values in {@code other} can be expressed in these units (same calendar). */
    public boolean convertible(CfTime other) {
        return calendar == other.calendar;
    }
}
