package io.refcat.cli;

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
 * Every GRIB fixture and every GRIB file of the shared corpus: the served Zarr views, decoded by
 * refcat, equal what cfgrib/ecCodes read (values, dimensions, coordinates), and the kerchunk-form
 * references list exactly the messages ecCodes finds. zarr-java reads the served v2 and v3 views.
 * A GRIB1 message over 16 MB (ECMWF's large-message convention) is generated at test time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GribInteropTest {
    private InteropHarness harness;

    @BeforeAll
    void indexServeAndAskPython(@TempDir Path work) throws Exception {
        Python.requireModules("cfgrib", "eccodes", "numpy", "xarray", "zarr", "fsspec", "aiohttp");
        Path large = java.nio.file.Files.createDirectories(work.resolve("generated")).resolve("large.grib1");
        Process p = new ProcessBuilder(Python.executable(), Fixtures.repoRoot().resolve(
                "cli/src/test/python/make_large_grib1.py").toString(), large.toString()).inheritIO().start();
        org.junit.jupiter.api.Assertions.assertEquals(0, p.waitFor(), "make_large_grib1.py failed");
        harness = InteropHarness.fixturesAndCorpus(work, Fixtures.gribFiles(), Fixtures::corpusGribFiles, List.of(large),
                ScanOptions.defaults(), "check_grib.py", java.nio.file.Files.isDirectory(KERCHUNK)
                        ? new String[] {"--kerchunk", KERCHUNK.toString()} : new String[0]);
    }

    /** kerchunk itself (../shared/kerchunk), whose codecs a kerchunk client reads the references with. */
    private static final Path KERCHUNK = Fixtures.repoRoot().resolve("../shared/kerchunk").normalize();

    @AfterAll
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> servedViewsEqualCfgribAndReferencesEqualEcCodesMessages() {
        return Stream.concat(Stream.of(InteropHarness.corpusPresent()), harness.checks(List.of("zarr_http", "messages")));
    }

    /** The references through fsspec and kerchunk's own codecs read as the served views, or refuse loudly. */
    @TestFactory
    Stream<DynamicTest> kerchunkClientsReadTheReferencesAsTheServedViews() {
        if (!java.nio.file.Files.isDirectory(KERCHUNK)) {
            return Stream.of(DynamicTest.dynamicTest("kerchunk present", () -> org.junit.jupiter.api.Assumptions
                    .assumeTrue(false, "skipped: " + KERCHUNK + " (kerchunk's package) is absent")));
        }
        return harness.checks(List.of("kerchunk_refs"));
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
