package io.refcat.cli;

import static io.refcat.cli.IndexCommandTest.refcat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GRIB index sidecars (wgrib2's {@code .idx}, ECMWF's {@code .index}, written here from ecCodes'
 * offsets): the references made from them equal a full scan's; a sidecar that does not match its
 * file is not trusted; and for large messages on a remote server only the section headers are
 * fetched, not the packed data.
 */
class GribSidecarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void sidecars(String kind, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Python.executable(),
                Fixtures.repoRoot().resolve("cli/src/test/python/grib_sidecars.py").toString(), kind));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, out);
    }

    private static void sameReferences(Path a, Path b, int atLeast) throws Exception {
        List<Path> files = InteropHarness.filesUnder(a);
        assertTrue(files.size() >= atLeast, files.toString());
        for (Path f : files) {
            assertEquals(JSON.readTree(f.toFile()), JSON.readTree(b.resolve(a.relativize(f).toString()).toFile()), f.toString());
        }
    }

    @Test
    void referencesFromSidecarsEqualAFullScanAndAStaleSidecarIsNotTrusted() throws Exception {
        Python.requireModules("eccodes");
        Path dir = tmp.resolve("grib");
        Files.createDirectories(dir);
        List<Path> gribs = new ArrayList<>();
        for (Path f : InteropHarness.filesUnder(Fixtures.dataDir().resolve("grib"))) {
            gribs.add(Files.copy(f, dir.resolve(f.getFileName().toString())));
        }
        sidecars("idx", gribs.toArray(Path[]::new));
        Path ecmwf = gribs.stream().filter(p -> p.toString().endsWith(".grib2")).findFirst().orElseThrow();
        Files.delete(Path.of(ecmwf + ".idx"));
        sidecars("index", ecmwf);
        // a stale inventory: every start shifted, as if the file had been rewritten since
        Path stale = gribs.stream().filter(p -> p.toString().endsWith(".grib2") && !p.equals(ecmwf)).findFirst().orElseThrow();
        List<String> shifted = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(stale + ".idx"))) {
            String[] f = line.split(":", 3);
            shifted.add(f[0] + ":" + (Long.parseLong(f[1]) + 8) + ":" + f[2]);
        }
        Files.write(Path.of(stale + ".idx"), shifted);

        IndexCommandTest.Run with = refcat("index", dir.toString(), "-o", tmp.resolve("with").toString());
        IndexCommandTest.Run without = refcat("index", dir.toString(), "-o", tmp.resolve("without").toString(), "--no-sidecar");
        assertEquals(without.exit(), with.exit(), with.err());
        sameReferences(tmp.resolve("without"), tmp.resolve("with"), 3);
    }

    @Test
    void largeRemoteMessagesAreReadHeadByHead() throws Exception {
        Python.requireModules("eccodes", "numpy");
        Path www = tmp.resolve("www");
        Files.createDirectories(www);
        Path big = www.resolve("big.grib2");
        sidecars("big", big, Path.of("4"));
        sidecars("index", big);
        try (LoopbackServers.Running nginx = LoopbackServers.nginx(www, tmp.resolve("nginx"))) {
            IndexCommandTest.Run with = refcat("index", nginx.url() + "/big.grib2", "-o", tmp.resolve("with").toString(), "--json");
            IndexCommandTest.Run without = refcat("index", nginx.url() + "/big.grib2", "-o", tmp.resolve("without").toString(),
                    "--json", "--no-sidecar");
            assertEquals(0, with.exit(), with.out() + with.err());
            assertEquals(0, without.exit(), without.out() + without.err());
            sameReferences(tmp.resolve("without"), tmp.resolve("with"), 1);
            long size = Files.size(big);
            JsonNode w = JSON.readTree(with.out().trim());
            JsonNode wo = JSON.readTree(without.out().trim());
            // the first read-ahead block (1 MiB, read as the format is recognised) and then only section headers
            long headers = w.get("bytes_read").asLong() - (1 << 20);
            assertTrue(headers < 4 * 16384, "only section headers: " + w + " of " + size);
            assertTrue(wo.get("bytes_read").asLong() > 2L * w.get("bytes_read").asLong(), "a walk reads much more: " + wo);
        }
    }
}
