package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.indexer.cf.DatasetMetadata;
import io.refcat.indexer.cf.MetadataExtractor;
import io.refcat.reference.ReferenceSet;
import io.refcat.store.ChunkReader;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CF metadata of the catalogue fixtures: each covers a known region and period. */
class MetadataExtractorTest {
    private static final MetadataExtractor EXTRACTOR = new MetadataExtractor(
            new ChunkReader(new SourceResolver(List.of(Fixtures.dataDir())))::decoded);

    static DatasetMetadata metadata(String fixture) throws IOException {
        Path file = Fixtures.dataDir().resolve(fixture);
        ReferenceSet refs;
        try (FileByteSource source = FileByteSource.open(file)) {
            refs = new Indexer(ScanOptions.defaults()).scan(source).toReferenceSet();
        }
        return EXTRACTOR.extract(refs);
    }

    @Test
    void noleapMonthsOverEuropeanSeas() throws IOException {
        DatasetMetadata m = metadata("catalogue/europe_sst_noleap.nc");
        assertArrayEquals(new double[] {-10, 35, 30, 60}, m.bbox(), 1e-6);
        assertEquals("2001-01-16T00:00:00Z", m.time().start());
        assertEquals("2001-12-12T00:00:00Z", m.time().end());
        assertEquals("noleap", m.time().calendar());
        assertEquals("European seas surface temperature", m.attributes().get("title"));
        assertTrue(m.variables().stream().anyMatch(v -> "sea_surface_temperature".equals(v.standardName())));
        DatasetMetadata.Dimension time = m.dimensions().stream().filter(d -> d.name().equals("time")).findFirst().orElseThrow();
        assertEquals("t", time.axis());
        assertEquals(12, time.size());
    }

    @Test
    void aThreeSixtyDayFebruaryAcrossTheAntimeridian() throws IOException {
        DatasetMetadata m = metadata("catalogue/pacific_360day.nc");
        assertArrayEquals(new double[] {160, -20, -160, 20}, m.bbox(), 1e-6);
        assertEquals("1990-02-01T00:00:00Z", m.time().start());
        assertEquals("1990-02-28T00:00:00Z", m.time().end(), "February 30 of the 360-day calendar, as a real date");
    }

    @Test
    void curvilinearJulianGlobalAndNothing() throws IOException {
        DatasetMetadata arctic = metadata("catalogue/arctic_curvilinear.nc");
        assertArrayEquals(new double[] {-40, 70, 3, 85.4}, arctic.bbox(), 1e-4);
        assertEquals("1900-03-12T00:00:00Z", arctic.time().start(), "Julian 1900-02-28 is Gregorian 1900-03-12");
        assertEquals("1900-03-13T00:00:00Z", arctic.time().end(), "Julian 1900-02-29 exists");
        DatasetMetadata global = metadata("catalogue/global_0_360_hourly.nc");
        assertArrayEquals(new double[] {-180, -90, 180, 90}, global.bbox(), 1e-6);
        assertEquals("2010-07-01T23:00:00Z", global.time().end());
        DatasetMetadata station = metadata("catalogue/station_no_coords.nc");
        assertNull(station.bbox());
        assertNull(station.time());
    }

    @Test
    void gribGridsAndTimes() throws IOException {
        DatasetMetadata m = metadata("combine/grib/forecast_step06.grib2");
        assertArrayEquals(new double[] {5, 47, 9, 50}, m.bbox(), 1e-6);
        assertEquals("2022-03-01T06:00:00Z", m.time().start());
    }
}
