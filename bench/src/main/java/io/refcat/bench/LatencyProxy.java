package io.refcat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback that holds every chunk of bytes going to the server for a fixed time
 * before forwarding it: each request reaches the server that much later, as a request to an object
 * store in another building does. Below HTTP, so S3 signatures stay valid.
 */
final class LatencyProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final long delayMs;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "latency-proxy");
        t.setDaemon(true);
        return t;
    });

    LatencyProxy(int upstreamPort, long delayMs) throws IOException {
        this.upstreamPort = upstreamPort;
        this.delayMs = delayMs;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        pool.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pool.execute(() -> pipe(client, upstream, delayMs));
                pool.execute(() -> pipe(upstream, client, 0));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to, long delayMs) {
        byte[] buf = new byte[64 << 10];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                if (delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            // either side closed: both sockets are closed on the way out
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
