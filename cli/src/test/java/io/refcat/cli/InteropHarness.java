package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.StoreServer;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * What every interop test does: index the cases, serve them on 127.0.0.1, hand a manifest to one
 * Python checker run, and turn its JSON lines into one dynamic test per case and check.
 */
final class InteropHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param truth the file the reference library reads (for a streaming NetCDF3 file, its twin) */
    record Case(String id, Path original, Path truth) {
        String name() {
            return id.replace('/', '_');
        }
    }

    private final Path work;
    private final List<Case> cases;
    private final Javalin server;
    private final Map<String, JsonNode> results = new HashMap<>();

    private InteropHarness(Path work, List<Case> cases, Javalin server) {
        this.work = work;
        this.cases = List.copyOf(cases);
        this.server = server;
    }

    /**
     * Indexes the fixture files and, where the shared corpus is present, the corpus files, serves
     * them, and runs {@code script} with {@code --dump} so the Java clients' expected values are
     * written too ({@link #zarrJavaChecks()}).
     */
    static InteropHarness fixturesAndCorpus(Path work, List<Path> fixtures, java.util.function.Supplier<List<Path>> corpus,
                                            ScanOptions options, String script) throws Exception {
        return fixturesAndCorpus(work, fixtures, corpus, List.of(), options, script);
    }

    /**
     * @param generated  files a test made in {@code work/generated} (too large to commit)
     * @param scriptArgs more options for the script, before its manifest
     */
    static InteropHarness fixturesAndCorpus(Path work, List<Path> fixtures, java.util.function.Supplier<List<Path>> corpus,
                                            List<Path> generated, ScanOptions options, String script,
                                            String... scriptArgs) throws Exception {
        List<Case> cases = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Fixtures.dataDir(), work.resolve("generated")));
        for (Path f : fixtures) {
            cases.add(new Case("fixtures/" + Fixtures.dataDir().relativize(f), f, f));
        }
        for (Path f : generated) {
            cases.add(new Case("generated/" + f.getFileName(), f, f));
        }
        Fixtures.corpus().ifPresent(root -> {
            roots.add(root);
            for (Path f : corpus.get()) {
                cases.add(new Case("corpus/" + root.relativize(f).toString().replace('\\', '/'), f, f));
            }
        });
        InteropHarness h = start(work, cases, roots, options);
        List<String> args = new ArrayList<>(List.of("--dump", Files.createDirectories(work.resolve("expected")).toString()));
        args.addAll(List.of(scriptArgs));
        h.runPython(script, args.toArray(new String[0]));
        return h;
    }

    /** zarr-java reads each case's served v2 and v3 views and finds the values the script dumped. */
    Stream<DynamicTest> zarrJavaChecks() {
        return cases.stream().flatMap(c -> Stream.of("zarr", "zarr3").map(view ->
                DynamicTest.dynamicTest(c.id() + " zarr-java " + view, () -> ZarrJavaValues.assertStore(
                        baseUrl() + "/" + view + "/" + c.id(), view.equals("zarr3"),
                        work.resolve("expected").resolve(c.name() + ".expected.json")))));
    }

    private static final Path NODE = Fixtures.repoRoot().resolve("cli/src/test/node");

    /**
     * zarrita (JavaScript, from npm) reads each case's served v3 view and finds the values the
     * script dumped; one node process for all cases. Skipped, saying so, where node or the npm
     * packages ({@code npm ci --prefix cli/src/test/node}) are missing.
     */
    Stream<DynamicTest> zarritaChecks() throws IOException, InterruptedException {
        return zarritaChecks(c -> work.resolve("expected").resolve(c.name() + ".expected.json"));
    }

    /** @param expected where each case's expected values are ({@code {"variables": …}}) */
    Stream<DynamicTest> zarritaChecks(java.util.function.Function<Case, Path> expected)
            throws IOException, InterruptedException {
        String missing = Files.isDirectory(NODE.resolve("node_modules/zarrita")) ? null
                : "skipped: zarrita is not installed (npm ci --prefix cli/src/test/node, as .ci/run does)";
        if (missing == null) {
            try {
                new ProcessBuilder("node", "--version").start().waitFor();
            } catch (IOException e) {
                missing = "skipped: node is not on the PATH";
            }
        }
        if (missing != null) {
            String why = missing;
            return Stream.of(DynamicTest.dynamicTest("zarrita present",
                    () -> org.junit.jupiter.api.Assumptions.assumeTrue(false, why)));
        }
        List<Map<String, String>> manifest = new ArrayList<>();
        for (Case c : cases) {
            manifest.add(Map.of("name", c.name(), "zarr3", baseUrl() + "/zarr3/" + c.id(),
                    "expected", expected.apply(c).toString()));
        }
        Path manifestFile = work.resolve("zarrita.manifest.json");
        JSON.writeValue(manifestFile.toFile(), manifest);
        Process p = new ProcessBuilder("node", NODE.resolve("zarrita_v3.mjs").toString(), manifestFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "zarrita_v3.mjs did not finish");
        assertEquals(0, p.exitValue(), "zarrita_v3.mjs failed:\n" + out);
        Map<String, JsonNode> byName = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode r = JSON.readTree(line);
                byName.put(r.get("name").asText(), r);
            }
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " zarrita v3", () -> {
            JsonNode r = byName.get(c.name());
            if (r == null) {
                fail("no result from zarrita_v3.mjs");
            }
            assertTrue(r.get("ok").asBoolean(), String.join("\n", JSON.convertValue(r.get("problems"), List.class)));
        }));
    }

    /** Indexes every case (each must succeed) and serves the results with {@code roots} readable. */
    static InteropHarness start(Path work, List<Case> cases, List<Path> roots, ScanOptions options) throws IOException {
        Path refs = work.resolve("refs");
        BatchIndexer batch = new BatchIndexer(new Indexer(options), loc -> FileByteSource.open(java.nio.file.Path.of(loc)), 0);
        for (Case c : cases) {
            BatchIndexer.Result r = batch.index(new BatchIndexer.Task(c.original(), refsOf(refs, c)));
            assertTrue(r.ok(), c.id() + ": " + r.error());
        }
        Javalin server = StoreServer.create(new ReferenceDirectory(refs), new SourceResolver(roots)).start("127.0.0.1", 0);
        return new InteropHarness(work, cases, server);
    }

    private static Path refsOf(Path refs, Case c) {
        return refs.resolve(c.id() + ".json");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    List<Case> cases() {
        return cases;
    }

    /** Runs {@code cli/src/test/python/<script>} once over every case; {@code before} go first on its command line. */
    void runPython(String script, String... before) throws IOException, InterruptedException {
        List<Map<String, String>> manifest = new ArrayList<>();
        for (Case c : cases) {
            manifest.add(Map.of("name", c.name(), "original", c.truth().toString(),
                    "refs", refsOf(work.resolve("refs"), c).toString(), "zarr", baseUrl() + "/zarr/" + c.id()));
        }
        Path manifestFile = work.resolve(script + ".manifest.json");
        JSON.writeValue(manifestFile.toFile(), manifest);
        List<String> cmd = new ArrayList<>(List.of(Python.executable(),
                Fixtures.repoRoot().resolve("cli/src/test/python").resolve(script).toString()));
        cmd.addAll(List.of(before));
        cmd.add(manifestFile.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), script + " did not finish");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode r = JSON.readTree(line);
                results.put(r.get("name").asText() + "|" + r.get("check").asText(), r);
            }
        }
    }

    Stream<DynamicTest> checks(List<String> checks) {
        return cases.stream().flatMap(c -> checks.stream().map(check ->
                DynamicTest.dynamicTest(c.id() + " " + check, () -> {
                    JsonNode r = results.get(c.name() + "|" + check);
                    if (r == null) {
                        fail("no result from the Python checker");
                    }
                    assertTrue(r.get("ok").asBoolean(), String.join("\n", JSON.convertValue(r.get("problems"), List.class)));
                })));
    }

    /** A dynamic test that is skipped, saying so, where the shared corpus is absent. */
    static DynamicTest corpusPresent() {
        return DynamicTest.dynamicTest("shared corpus present", Fixtures::corpusOrSkip);
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
