package io.refcat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code refcat serve} in a JVM of its own, on a free port of 127.0.0.1; closing it stops it. */
final class ServerProcess implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final Process process;
    final String base;
    final List<String> greeting = new ArrayList<>();

    private ServerProcess(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    /** Starts {@code refcat serve ARGS --port 0} with {@code jvmOptions}; the first output line names its address. */
    static ServerProcess start(List<String> jvmOptions, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Refcat.class.getName(), "serve"));
        cmd.addAll(List.of(args));
        if (!List.of(args).contains("--port")) {
            cmd.addAll(List.of("--port", "0"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(log == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        try {
            // A server that never greets (or never starts) fails the test instead of hanging the build.
            return CompletableFuture.supplyAsync(() -> greet(p)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            p.destroyForcibly();
            throw new AssertionError("serve did not start and greet within 60 s: " + e, e);
        }
    }

    private static ServerProcess greet(Process p) {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("refcat: serving ")) {
                throw new IllegalStateException("serve did not start: " + line);
            }
            int at = line.indexOf("http://");
            ServerProcess s = new ServerProcess(p, line.substring(at, line.indexOf("/zarr", at)));
            s.greeting.add(line);
            // The rest of the greeting follows at once: the web page, and a Python line if there are datasets.
            int more = line.startsWith("refcat: serving 0 ") ? 1 : 2;
            for (int i = 0; i < more && (line = out.readLine()) != null; i++) {
                s.greeting.add(line);
            }
            return s;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
