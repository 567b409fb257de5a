package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Combined fixture archives (NetCDF4 days of unequal length with a missing day and a variable in
 * some files only, NetCDF3 records, GRIB forecast steps) against xarray.open_mfdataset on the
 * originals: through the combined references (JSON, and Parquet as read by hyparquet, an
 * independent reader, since Debian's fsspec 2022.11 predates Parquet references) and through the
 * store serving each.
 */
class CombineInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path NODE = Fixtures.repoRoot().resolve("cli/src/test/node");

    @TempDir
    Path work;

    record Archive(String name, String dir, String engine, String concatDim, boolean nested) {
    }

    static final List<Archive> ARCHIVES = List.of(
            new Archive("netcdf4", "combine/netcdf4", "netcdf4", "time", false),
            new Archive("netcdf3", "combine/netcdf3", "netcdf4", "time", false),
            new Archive("grib", "combine/grib", "cfgrib", "step", true));

    @TestFactory
    Stream<DynamicTest> combinedArchivesEqualOpenMfdataset() throws Exception {
        Python.requireModules("netCDF4", "cfgrib", "eccodes", "numpy", "xarray", "zarr", "fsspec", "dask", "numcodecs");
        Path refs = Files.createDirectories(work.resolve("refs"));
        List<Map<String, Object>> manifest = new ArrayList<>();
        boolean hyparquet = Files.isDirectory(NODE.resolve("node_modules/hyparquet"));
        for (Archive a : ARCHIVES) {
            Path dir = Fixtures.dataDir().resolve(a.dir());
            for (String format : List.of("json", "parquet")) {
                boolean json = format.equals("json");
                String name = json ? a.name() : a.name() + "-parquet";
                Path out = refs.resolve(json ? name + ".json" : name);
                // A small record size, so that arrays span several Parquet files.
                IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--concat-dim", a.concatDim(),
                        dir.toString(), "-o", out.toString(), "--format", format, "--record-size", "3");
                assertEquals(0, r.exit(), name + ": " + r.err());
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", name);
                c.put("originals", InteropHarness.filesUnder(dir).stream().map(Path::toString).toList());
                c.put("engine", a.engine());
                c.put("concat_dim", a.concatDim());
                c.put("nested", a.nested());
                if (json) {
                    c.put("refs", out.toString());
                } else if (hyparquet) {
                    c.put("refs", readWithHyparquet(out).toString());
                }
                manifest.add(c);
            }
        }
        Javalin server = StoreServer.create(new ReferenceDirectory(refs), new SourceResolver(List.of(Fixtures.dataDir())))
                .start("127.0.0.1", 0);
        try {
            manifest.forEach(c -> c.put("zarr", "http://127.0.0.1:" + server.port() + "/zarr/" + c.get("name")));
            Path expected = Files.createDirectories(work.resolve("expected"));
            Map<String, JsonNode> results = run("check_combine.py", manifest, "--dump", expected.toString());
            List<DynamicTest> tests = new ArrayList<>();
            for (Map<String, Object> c : manifest) {
                for (String check : List.of("refs", "zarr_http")) {
                    String name = (String) c.get("name");
                    JsonNode res = results.get(name + "|" + check);
                    tests.add(DynamicTest.dynamicTest(name + " " + check, () -> {
                        Assumptions.assumeTrue(res != null || c.containsKey("refs"), "hyparquet is not installed: "
                                + "run 'npm ci' in " + NODE + " (.ci/run does) to read the Parquet references "
                                + "with an independent reader");
                        if (res == null) {
                            fail("no result from the Python checker");
                        }
                        assertTrue(res.get("ok").asBoolean(), res.get("problems").toString());
                    }));
                }
                String name = (String) c.get("name");
                String base = "http://127.0.0.1:" + server.port();
                for (String view : List.of("zarr", "zarr3")) {
                    tests.add(DynamicTest.dynamicTest(name + " zarr-java " + view, () -> ZarrJavaValues.assertStore(
                            base + "/" + view + "/" + name, view.equals("zarr3"),
                            expected.resolve(name + ".expected.json"))));
                }
            }
            return tests.stream();
        } finally {
            // The server outlives this method: zarr-java's tests read from it. JUnit runs them next,
            // in this JVM; the server's threads are daemons of Javalin, stopped at exit.
            SERVERS.add(server);
        }
    }

    private static final List<Javalin> SERVERS = new ArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void stopServers() {
        SERVERS.forEach(Javalin::stop);
    }

    /** The Parquet references as kerchunk JSON, read by hyparquet the way fsspec's LazyReferenceMapper reads them. */
    private Path readWithHyparquet(Path dir) throws Exception {
        Path json = work.resolve(dir.getFileName() + ".hyparquet.json");
        Process p = new ProcessBuilder("node", NODE.resolve("parquet_refs.mjs").toString(), dir.toString())
                .redirectOutput(json.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "hyparquet did not finish");
        assertEquals(0, p.exitValue(), "hyparquet could not read " + dir);
        return json;
    }

    private Map<String, JsonNode> run(String script, List<Map<String, Object>> manifest, String... before)
            throws Exception {
        Path file = work.resolve(script + ".manifest.json");
        JSON.writeValue(file.toFile(), manifest);
        List<String> cmd = new ArrayList<>(List.of(Python.executable(),
                Fixtures.repoRoot().resolve("cli/src/test/python").resolve(script).toString()));
        cmd.addAll(List.of(before));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), script + " did not finish");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        Map<String, JsonNode> results = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode r = JSON.readTree(line);
                results.put(r.get("name").asText() + "|" + r.get("check").asText(), r);
            }
        }
        return results;
    }
}
