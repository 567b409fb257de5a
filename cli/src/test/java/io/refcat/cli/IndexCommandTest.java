package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Fixtures;
import io.refcat.reference.KerchunkJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code refcat index} as a user runs it: exit codes, reports, mirrored output, no partial files. */
class IndexCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run refcat(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Refcat.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void allGoodFilesExitZeroAndMirrorPaths() throws IOException {
        Path out = tmp.resolve("refs");
        Run r = refcat("index", Fixtures.dataDir().resolve("netcdf3").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        int n = Fixtures.netcdf3Files().size();
        assertTrue(r.out().contains("indexed " + n + " of " + n), r.out());
        for (Path f : Fixtures.netcdf3Files()) {
            Path refs = out.resolve(f.getFileName() + ".json");
            assertTrue(KerchunkJson.read(Files.readAllBytes(refs)).size() > 2, refs.toString());
        }
    }

    @Test
    void badFilesAreReportedAndTheRestOfTheBatchGoesOn() throws IOException {
        Path out = tmp.resolve("refs");
        List<String> args = new ArrayList<>(List.of("index", Fixtures.dataDir().toString(), "-o", out.toString()));
        Fixtures.corpus().ifPresent(c -> args.add(c.resolve("netcdf-c/ncdump_ref_test_corrupt_magic.nc").toString()));
        Run r = refcat(args.toArray(String[]::new));
        assertEquals(1, r.exit());
        for (Path bad : Fixtures.badNetcdf3Files()) {
            assertTrue(r.err().contains(bad.toString() + ": "), "reported with its path: " + bad + "\n" + r.err());
            assertFalse(Files.exists(out.resolve("bad/netcdf3").resolve(bad.getFileName() + ".json")));
        }
        assertTrue(r.err().contains("past the end of the file"), r.err());
        for (Path good : Fixtures.netcdf3Files()) {
            assertTrue(Files.exists(out.resolve("netcdf3").resolve(good.getFileName() + ".json")), good.toString());
        }
        try (Stream<Path> walk = Files.walk(out)) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void gribArchivesGetNothingWrittenBesideThem() throws IOException {
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        Files.copy(Fixtures.dataDir().resolve("grib/pl_steps.grib2"), archive.resolve("pl_steps.grib2"));
        Run r = refcat("index", archive.toString(), "-o", tmp.resolve("refs").toString());
        assertEquals(0, r.exit(), r.err());
        try (Stream<Path> files = Files.list(archive)) {
            assertEquals(List.of(archive.resolve("pl_steps.grib2")), files.toList(),
                    "no .gbx9/.ncx index beside the archive (NetCDF-Java's collections write them)");
        }
    }

    @Test
    void strictFailsAFileWithABadGribMessage() throws IOException {
        String truncated = Fixtures.dataDir().resolve("bad/grib/truncated.grib2").toString();
        Run lenient = refcat("index", truncated, "-o", tmp.resolve("a").toString());
        assertEquals(0, lenient.exit(), lenient.err());
        assertTrue(lenient.err().contains("message@"), "the bad message is reported: " + lenient.err());
        Run strict = refcat("index", truncated, "-o", tmp.resolve("b").toString(), "--strict");
        assertEquals(1, strict.exit());
        assertTrue(strict.err().contains("cut short"), strict.err());
        assertFalse(Files.exists(tmp.resolve("b/truncated.grib2.json")), "no reference file for a failed file");
    }

    @Test
    void jsonLinesOnePerFile() throws IOException {
        Path good = Fixtures.netcdf3Dir().resolve("classic_types.nc");
        Path bad = Fixtures.badNetcdf3Dir().resolve("cut_in_half.nc");
        Run r = refcat("index", good.toString(), bad.toString(), "-o", tmp.toString(), "--json");
        assertEquals(1, r.exit());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        JsonNode ok = JSON.readTree(lines[0]);
        assertEquals(good.toString(), ok.get("source").asText());
        assertEquals("ok", ok.get("status").asText());
        assertEquals(tmp.resolve("classic_types.nc.json").toString(), ok.get("refs").asText());
        assertTrue(ok.get("error").isNull());
        JsonNode failed = JSON.readTree(lines[1]);
        assertEquals("error", failed.get("status").asText());
        assertTrue(failed.get("refs").isNull());
        assertTrue(failed.get("error").asText().contains("header ends early"), failed.toString());
        assertEquals(0, ok.get("v2_only").size(), "every NetCDF3 variable has a v3 view");
    }

    /** Only the subcommand run is built (picocli reads every option of every command it holds). */
    @Test
    void theCommandLineHoldsTheSubcommandRunOrAll() {
        assertEquals(java.util.Set.of("index", "help"), Refcat.commandLine("index").getSubcommands().keySet());
        assertEquals(java.util.Set.of("index", "combine", "search", "serve", "peers", "remove", "help"),
                Refcat.commandLine("--help").getSubcommands().keySet());
    }

    @Test
    void jsonNamesArraysWithoutAV3View() throws IOException {
        Run r = refcat("index", Fixtures.dataDir().resolve("hdf5/compounds.h5").toString(), "-o", tmp.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode v2Only = JSON.readTree(r.out().strip()).get("v2_only");
        java.util.List<String> names = new java.util.ArrayList<>();
        v2Only.fieldNames().forEachRemaining(names::add);
        assertEquals(java.util.List.of("with_array_member", "with_text_member"), names, v2Only.toString());
        assertTrue(v2Only.get("with_array_member").asText().contains("member 'b' is an array"), v2Only.toString());
    }

    @Test
    void inlineThresholdInlinesSmallChunks() throws IOException {
        Path f = Fixtures.netcdf3Dir().resolve("classic_records.nc");
        assertEquals(0, refcat("index", f.toString(), "-o", tmp.toString(), "--inline-threshold", "100").exit());
        String json = Files.readString(tmp.resolve("classic_records.nc.json"));
        JsonNode refs = JSON.readTree(json).get("refs");
        assertTrue(refs.get("lat/0").isTextual(), "12-byte chunk inlined: " + refs.get("lat/0"));
        assertTrue(refs.get("temp/0.0.0").isTextual(), "60-byte chunk inlined");
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, refcat("index", Fixtures.netcdf3Dir().toString()).exit(), "missing -o");
        assertEquals(2, refcat("index", "-o", tmp.toString()).exit(), "no input");
        assertEquals(2, refcat("index", "x.nc", "-o", tmp.toString(), "--inline-threshold", "-1").exit());
        assertEquals(2, refcat("nonsense").exit());
    }

    @Test
    void missingInputIsAFailureNotACrash() {
        Run r = refcat("index", tmp.resolve("nope.nc").toString(), "-o", tmp.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nope.nc: no such file"), r.err());
    }

    @Test
    void anEmptyInputSaysSoAndFails() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Run r = refcat("index", empty.toString(), "-o", tmp.resolve("refs").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no files found"), r.err());
        Run combine = refcat("combine", "--concat-dim", "time", empty.toString(), "-o", tmp.resolve("c.json").toString());
        assertEquals(1, combine.exit());
        assertTrue(combine.err().contains("no files found"), combine.err());
    }

    @Test
    void filesThatArePlainlyNotDataAreSkippedAndCountedUnlessNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("archive"));
        Files.copy(Fixtures.netcdf3Dir().resolve("classic_types.nc"), dir.resolve("a.nc"));
        Files.writeString(dir.resolve("README.md"), "# about this archive\n");
        Files.writeString(dir.resolve("LICENSE"), "CC-BY 4.0\n");
        Files.writeString(dir.resolve("broken.nc"), "not a netcdf file\n");
        Path out = tmp.resolve("refs");
        Run r = refcat("index", dir.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), "broken.nc has a data extension: a failure");
        assertTrue(r.out().contains("indexed 1 of 2 files") && r.out().contains("skipped 2 file(s)"), r.out());
        assertTrue(r.err().contains("broken.nc") && !r.err().contains("README.md"), r.err());
        Files.delete(dir.resolve("broken.nc"));
        Run clean = refcat("index", dir.toString(), "-o", out.toString(), "--json");
        assertEquals(0, clean.exit(), clean.err());
        assertTrue(clean.out().contains("\"status\":\"skipped\""), clean.out());
        Run named = refcat("index", dir.resolve("README.md").toString(), "-o", out.toString());
        assertEquals(1, named.exit(), "a file named on the command line is reported");
        assertTrue(named.err().contains("README.md") && named.err().contains("no NetCDF3, HDF5 or GRIB signature"),
                named.err());
        Files.delete(dir.resolve("a.nc"));
        Run onlyDocs = refcat("index", dir.toString(), "-o", out.toString());
        assertEquals(1, onlyDocs.exit());
        assertTrue(onlyDocs.err().contains("no data files found"), onlyDocs.err());
        assertTrue(Files.notExists(out.resolve("README.md.json")));
    }

    @Test
    void inputsThatWouldShareAReferenceFileAreRefusedNamingBothAndNothingIsWritten() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Path nc = Fixtures.netcdf3Files().get(0);
        Files.copy(nc, a.resolve("x.nc"));
        Files.copy(nc, b.resolve("x.nc"));
        Path out = tmp.resolve("refs");
        Run r = refcat("index", a.toString(), b.toString(), "--data", tmp.resolve("data").toString(), "--collection", "c");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(a.resolve("x.nc") + " and " + b.resolve("x.nc") + " would both be written to"), r.err());
        assertFalse(Files.exists(tmp.resolve("data/refs/c/x.nc.json")), "nothing overwritten, nothing written");
        Run o = refcat("index", nc.toString(), nc.toString(), "-o", out.toString());
        assertEquals(1, o.exit(), "a file named twice too: " + o.err());
    }

    @Test
    void referenceFilesFollowTheUmaskAndStaleTemporariesAreRemoved() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("refs"));
        Path stale = Files.writeString(out.resolve(".old.nc.json.k3j9.tmp"), "half a file from a killed run");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        Path fresh = Files.writeString(out.resolve(".busy.nc.json.x1.tmp"), "another run writing now");
        Path nc = Fixtures.netcdf3Files().get(0);
        Run r = refcat("index", nc.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(stale), "left by a run killed an hour ago: removed");
        assertTrue(Files.exists(fresh), "a temporary being written now is left alone");
        // the mode any file this user creates gets (the umask's), not createTempFile's owner-only one
        var expected = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain-file")));
        assertEquals(expected, Files.getPosixFilePermissions(out.resolve(nc.getFileName() + ".json")));
    }

    @Test
    void inputsComeFromAListFileAndAMissingListIsAUsageError() throws IOException {
        Path nc = Fixtures.netcdf3Files().get(0);
        Path list = Files.writeString(tmp.resolve("inputs.txt"), "# the archive\n" + nc + "   # one file\n\n");
        Run r = refcat("index", "--from-list", list.toString(), "-o", tmp.resolve("refs").toString(), "--parallel", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(tmp.resolve("refs").resolve(nc.getFileName() + ".json")));
        Run missing = refcat("index", "--from-list", tmp.resolve("nope.txt").toString(), "-o", tmp.resolve("refs").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--from-list: " + tmp.resolve("nope.txt") + " is not a readable file"), missing.err());
    }
}
