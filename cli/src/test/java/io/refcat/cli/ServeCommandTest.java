package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refcat serve}'s arguments and settings file; serving itself is ServeLiveTest and ServeUnderLoadTest. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingRefsDirectoryIsAUsageError() {
        IndexCommandTest.Run r = IndexCommandTest.refcat("serve", "--refs", tmp.resolve("nope").toString(), "--port", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not a directory"), r.err());
        assertTrue(r.err().contains("Try 'refcat serve --help'"), r.err());
        assertTrue(!r.err().contains("Usage:"), "a usage error is one line and a hint, not the whole usage: " + r.err());
    }

    @Test
    void refsAreRequired() {
        assertEquals(2, IndexCommandTest.refcat("serve", "--port", "0").exit());
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsage() {
        for (String command : List.of("index", "combine", "search", "serve", "remove")) {
            for (String flag : List.of("--help", "-h")) {
                IndexCommandTest.Run r = IndexCommandTest.refcat(command, flag);
                assertEquals(0, r.exit(), command + " " + flag + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: refcat " + command), r.out());
            }
            IndexCommandTest.Run help = IndexCommandTest.refcat("help", command);
            assertEquals(0, help.exit(), help.err());
            assertTrue(help.out().startsWith("Usage: refcat " + command), help.out());
        }
        assertTrue(IndexCommandTest.refcat("--help").out().contains("remove"));
    }

    @Test
    void settingsComeFromATomlYamlOrPropertiesFileAndFlagsWin() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path toml = Files.writeString(tmp.resolve("refcat.toml"), "data = \"" + data + "\"\nport = 0\n"
                + "root = [\"" + tmp + "\"]\nrequest-log = false\n");
        Path yaml = Files.writeString(tmp.resolve("refcat.yaml"), "data: " + data + "\nport: 0\nexpose-paths: true\n");
        Path props = Files.writeString(tmp.resolve("refcat.properties"), "data=" + data + "\nport=0\nroot=" + tmp + ","
                + data + "\n");
        for (Path config : List.of(toml, yaml, props)) {
            try (ServerProcess s = ServerProcess.start(List.of(), null, "--config", config.toString())) {
                assertTrue(s.greeting.get(0).startsWith("refcat: serving 0 datasets"), s.greeting.toString());
                assertEquals(200, s.get("/health").statusCode());
            }
        }
        try (ServerProcess s = ServerProcess.start(List.of(), null, "--config", toml.toString(), "--port", "0",
                "--data", Files.createDirectories(tmp.resolve("other")).toString())) {
            assertEquals(200, s.get("/stac").statusCode(), "the flag's --data wins over the file's");
        }
    }

    @Test
    void aBadSettingsFileIsAUsageErrorNamingTheProblem() throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.toml"), "prot = 8080\n");
        IndexCommandTest.Run r = IndexCommandTest.refcat("serve", "--config", typo.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown setting 'prot'"), r.err());
        IndexCommandTest.Run missing = IndexCommandTest.refcat("serve", "--config", tmp.resolve("none.toml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path broken = Files.writeString(tmp.resolve("broken.toml"), "port = [\n");
        assertEquals(2, IndexCommandTest.refcat("serve", "--config", broken.toString()).exit());
    }

    @Test
    void theDocumentedSettingsFileIsValid() throws Exception {
        Path example = io.refcat.fixtures.Fixtures.repoRoot().resolve("docs/refcat.toml");
        List<String> args = ConfigFile.settings(Refcat.commandLine().getSubcommands().get("serve").getCommandSpec(),
                example, List.of());
        assertTrue(args.containsAll(List.of("--data", "/srv/refcat", "--root", "/archive", "--port", "8080", "--public-url",
                "https://data.example.org")), args.toString());
        assertTrue(Files.readString(io.refcat.fixtures.Fixtures.repoRoot().resolve("docs/refcat.service")
                .toAbsolutePath()).contains("serve --config /etc/refcat/refcat.toml"));
    }

    @Test
    void removeRefusesWhatIsNotADatasetIdAndADirectoryWithoutCatalogue() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, IndexCommandTest.refcat("index", io.refcat.fixtures.Fixtures.netcdf3Dir()
                .resolve("classic_types.nc").toString(), "--data", data.toString(), "--collection", "c").exit());
        for (String bad : List.of("../c/classic_types.nc", "c/../../etc/passwd", "/c/classic_types.nc", "c/.hidden",
                "nocollection")) {
            IndexCommandTest.Run r = IndexCommandTest.refcat("remove", "--data", data.toString(), bad);
            assertEquals(1, r.exit(), bad);
            assertTrue(r.err().contains("is not a dataset id"), r.err());
        }
        assertTrue(Files.exists(data.resolve("refs/c/classic_types.nc.json")), "nothing was removed");
        IndexCommandTest.Run none = IndexCommandTest.refcat("remove", "--data", tmp.resolve("empty").toString(), "c/x");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("holds no catalogue"), none.err());
        assertEquals(0, IndexCommandTest.refcat("remove", "--data", data.toString(), "c/classic_types.nc").exit());
        assertTrue(Files.notExists(data.resolve("refs/c/classic_types.nc.json")));
    }
}
