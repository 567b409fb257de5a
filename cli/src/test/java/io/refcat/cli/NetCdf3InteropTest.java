package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.indexer.ScanOptions;
import java.nio.file.Files;
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
 * The proof with real clients, for every NetCDF3 fixture and every NetCDF3 file of the shared
 * corpus: netCDF4-python (libnetcdf) reads the original; xarray through fsspec's reference
 * filesystem reads refcat's JSON; zarr-python and xarray read the served Zarr v2 store over
 * HTTP; zarr-java reads the served v2 and v3 stores, zarrita the v3 store. All must agree value for value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetCdf3InteropTest {
    private InteropHarness harness;
    private Path dumps;

    @BeforeAll
    void indexServeAndAskPython(@TempDir Path work) throws Exception {
        Python.requireModules("netCDF4", "numpy", "xarray", "zarr", "fsspec", "aiohttp");
        dumps = Files.createDirectories(work.resolve("expected"));
        List<InteropHarness.Case> cases = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Fixtures.dataDir()));
        for (Path f : Fixtures.netcdf3Files()) {
            Path truth = f.resolveSibling(f.getFileName().toString().replace("_streaming", "_records"));
            cases.add(new InteropHarness.Case("fixtures/" + f.getFileName(), f, truth));
        }
        Fixtures.corpus().ifPresent(corpus -> {
            roots.add(corpus);
            for (Path f : Fixtures.corpusNetcdf3Files()) {
                cases.add(new InteropHarness.Case("corpus/" + corpus.relativize(f).toString().replace('\\', '/'), f, f));
            }
        });
        // 8 KiB chunks so that the large fixtures are split and the split is checked too.
        harness = InteropHarness.start(work, cases, roots, new ScanOptions(8192));
        harness.runPython("check_netcdf3.py", "--dump", dumps.toString());
    }

    @AfterAll
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** What netCDF4-python read: the generator's file for fixtures, the checker's dump for the corpus. */
    private Path expected(InteropHarness.Case c) {
        return c.id().startsWith("fixtures/") ? Fixtures.expectedFor(c.original())
                : dumps.resolve(c.name() + ".expected.json");
    }

    @TestFactory
    Stream<DynamicTest> pythonClientsReadWhatLibnetcdfReads() {
        assertTrue(harness.cases().size() >= 20, "found only " + harness.cases().size() + " NetCDF3 files");
        return Stream.concat(Stream.of(InteropHarness.corpusPresent()),
                harness.checks(List.of("refs", "zarr_http", "xarray_http")));
    }

    /** zarrita, an independent JavaScript reader, reads the served v3 view as libnetcdf reads the file. */
    @TestFactory
    Stream<DynamicTest> zarritaReadsTheServedV3View() throws Exception {
        return harness.zarritaChecks(this::expected);
    }

    @TestFactory
    Stream<DynamicTest> zarrJavaReadsTheServedV2AndV3Stores() {
        return harness.cases().stream().flatMap(c -> Stream.of("zarr", "zarr3").map(view ->
                DynamicTest.dynamicTest(c.id() + " zarr-java " + view, () -> {
                    ZarrJavaValues.assertStore(harness.baseUrl() + "/" + view + "/" + c.id(), view.equals("zarr3"),
                            expected(c));
                })));
    }
}
