package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher: its class-data archive is made by the build and taken without a word. */
class LauncherIT {
    @TempDir
    Path tmp;

    private static Process run(Path launcher, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher did not finish");
        return p;
    }

    @Test
    void indexesWithTheArchiveAndSaysNothingOfIt() throws Exception {
        Path target = Fixtures.repoRoot().resolve("cli/target");
        assertTrue(Files.isRegularFile(target.resolve("refcat.jsa")), "the build made the class-data archive");
        Process p = run(target.resolve("refcat"), "index", Fixtures.netcdf3Dir().resolve("classic_types.nc").toString(),
                "-o", tmp.toString());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertFalse(err.contains("cds") || err.contains("warning"), "no JVM messages: " + err);
        assertTrue(Files.isRegularFile(tmp.resolve("classic_types.nc.json")));
    }

    @Test
    void aStaleArchiveIsIgnoredWithoutAWord() throws Exception {
        // a copy of the launcher and jar beside an archive made for another jar
        Path target = Fixtures.repoRoot().resolve("cli/target");
        Files.copy(target.resolve("refcat"), tmp.resolve("refcat"));
        tmp.resolve("refcat").toFile().setExecutable(true);
        Files.copy(target.resolve("refcat.jar"), tmp.resolve("refcat.jar"));
        Files.write(tmp.resolve("refcat.jsa"), new byte[] {1, 2, 3});
        Process p = run(tmp.resolve("refcat"), "--version");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err.strip());
        assertEquals("refcat 0.1.0", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
}
