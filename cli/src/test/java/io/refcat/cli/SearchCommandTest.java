package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchCommandTest {
    @TempDir
    Path data;

    @Test
    void searchesByPlaceTimeAndText() {
        IndexCommandTest.Run indexed = IndexCommandTest.refcat("index", Fixtures.dataDir().resolve("catalogue").toString(),
                "--data", data.toString());
        assertEquals(0, indexed.exit(), indexed.err());
        assertTrue(indexed.out().contains("(collection catalogue)"), indexed.out());
        IndexCommandTest.Run r = IndexCommandTest.refcat("search", "--data", data.toString(), "--bbox", "150,-30,-150,30",
                "air", "temperature");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("catalogue/pacific_360day.nc\tTropical Pacific"), r.out());
        assertTrue(r.out().contains("1 of 1 matching datasets"), r.out());
        IndexCommandTest.Run timed = IndexCommandTest.refcat("search", "--data", data.toString(), "--datetime",
                "1990-02-28T00:00:00Z/1990-03-01T00:00:00Z", "--json");
        assertEquals(0, timed.exit(), timed.err());
        assertTrue(timed.out().contains("\"id\":\"pacific_360day.nc\""), timed.out());
        assertEquals(2, IndexCommandTest.refcat("search", "--data", data.toString(), "--bbox", "1,2,3").exit());
        assertEquals(2, IndexCommandTest.refcat("search", "--data", data.resolve("nothing").toString()).exit());
        assertEquals(2, IndexCommandTest.refcat("index", Fixtures.dataDir().resolve("catalogue").toString()).exit(),
                "-o or --data is needed");
    }
}
