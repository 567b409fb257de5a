package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.store.DecodeBudget;
import io.refcat.store.HostPolicy;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Absolute URLs never come from a forged Host header: without a public URL, a Host that does not
 * name this machine (or a name given with --allowed-host) is a 421 problem, before anything is
 * built from it; with one, every link names the public URL whatever Host says. Raw sockets, since
 * Java's HTTP client will not send a Host of the caller's choosing.
 */
class HostPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFS_PATH = "/refs/classic_types.nc.json";
    @TempDir
    static Path work;

    @BeforeAll
    static void index() {
        BatchIndexer batch = new BatchIndexer(new Indexer(ScanOptions.defaults()), loc -> FileByteSource.open(Path.of(loc)), 0);
        Path file = Fixtures.netcdf3Dir().resolve("classic_types.nc");
        assertTrue(batch.index(new BatchIndexer.Task(file, work.resolve("refs/classic_types.nc.json"))).ok());
    }

    private static Javalin serve(HostPolicy hosts) {
        return Server.create(new Server.Settings(new ReferenceDirectory(work.resolve("refs")),
                new SourceResolver(List.of(Fixtures.dataDir())), null, List.of(work), false, false, null,
                DecodeBudget.halfTheHeap(), hosts)).start("127.0.0.1", 0);
    }

    /** The status and body of a GET sent with this Host header. */
    private static String[] get(Javalin app, String host, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(9, 12);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunked(body);
            }
            return new String[] {status, body};
        }
    }

    private static String unchunked(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    @Test
    void aForeignHostIsRefusedAndThisMachinesNamesAreServed() throws Exception {
        Javalin app = serve(HostPolicy.of(null, List.of()));
        try {
            String[] forged = get(app, "evil.example", REFS_PATH);
            assertEquals("421", forged[0], forged[1]);
            assertEquals(421, JSON.readTree(forged[1]).get("status").asInt(), forged[1]);
            assertTrue(forged[1].contains("--public-url"), "the problem says what to do: " + forged[1]);
            assertFalse(forged[1].contains("files"), "nothing was built from the forged Host");
            String[] stac = get(app, "evil.example", "/stac/search");
            assertEquals("421", stac[0]);
            assertTrue(JSON.readTree(stac[1]).has("code") && JSON.readTree(stac[1]).has("description"),
                    "under /stac in the STAC API's shape too: " + stac[1]);
            for (String own : List.of("127.0.0.1:" + app.port(), "localhost:" + app.port(), "[::1]:" + app.port(), "localhost")) {
                String[] ok = get(app, own, REFS_PATH);
                assertEquals("200", ok[0], own + ": " + ok[1]);
                assertTrue(ok[1].contains("http://" + own + "/files/"), "links name the Host used: " + own);
            }
        } finally {
            app.stop();
        }
    }

    @Test
    void anAllowedHostIsServedAndStarAllowsAny() throws Exception {
        Javalin named = serve(HostPolicy.of(null, List.of("data.example.org")));
        Javalin any = serve(HostPolicy.of(null, List.of("*")));
        try {
            assertEquals("200", get(named, "DATA.example.org:8443", REFS_PATH)[0]);
            assertEquals("421", get(named, "other.example.org", REFS_PATH)[0]);
            assertEquals("200", get(any, "anything.example", REFS_PATH)[0]);
        } finally {
            named.stop();
            any.stop();
        }
    }

    @Test
    void aPublicUrlNamesEveryLinkWhateverTheHost() throws Exception {
        Javalin app = serve(HostPolicy.of("https://data.example.org/refcat", List.of()));
        try {
            String[] r = get(app, "evil.example", REFS_PATH);
            assertEquals("200", r[0], r[1]);
            assertTrue(r[1].contains("https://data.example.org/refcat/files/"), r[1]);
            assertFalse(r[1].contains("evil.example"), r[1]);
        } finally {
            app.stop();
        }
    }
}
