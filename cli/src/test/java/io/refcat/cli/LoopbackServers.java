package io.refcat.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Real servers the remote-archive tests read from, each a process on a free loopback port:
 * s3proxy (an S3-compatible server from Maven Central, keeping objects in a directory) and nginx
 * (Debian's, with Range support and directory listings). A test skips with a message where one is
 * missing; {@code .ci/run} installs nginx and the build fetches s3proxy.
 */
final class LoopbackServers {
    static final String S3_IDENTITY = "refcat-test-identity";
    static final String S3_SECRET = "refcat-test-secret-never-shown";

    private LoopbackServers() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port, Process p, Path log) throws IOException, InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IOException("server exited: " + (Files.exists(log) ? Files.readString(log) : ""));
                }
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("server did not listen on " + port + " within 30 s");
    }

    /** A running server process and its base URL; closing stops it. */
    record Running(Process process, String url) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** s3proxy with AWS v2/v4 authentication, objects kept under {@code dir}. */
    static Running s3proxy(Path dir) throws IOException, InterruptedException {
        return s3proxy(dir, false);
    }

    /** s3proxy over the objects under {@code dir}; {@code anonymous}: without authentication, as a public bucket. */
    static Running s3proxy(Path dir, boolean anonymous) throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: s3proxy is not at " + jar
                + " (the build's generate-test-resources phase fetches it)");
        int port = freePort();
        Files.createDirectories(dir.resolve("blobs"));
        String name = anonymous ? "s3proxy-anonymous" : "s3proxy";
        Path props = dir.resolve(name + ".properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                anonymous ? "s3proxy.authorization=none" : "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + S3_IDENTITY,
                "s3proxy.credential=" + S3_SECRET,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("blobs")) + "\n");
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitPort(port, p, log);
        return new Running(p, "http://127.0.0.1:" + port);
    }

    /** nginx serving {@code root} with directory listings (its own Range support, ETags and Last-Modified). */
    static Running nginx(Path root, Path dir) throws IOException, InterruptedException {
        Path nginx = Path.of("/usr/sbin/nginx");
        Assumptions.assumeTrue(Files.isExecutable(nginx), "skipped: nginx is not installed (Debian package nginx)");
        int port = freePort();
        Files.createDirectories(dir);
        Path conf = dir.resolve("nginx.conf");
        boolean root0 = "root".equals(System.getProperty("user.name"));
        Files.writeString(conf, (root0 ? "user root;\n" : "") + String.join("\n",
                "daemon off;", "worker_processes 1;", "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + ";",
                "events { worker_connections 256; }",
                "http {",
                "  access_log " + dir.resolve("access.log") + ";",
                "  client_body_temp_path " + dir.resolve("tmp-body") + ";",
                "  proxy_temp_path " + dir.resolve("tmp-proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("tmp-fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("tmp-uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("tmp-scgi") + ";",
                "  server { listen 127.0.0.1:" + port + "; root " + root.toAbsolutePath() + "; autoindex on; }",
                "}") + "\n");
        Path log = dir.resolve("nginx.out");
        Process p = new ProcessBuilder(List.of(nginx.toString(), "-e", dir.resolve("error.log").toString(),
                "-p", dir.toString(), "-c", conf.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitPort(port, p, log);
        return new Running(p, "http://127.0.0.1:" + port);
    }
}
