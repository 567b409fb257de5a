package io.refcat.reference.cf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CfTimeTest {

    private static double days(String units, String calendar, double value, String toUnits) {
        CfTime from = CfTime.parse(units, calendar).orElseThrow();
        CfTime to = CfTime.parse(toUnits, calendar).orElseThrow();
        return to.fromSeconds(from.toSeconds(value));
    }

    @Test
    void calendarsCountTheirOwnDays() {
        // 2001-03-01 minus 2000-03-01
        assertEquals(365, days("days since 2001-03-01", "standard", 0, "days since 2000-03-01"));
        assertEquals(365, days("days since 2001-03-01", "noleap", 0, "days since 2000-03-01"));
        assertEquals(366, days("days since 2001-03-01", "all_leap", 0, "days since 2000-03-01"));
        assertEquals(360, days("days since 2001-03-01", "360_day", 0, "days since 2000-03-01"));
        // 1900 is a leap year in the Julian calendar only
        assertEquals(366, days("days since 1901-01-01", "julian", 0, "days since 1900-01-01"));
        assertEquals(365, days("days since 1901-01-01", "proleptic_gregorian", 0, "days since 1900-01-01"));
    }

    @Test
    void unitsTimesAndZonesAreHonoured() {
        assertEquals(1.5, days("hours since 2000-01-02T12:00:00Z", "gregorian", 0, "days since 2000-01-01"));
        // 12:00 at +12:00 is midnight UTC
        assertEquals(2.5, days("hours since 2000-01-02 12:00 +12:00", "standard", 36, "days since 2000-01-01"), 1e-12);
        assertEquals(60, days("minutes since 2000-01-01", null, 60, "seconds since 2000-01-01 00:59:00"));
    }

    @Test
    void instantsInEveryCalendar() {
        assertEquals("2000-03-01T06:00:00Z", CfTime.parse("hours since 2000-02-28", "standard").orElseThrow()
                .isoInstant(48 + 6));
        assertEquals("2000-02-29T00:00:00Z", CfTime.parse("days since 2000-02-01", "360_day").orElseThrow()
                .isoInstant(29));
        assertEquals("2001-03-01T00:00:00Z", CfTime.parse("days since 2001-02-28", "noleap").orElseThrow().isoInstant(1));
        assertEquals("1850-01-01T00:00:00Z", CfTime.parse("days since 1850-01-01", "365_day").orElseThrow().isoInstant(0));
        assertEquals("2100-12-31T00:00:00Z", CfTime.parse("days since 1850-01-01", "365_day").orElseThrow()
                .isoInstant(250 * 365 + 364));
        for (CfTime.Calendar c : CfTime.Calendar.values()) {
            for (long day : new long[] {0, 59, 365, 730_000, 123_456}) {
                long[] ymd = c.date(day);
                assertEquals(day, c.dayNumber(ymd[0], (int) ymd[1], (int) ymd[2]), c + " day " + day);
            }
        }
    }

    @Test
    void whatIsNotCfTimeIsRefused() {
        assertTrue(CfTime.parse("K", null).isEmpty());
        assertTrue(CfTime.parse("months since 2000-01-01", null).isEmpty());
        assertTrue(CfTime.parse("days since 2000-01-01", "martian").isEmpty());
    }
}
