package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.parquet.ParquetReferences;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CombineCommandTest {

    @TempDir
    Path tmp;

    private static String mismatch() {
        return Fixtures.dataDir().resolve("combine/mismatch").toString();
    }

    @Test
    void filesAndVariablesThatCannotJoinAreReportedAndTheRestIsCombined() throws IOException {
        Path out = tmp.resolve("combined.json");
        IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--concat-dim", "time", mismatch(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("c.nc: variable 'temp': dtype <f8 where the first file has <f4"), r.err());
        assertTrue(r.err().contains("variable 'wind' left out: cannot be combined along 'time'"), r.err());
        assertTrue(r.out().contains("combined 2 of 3 inputs"), r.out());
        ReferenceSet set = KerchunkJson.read(Files.readAllBytes(out));
        assertTrue(set.get("temp/5.0.0").isPresent());
        assertFalse(set.get("wind/.zarray").isPresent());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(out), left.toList(), "only the output is left beside it");
        }
    }

    @Test
    void unreadableReferencesAndUnindexableFilesAreReportedAndTheRestIsCombined() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        try (Stream<Path> days = Files.list(Fixtures.dataDir().resolve("combine/netcdf4"))) {
            for (Path day : days.toList()) {
                Files.copy(day, in.resolve(day.getFileName()));
            }
        }
        Files.writeString(in.resolve("zz_broken.json"), "{\"version\": 1, \"refs\": [");
        Files.copy(Fixtures.dataDir().resolve("bad/netcdf3/cut_in_half.nc"), in.resolve("zz_cut_in_half.nc"));
        Path out = tmp.resolve("out/combined.json");
        IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--concat-dim", "time", in.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("zz_broken.json: cannot be read"), r.err());
        assertTrue(r.err().contains("zz_cut_in_half.nc"), r.err());
        assertTrue(r.out().contains("combined 4 of 6 inputs"), r.out());
        assertEquals(18, KerchunkJson.read(Files.readAllBytes(out)).refs().keySet().stream()
                .filter(k -> k.startsWith("temp/") && !k.contains(".z")).count(), "every day of the good files");
    }

    @Test
    void strictRunsFailWithoutWritingAnything() {
        Path out = tmp.resolve("combined.json");
        IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--strict", "--concat-dim", "time", mismatch(),
                "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("combine failed") && r.err().contains("c.nc"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void coordinateValuesFromFileNames() throws IOException {
        Path out = tmp.resolve("steps");
        IndexCommandTest.Run r = IndexCommandTest.refcat("combine", "--concat-dim", "step", "--coord",
                "step=regex:step(\\d+)", Fixtures.dataDir().resolve("combine/grib").toString(), "-o", out.toString(),
                "--format", "parquet");
        assertEquals(0, r.exit(), r.err());
        ReferenceSet set = ParquetReferences.read(out);
        byte[] step = ((Reference.Inline) set.get("step/0").orElseThrow()).data();
        ByteBuffer b = ByteBuffer.wrap(step).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(List.of(0L, 6L, 12L, 18L), List.of(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
        String attrs = new String(((Reference.Inline) set.get("step/.zattrs").orElseThrow()).data(), StandardCharsets.UTF_8);
        assertTrue(attrs.contains("\"units\":\"hours\""), "the files' own step attributes are kept: " + attrs);
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : List.of(
                new String[] {"combine", "--concat-dim", "time", "--coord", "time=nonsense", mismatch(), "-o", "x.json"},
                new String[] {"combine", "--concat-dim", "time", "--format", "csv", mismatch(), "-o", "x.json"},
                new String[] {"combine", "--concat-dim", "time", "--coord", "step=var", mismatch(), "-o", "x.json"},
                new String[] {"combine", mismatch(), "-o", "x.json"})) {
            assertEquals(2, IndexCommandTest.refcat(args).exit(), String.join(" ", args));
        }
    }

    /**
     * Ten thousand reference sets of twenty variables each combine in a JVM limited to 64 MiB of
     * heap: memory follows the budget and the per-file summary, not the 200,000 references.
     */
    @Test
    void tenThousandFilesCombineInASmallHeap() throws Exception {
        int files = 10_000;
        int variables = 20;
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < files; i++) {
            try (OutputStream o = Files.newOutputStream(in.resolve(String.format("day%05d.json", i)))) {
                KerchunkJson.write(syntheticDay(i, variables), o);
            }
        }
        Path out = tmp.resolve("all.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Refcat.class.getName(), "combine",
                "--concat-dim", "time", "--memory-budget", "8", in.toString(), "-o", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "combine did not finish");
        assertEquals(0, p.exitValue(), log);
        ReferenceSet set = KerchunkJson.read(Files.readAllBytes(out));
        assertEquals(files * variables + 1 + 2 * (variables + 1) + 2, set.size());
        assertEquals(new Reference.Range("file:///archive/day09999.nc", 4096 + 19 * 80, 80),
                set.get("v19/9999.0").orElseThrow());
    }

    /** One day of a made-up archive: an inline time value and variables pointing into the day's file. */
    static ReferenceSet syntheticDay(int day, int variables) {
        List<VirtualArray> arrays = new ArrayList<>();
        byte[] time = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(day).array();
        arrays.add(new VirtualArray("time", ZarrArrayMetadata.uncompressed(List.of(1L), List.of(1),
                new DType('<', 'f', 8), null), Map.of("units", "days since 2000-01-01"), List.of("time"),
                new TreeMap<>(Map.of("0", new Reference.Inline(time)))));
        String url = String.format("file:///archive/day%05d.nc", day);
        for (int v = 0; v < variables; v++) {
            arrays.add(new VirtualArray("v" + v, ZarrArrayMetadata.uncompressed(List.of(1L, 20L), List.of(1, 20),
                    new DType('<', 'f', 4), Double.NaN), Map.of("units", "1"), List.of("time", "x"),
                    new TreeMap<>(Map.of("0.0", new Reference.Range(url, 4096 + v * 80L, 80)))));
        }
        return new VirtualDataset(Map.of(), arrays, new TreeMap<>(Map.of(url, new ReferenceSet.SourceInfo(8192))))
                .toReferenceSet();
    }
}
