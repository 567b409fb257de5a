package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell and Python snippet of the README, run as a newcomer would, so none can go stale:
 * the quick start (with the jar and launcher this build packaged) in a fresh directory holding
 * the repository's {@code fixtures} and {@code cli}, then each further snippet against the server
 * it started, then the Python line the server printed. Runs after {@code package} (failsafe).
 *
 * <p>Adjustments, and only these: the quick start's leading {@code ./mvnw … package &&} is not run
 * again (this build just did it), the test command ({@code ./mvnw verify}, which is running this
 * test) is checked against {@code .ci/run} instead of run, and port 8080 becomes a free port.
 */
class ReadmeIT {
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(sh|python)\\n(.*?)^```", Pattern.DOTALL);
    private static final String TEST_COMMAND = "./mvnw verify";

    @TempDir
    Path work;

    record Snippet(String language, String text) {
    }

    static List<Snippet> snippets(String readme) {
        List<Snippet> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            out.add(new Snippet(m.group(1), m.group(2).strip()));
        }
        return out;
    }

    @Test
    void everySnippetRunsAsWritten() throws Exception {
        Python.requireModules("xarray", "zarr", "fsspec", "aiohttp", "requests");
        Path repo = Fixtures.repoRoot();
        assertTrue(Files.isExecutable(repo.resolve("cli/target/refcat")), "the launcher is packaged beside the jar");
        List<Snippet> snippets = snippets(Files.readString(repo.resolve("README.md")));
        assertTrue(snippets.size() >= 5, "the README's snippets were found: " + snippets);
        Snippet quickStart = snippets.get(0);
        assertEquals(TEST_COMMAND, snippets.get(1).text(), "the second snippet is the test command");
        assertTrue(Files.readString(repo.resolve(".ci/run")).strip().endsWith(TEST_COMMAND),
                "CI runs exactly the README's test command");

        Files.createSymbolicLink(work.resolve("fixtures"), repo.resolve("fixtures"));
        Files.createSymbolicLink(work.resolve("cli"), repo.resolve("cli"));
        Path bin = Files.createDirectories(work.resolve(".bin"));
        Files.createSymbolicLink(bin.resolve("python3"), Path.of(Python.executable()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String start = quickStart.text();
        assertTrue(start.startsWith("./mvnw -q -DskipTests package && "), start);
        start = ports(start.substring("./mvnw -q -DskipTests package && ".length()), port) + " --port " + port;
        Process server = shell(start, bin).redirectErrorStream(false).redirectError(work.resolve("server.err").toFile())
                .start();
        try {
            List<String> greeting = greeting(server);
            assertTrue(greeting.get(greeting.size() - 2).contains("http://127.0.0.1:" + port + "/"), greeting.toString());
            String python = greeting.get(greeting.size() - 1);
            assertTrue(python.startsWith("python3 -c 'import xarray"), python);
            run(new Snippet("sh", python), bin);
            for (Snippet s : snippets.subList(2, snippets.size())) {
                run(new Snippet(s.language(), ports(s.text(), port)), bin);
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String ports(String text, int port) {
        return text.replace("127.0.0.1:8080", "127.0.0.1:" + port);
    }

    private ProcessBuilder shell(String script, Path bin) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(work.toFile());
        pb.environment().put("PATH", bin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        return pb;
    }

    /** Reads the server's output until the Python line it prints last, failing if it exits first. */
    private List<String> greeting(Process server) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
            if (line.startsWith("python3 -c")) {
                return lines;
            }
        }
        throw new AssertionError("the quick start ended without serving:\n" + String.join("\n", lines) + "\n"
                + Files.readString(work.resolve("server.err")));
    }

    private void run(Snippet s, Path bin) throws Exception {
        ProcessBuilder pb = s.language().equals("python")
                ? new ProcessBuilder(Python.executable(), "-c", s.text()).directory(work.toFile())
                : shell(s.text(), bin);
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + s.text());
        assertEquals(0, p.exitValue(), "README snippet failed:\n" + s.text() + "\n--- output:\n" + output);
    }
}
