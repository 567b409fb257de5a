package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.indexer.ScanOptions;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private Path dumps;

    @BeforeAll
    void indexServeAndAskPython(@TempDir Path work) throws Exception {
        Python.requireModules("h5py", "netCDF4", "numpy", "xarray", "zarr", "fsspec", "aiohttp");
        List<InteropHarness.Case> cases = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Fixtures.dataDir()));
        for (Path f : Fixtures.hdf5Files()) {
            cases.add(new InteropHarness.Case("fixtures/" + Fixtures.dataDir().relativize(f), f, f));
        }
        Fixtures.corpus().ifPresent(corpus -> {
            roots.add(corpus);
            for (Path f : Fixtures.corpusHdf5Files()) {
                cases.add(new InteropHarness.Case("corpus/" + corpus.relativize(f).toString().replace('\\', '/'), f, f));
            }
        });
        harness = InteropHarness.start(work, cases, roots, new ScanOptions(8192));
        dumps = java.nio.file.Files.createDirectories(work.resolve("expected"));
        harness.runPython("check_hdf5.py", "--dump", dumps.toString());
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
        return Stream.concat(Stream.of(InteropHarness.corpusPresent()), harness.checks(List.of("refs", "zarr_http", "netcdf4_xarray")));
    }

    @TestFactory
    Stream<DynamicTest> zarrJavaReadsTheServedV2AndV3Stores() {
        return harness.cases().stream().flatMap(c -> Stream.of("zarr", "zarr3").map(view ->
                DynamicTest.dynamicTest(c.id() + " zarr-java " + view, () -> ZarrJavaValues.assertStore(
                        harness.baseUrl() + "/" + view + "/" + c.id(), view.equals("zarr3"),
                        dumps.resolve(c.name() + ".expected.json")))));
    }
}
