package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.indexer.ScanOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HDF5 / NetCDF4 fixture and every HDF5 file of the shared corpus: for each dataset refcat
 * references, zarr-python through fsspec's reference filesystem and over HTTP reads what h5py
 * (libhdf5) reads, with the attributes, and for NetCDF4 files the dimension names libnetcdf gives.
 * Datasets refcat lists as unsupported are excluded here and listed in docs/FORMAT-COVERAGE.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hdf5InteropTest {
    private InteropHarness harness;

    @BeforeAll
    void indexServeAndAskPython(@TempDir Path work) throws Exception {
        Python.requireModules("h5py", "netCDF4", "numpy", "xarray", "zarr", "fsspec", "aiohttp");
        harness = InteropHarness.fixturesAndCorpus(work, Fixtures.hdf5Files(), Fixtures::corpusHdf5Files,
                new ScanOptions(8192), "check_hdf5.py");
    }

    @AfterAll
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> zarrPythonReadsWhatLibhdf5Reads() {
        assertTrue(harness.cases().size() >= 6, "found only " + harness.cases().size() + " HDF5 files");
        return Stream.concat(Stream.of(InteropHarness.corpusPresent()), harness.checks(List.of("refs", "zarr_http", "netcdf4_xarray", "zarr3_structured")));
    }

    @TestFactory
    Stream<DynamicTest> zarrJavaReadsTheServedV2AndV3Stores() {
        return harness.zarrJavaChecks();
    }

    /** zarrita, an independent JavaScript reader, reads the served v3 view as the reference library reads the file. */
    @TestFactory
    Stream<DynamicTest> zarritaReadsTheServedV3View() throws Exception {
        return harness.zarritaChecks();
    }
}
