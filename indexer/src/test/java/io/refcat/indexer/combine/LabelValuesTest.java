package io.refcat.indexer.combine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelValuesTest {

    @Test
    void datesInTheUsualFileNameFormsBecomeSecondsSince1970() {
        double day = 86400;
        assertEquals(new LabelValues.Label(1 * day, true), LabelValues.parse("19700102").orElseThrow());
        assertEquals(new LabelValues.Label(31 * day, true), LabelValues.parse("1970-02").orElseThrow());
        assertEquals(new LabelValues.Label(day + 6 * 3600, true), LabelValues.parse("1970010206").orElseThrow());
        assertEquals(new LabelValues.Label(day + 90, true), LabelValues.parse("1970-01-02T00:01:30").orElseThrow());
        assertEquals("days since 1970-01-01 00:00:00", LabelValues.dateUnits(new double[] {0, day}));
        assertEquals("hours since 1970-01-01 00:00:00", LabelValues.dateUnits(new double[] {0, 3600}));
    }

    @Test
    void numbersStayNumbersAndNonsenseIsRefused() {
        assertEquals(new LabelValues.Label(12, false), LabelValues.parse("12").orElseThrow());
        assertEquals(new LabelValues.Label(20001399, false), LabelValues.parse("20001399").orElseThrow());
        assertTrue(LabelValues.parse("tuesday").isEmpty());
    }
}
