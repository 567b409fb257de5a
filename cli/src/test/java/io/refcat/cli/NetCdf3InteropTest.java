package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zarr.zarrjava.store.HttpStore;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.indexer.ScanOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
 * HTTP; zarr-java reads the served v2 and v3 stores. All must agree value for value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetCdf3InteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    @TestFactory
    Stream<DynamicTest> zarrJavaReadsTheServedV2AndV3Stores() {
        return harness.cases().stream().flatMap(c -> Stream.of("zarr", "zarr3").map(view ->
                DynamicTest.dynamicTest(c.id() + " zarr-java " + view, () -> {
                    JsonNode expected = JSON.readTree(expected(c).toFile()).get("variables");
                    HttpStore store = new HttpStore(harness.baseUrl() + "/" + view + "/" + c.id());
                    Iterator<String> names = expected.fieldNames();
                    int compared = 0;
                    int skipped = 0;
                    while (names.hasNext()) {
                        String name = names.next();
                        JsonNode ev = expected.get(name);
                        String dtype = ev.get("dtype").asText();
                        if (dtype.charAt(1) == 'u' || dtype.charAt(1) == 'S') {
                            // zarr-java maps unsigned types (and char arrays, uint8 in v3) to
                            // ucar.ma2.DataType.UBYTE..ULONG, which exist only in netcdf-java 5, not on
                            // Maven Central; 4.5.5 lacks them. The Python clients check these variables.
                            skipped++;
                            continue;
                        }
                        if (view.equals("zarr") && ev.get("shape").isEmpty()) {
                            // zarr-java 0.0.9 asks v2 0-d arrays for a chunk without the key "0" (and reads
                            // the 404 body as data); scalars are checked through its v3 reader instead.
                            skipped++;
                            continue;
                        }
                        ucar.ma2.Array data = view.equals("zarr")
                                ? dev.zarr.zarrjava.v2.Array.open(store.resolve(name)).read()
                                : dev.zarr.zarrjava.v3.Array.open(store.resolve(name)).read();
                        ZarrJavaValues.assertSame(c.id() + ":" + name, ev, data);
                        compared++;
                    }
                    assertTrue(compared + skipped > 0, "no variable found");
                })));
    }
}
