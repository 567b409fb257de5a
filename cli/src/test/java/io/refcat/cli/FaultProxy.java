package io.refcat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real server, injecting faults per connection: it answers
 * a number of connections itself with an error status (throttling: 503, 429; or a 403), cuts
 * responses short, or delays them. Being below HTTP, it leaves requests untouched, so S3
 * signatures stay valid.
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    /** Connections still to be answered with {@link #status} instead of being forwarded. */
    final AtomicInteger failing = new AtomicInteger();
    volatile int status = 503;
    /** Connections still to have their response cut after {@link #cutAfter} bytes. */
    final AtomicInteger truncating = new AtomicInteger();
    volatile int cutAfter = 200;
    /** Delay before forwarding each connection's data, in ms. */
    volatile int delayMs;
    final AtomicInteger connections = new AtomicInteger();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                connections.incrementAndGet();
                pool.execute(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Closes every connection clients hold: a fault armed next then meets their next request,
     * instead of a kept-alive connection that would pass it by.
     */
    void dropConnections() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        open.clear();
    }

    private void handle(Socket client) {
        try (client) {
            if (failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                client.getInputStream().read(new byte[8192]); // the request's head
                String reason = status == 403 ? "Forbidden" : status == 429 ? "Too Many Requests" : "Slow Down";
                String body = "<Error><Code>" + (status == 503 ? "SlowDown" : status == 403 ? "AccessDenied" : "TooManyRequests")
                        + "</Code><Message>injected</Message></Error>";
                client.getOutputStream().write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\n"
                        + "Retry-After: 0\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            boolean cut = truncating.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                pool.execute(() -> pump(client, upstream, Long.MAX_VALUE));
                pump(upstream, client, cut ? cutAfter : Long.MAX_VALUE);
            }
        } catch (IOException | InterruptedException e) {
            // the connection ends: that is what a fault looks like to the client
        } finally {
            open.remove(client);
        }
    }

    private static void pump(Socket from, Socket to, long limit) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16384];
            long sent = 0;
            int n;
            while (sent < limit && (n = in.read(buf)) > 0) {
                int k = (int) Math.min(n, limit - sent);
                out.write(buf, 0, k);
                out.flush();
                sent += k;
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                to.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
