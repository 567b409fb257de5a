package io.refcat.indexer.cf;

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
    void whatIsNotCfTimeIsRefused() {
        assertTrue(CfTime.parse("K", null).isEmpty());
        assertTrue(CfTime.parse("months since 2000-01-01", null).isEmpty());
        assertTrue(CfTime.parse("days since 2000-01-01", "martian").isEmpty());
    }
}
