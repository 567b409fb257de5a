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
        return runWith(launcher, null, args);
    }

    private static Process runWith(Path launcher, String javaOpts, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
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

    /**
     * The archive is static, not JDK 17's dynamic one, because only a static archive holds picocli's
     * classes (compiled for Java 5): parsing the command line is a third of a short job's start.
     */
    @Test
    void theCommandLineParserAndTheScannersComeFromTheArchive() throws Exception {
        Path target = Fixtures.repoRoot().resolve("cli/target");
        Path log = tmp.resolve("classes.log");
        Process p = runWith(target.resolve("refcat"), "-Xlog:class+load=info:file=" + log, "index",
                Fixtures.netcdf3Dir().resolve("classic_types.nc").toString(), "-o", tmp.resolve("out").toString());
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String loaded = Files.readString(log);
        for (String name : new String[] {"picocli.CommandLine", "io.refcat.cli.IndexCommand",
                "io.refcat.indexer.netcdf3.NetCdf3Scanner", "com.fasterxml.jackson.core.JsonFactory"}) {
            assertTrue(loaded.contains(" " + name + " source: shared objects file"), name + " is not from the archive");
        }
    }

    /** Short jobs start with a small heap; a user's own, smaller maximum replaces it rather than clashing. */
    @Test
    void aUsersHeapSizeWins() throws Exception {
        Path target = Fixtures.repoRoot().resolve("cli/target");
        Process p = runWith(target.resolve("refcat"), "-Xmx24m", "index",
                Fixtures.netcdf3Dir().resolve("classic_types.nc").toString(), "-o", tmp.toString());
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
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
