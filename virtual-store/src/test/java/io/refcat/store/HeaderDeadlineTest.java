package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.refcat.store.source.SourceResolver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client that trickles its headers (Slowloris) is cut off at the deadline; a prompt one is served. */
class HeaderDeadlineTest {

    @Test
    void headersTrickledPastTheDeadlineCloseTheConnection() throws Exception {
        Javalin app = StoreServer.create(DatasetCatalog.of(List.of()), new SourceResolver(List.of(Path.of("."))))
                .start("127.0.0.1", 0);
        try (Socket slow = new Socket("127.0.0.1", app.port()); Socket prompt = new Socket("127.0.0.1", app.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            boolean closed = false;
            // one byte every half second: each resets Jetty's idle timeout, none completes the headers
            while (!closed && System.nanoTime() - start < 30_000_000_000L) {
                Thread.sleep(500);
                try {
                    out.write('a');
                    out.flush();
                    slow.setSoTimeout(1);
                    closed = slow.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing to read yet: the connection is open
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(closed, "the connection was still open after 30 s of trickled headers");
            assertTrue(seconds >= HeaderDeadline.DEFAULT.toSeconds() - 1 && seconds <= HeaderDeadline.DEFAULT.toSeconds() + 3,
                    "closed after " + seconds + " s");
            OutputStream p = prompt.getOutputStream();
            p.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = prompt.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("HTTP/1.1 200", response.substring(0, 12), response);
        } finally {
            app.stop();
        }
    }
}
