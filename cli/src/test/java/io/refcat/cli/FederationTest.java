package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.refcat.fixtures.Fixtures;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code refcat serve} nodes on loopback, each with its own data directory and
 * datasets, seeded in a chain (B knows A, C knows B), plus hostile and slow peers played by small
 * servers in the test: every node learns every node; a federated search merges, pages and names
 * who answered; a stopped node is named and a restarted one rejoins; forged peer lists, admin
 * calls without the token and metadata-service URLs are refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret";

    @TempDir
    static Path tmp;
    static final List<Node> nodes = new ArrayList<>();

    record Node(String name, Path data, int port, ServerProcess[] server) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws Exception {
            server[0] = ServerProcess.start(List.of("-Xmx192m"), tmp.resolve(name + ".log"), "--data", data.toString(),
                    "--root", Fixtures.dataDir().toString(), "--port", Integer.toString(port), "--node-name", name,
                    "--public-url", url(), "--gossip-seconds", "1", "--federation-timeout-ms", "1500",
                    "--admin-token", TOKEN, "--no-request-log");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path f = Fixtures.dataDir();
        String[][] datasets = {{"netcdf3/classic_types.nc", "netcdf3/cdf5_types.nc"}, {"catalogue"},
            {"grib/lambert.grib2", "grib/ensemble.grib1"}};
        String[] names = {"site-a", "site-b", "site-c"};
        for (int i = 0; i < 3; i++) {
            Path data = tmp.resolve(names[i]);
            List<String> args = new ArrayList<>(List.of("index"));
            for (String d : datasets[i]) {
                args.add(f.resolve(d).toString());
            }
            args.addAll(List.of("--data", data.toString(), "--collection", names[i]));
            assertEquals(0, IndexCommandTest.refcat(args.toArray(new String[0])).exit());
            nodes.add(new Node(names[i], data, freePort(), new ServerProcess[1]));
        }
        // one seed each, before serve: B knows A, C knows B
        assertEquals(0, IndexCommandTest.refcat("peers", "add", nodes.get(0).url(), "--data", nodes.get(1).data().toString()).exit());
        assertEquals(0, IndexCommandTest.refcat("peers", "add", nodes.get(1).url(), "--data", nodes.get(2).data().toString()).exit());
        for (Node n : nodes) {
            n.start();
        }
    }

    @AfterAll
    static void stop() {
        for (Node n : nodes) {
            if (n.server()[0] != null) {
                n.server()[0].close();
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static JsonNode get(String url) throws Exception {
        HttpResponse<byte[]> r = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), url + ": " + new String(r.body()));
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> post(String url, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return ServerProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 30 s: " + what);
    }

    static Set<String> upPeers(Node n) {
        try {
            Set<String> up = new HashSet<>();
            for (JsonNode p : get(n.url() + "/federation/peers")) {
                if (p.path("status").asText().equals("up")) {
                    up.add(p.path("url").asText());
                }
            }
            return up;
        } catch (Exception e) {
            return Set.of();
        }
    }

    @Test
    @Order(1)
    void fromOneSeedEveryNodeLearnsEveryNode() throws Exception {
        for (Node n : nodes) {
            Set<String> others = new HashSet<>();
            nodes.stream().filter(o -> o != n).forEach(o -> others.add(o.url()));
            eventually(n.name() + " knows " + others + " as up", () -> upPeers(n).equals(others));
        }
        JsonNode node = get(nodes.get(0).url() + "/federation/node");
        assertEquals("site-a", node.path("name").asText());
        assertFalse(node.path("public_key").asText().isEmpty());
        assertFalse(node.toString().contains("private"), "the private key stays home");
    }

    @Test
    @Order(2)
    void aFederatedSearchMergesEveryNodeInOrderAcrossPages() throws Exception {
        int total = 0;
        for (Node n : nodes) {
            total += get(n.url() + "/stac/search?limit=1").path("numberMatched").asInt();
        }
        List<String> seen = new ArrayList<>();
        String next = nodes.get(2).url() + "/federation/search?limit=3";
        while (next != null) {
            JsonNode page = get(next);
            assertEquals(3, page.path("federation").path("answered").size(), page.path("federation").toString());
            for (JsonNode item : page.path("features")) {
                seen.add(item.path("collection").asText() + "/" + item.path("id").asText());
                String origin = item.path("properties").path("refcat:node_url").asText();
                assertTrue(item.path("assets").path("zarr").path("href").asText().startsWith(origin + "/zarr/"),
                        "asset links are absolute to the origin");
            }
            next = null;
            for (JsonNode l : page.path("links")) {
                if (l.path("rel").asText().equals("next")) {
                    next = l.path("href").asText();
                }
            }
        }
        assertEquals(total, seen.size(), "every item of every node: " + seen);
        assertEquals(seen.stream().sorted().toList(), seen, "in the query's order (collection, id)");
        assertEquals(total, new HashSet<>(seen).size(), "no item twice");

        // POST, with a filter, as STAC clients send it; the origin's Zarr URL serves the dataset
        HttpResponse<String> r = post(nodes.get(0).url() + "/federation/search",
                "{\"collections\": [\"site-c\"], \"limit\": 10}", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode found = JSON.readTree(r.body());
        assertEquals(2, found.path("features").size());
        String zarr = found.path("features").get(0).path("assets").path("zarr").path("href").asText();
        // the STAC item search federates too, with a federation parameter
        JsonNode viaStac = get(nodes.get(0).url() + "/stac/search?federation=all&collections=site-c");
        assertEquals(2, viaStac.path("features").size(), viaStac.toString());
        assertEquals(3, viaStac.path("federation").path("answered").size());
        HttpResponse<String> viaStacPost = post(nodes.get(0).url() + "/stac/search",
                "{\"federation\": \"" + nodes.get(2).url() + "\", \"collections\": [\"site-c\"]}", null);
        assertEquals(2, JSON.readTree(viaStacPost.body()).path("features").size(), viaStacPost.body());
        assertEquals(0, get(nodes.get(0).url() + "/stac/search?collections=site-c").path("features").size(),
                "without the parameter the search stays local");
        // the aggregation too: facet counts over every site
        JsonNode agg = get(nodes.get(1).url() + "/stac/aggregate?federation=all&aggregations=total_count,collection_frequency");
        assertEquals(total, agg.path("aggregations").get(0).path("value").asInt(), agg.toString());
        assertEquals(3, agg.path("aggregations").get(1).path("buckets").size(), agg.toString());
        assertEquals(3, agg.path("federation").path("answered").size());
        assertTrue(zarr.startsWith(nodes.get(2).url()), zarr);
        assertEquals(1, get(zarr + "/.zmetadata").path("zarr_consolidated_format").asInt());
        // and a scientist's client opens it there, values and all
        io.refcat.fixtures.Python.requireModules("xarray", "zarr");
        Process py = new ProcessBuilder(io.refcat.fixtures.Python.executable(), "-c",
                "import sys, xarray as xr; ds = xr.open_zarr(sys.argv[1], consolidated=True, decode_times=False); ds.load();"
                        + " print(len(ds.variables))", zarr).redirectErrorStream(true).start();
        String out = new String(py.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(py.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && py.exitValue() == 0, out);
        assertTrue(Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).trim()) > 0, out);
    }

    @Test
    @Order(3)
    void theCommandLineSearchesTheFederationToo() throws Exception {
        IndexCommandTest.Run r = IndexCommandTest.refcat("search", "--data", nodes.get(0).data().toString(), "--federated",
                "--limit", "50");
        assertEquals(0, r.exit(), r.err());
        for (String site : List.of("site-a", "site-b", "site-c")) {
            assertTrue(r.out().contains(site + "/"), site + " in:\n" + r.out());
        }
        assertTrue(r.out().contains("from 3 sites"), r.out());
    }

    @Test
    @Order(3)
    void aSlowPeerIsNamedAndDoesNotHoldTheAnswerPastTheDeadline() throws Exception {
        Javalin slow = Javalin.create().get("/", ctx -> ctx.json(java.util.Map.of("type", "Catalog", "id", "slow",
                "stac_version", "1.0.0", "conformsTo", List.of()))).get("/search", ctx -> {
                    Thread.sleep(6000);
                    ctx.json(java.util.Map.of("type", "FeatureCollection", "features", List.of()));
                }).start("127.0.0.1", 0);
        try {
            String url = "http://127.0.0.1:" + slow.port();
            HttpResponse<String> added = post(nodes.get(0).url() + "/federation/peers", "{\"url\": \"" + url + "\"}", TOKEN);
            assertEquals(201, added.statusCode(), added.body());
            assertEquals("stac", JSON.readTree(added.body()).path("kind").asText(), "a plain STAC API is a read-only peer");
            long t0 = System.nanoTime();
            JsonNode page = get(nodes.get(0).url() + "/federation/search?limit=5");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(page.path("federation").path("timed_out").toString().contains(url), page.path("federation").toString());
            assertEquals(5, page.path("features").size(), "the others' results come anyway");
            assertTrue(ms < 4500, "answered in " + ms + " ms with a 1.5 s deadline, not after the slow peer's 6 s");
        } finally {
            slow.stop();
        }
    }

    @Test
    @Order(4)
    void aStoppedNodeIsNamedAndARestartedNodeRejoins() throws Exception {
        Node c = nodes.get(2);
        c.server()[0].close();
        JsonNode page = get(nodes.get(0).url() + "/federation/search?limit=50&peers=" + nodes.get(1).url() + "," + c.url());
        JsonNode fed = page.path("federation");
        assertTrue(fed.path("failed").toString().contains(c.url()) || fed.path("timed_out").toString().contains(c.url()),
                "the stopped node is named: " + fed);
        for (JsonNode item : page.path("features")) {
            assertFalse(item.path("collection").asText().equals("site-c"));
        }
        eventually("A sees C down", () -> !upPeers(nodes.get(0)).contains(c.url()));
        c.start();
        eventually("A sees C up again", () -> upPeers(nodes.get(0)).contains(c.url()));
    }

    static long harvested(Node by, Node of) {
        try {
            for (JsonNode p : get(by.url() + "/federation/peers")) {
                if (p.path("url").asText().equals(of.url())) {
                    return p.path("harvested").asLong(-1);
                }
            }
        } catch (Exception e) {
            // not yet
        }
        return -1;
    }

    @Test
    @Order(6)
    void aSubscriberAnswersForAPeerThatIsDownAndFollowsItsDeletes() throws Exception {
        Node a = nodes.get(0);
        Node c = nodes.get(2);
        JsonNode feed = get(c.url() + "/federation/changes?after=0");
        assertEquals(2, feed.path("changes").size(), feed.toString());
        long seq = feed.path("next").asLong();
        HttpResponse<String> sub = post(a.url() + "/federation/peers", "{\"url\": \"" + c.url() + "\", \"subscribe\": \"site-*\"}", TOKEN);
        assertEquals(201, sub.statusCode(), sub.body());
        eventually("A harvests C's feed", () -> harvested(a, c) >= seq);

        assertEquals(0, IndexCommandTest.refcat("remove", "--data", c.data().toString(), "site-c/lambert.grib2").exit());
        eventually("A applies C's delete", () -> harvested(a, c) > seq);

        // a restarted subscriber resumes where it stopped, its replica kept
        long before = harvested(a, c);
        a.server()[0].close();
        a.start();
        assertTrue(harvested(a, c) >= before, "resumes at " + harvested(a, c) + ", not from the start");

        c.server()[0].close();
        eventually("A sees C down", () -> !upPeers(a).contains(c.url()));
        JsonNode page = get(a.url() + "/federation/search?limit=50&peers=" + c.url());
        List<String> ids = new ArrayList<>();
        for (JsonNode item : page.path("features")) {
            if (item.path("collection").asText().equals("site-c")) {
                ids.add(item.path("id").asText());
                assertEquals("site-c", item.path("properties").path("refcat:node").asText());
            }
        }
        assertEquals(List.of("ensemble.grib1"), ids, "C's items as replicated on A, the deleted one gone: " + page);
        assertTrue(page.path("federation").path("failed").toString().contains("replicated"), page.path("federation").toString());
        c.start();
    }

    @Test
    @Order(7)
    void aPlainStacApiIsHarvestedByItsUpdatedTimes() throws Exception {
        Node a = nodes.get(0);
        List<java.util.Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(java.util.Map.of("type", "Feature", "stac_version", "1.0.0", "id", "plain-" + i, "collection", "plain",
                    "geometry", java.util.Map.of("type", "Point", "coordinates", List.of(i, i)), "bbox", List.of(i, i, i, i),
                    "properties", java.util.Map.of("datetime", "2020-01-0" + (i + 1) + "T00:00:00Z",
                            "updated", "2024-05-0" + (i + 1) + "T00:00:00Z"),
                    "links", List.of(java.util.Map.of("rel", "collection", "href", "/collections/plain")), "assets", java.util.Map.of()));
        }
        // not a STAC item (no datetime): never stored
        items.add(java.util.Map.of("type", "Feature", "stac_version", "1.0.0", "id", "plain-broken", "collection", "plain",
                "geometry", java.util.Map.of("type", "Point", "coordinates", List.of(0, 0)), "bbox", List.of(0, 0, 0, 0),
                "properties", java.util.Map.of("updated", "2024-05-01T00:00:00Z"),
                "links", List.of(java.util.Map.of("rel", "collection", "href", "/collections/plain")), "assets", java.util.Map.of()));
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Javalin plain = Javalin.create().get("/", ctx -> ctx.json(java.util.Map.of("type", "Catalog", "id", "plain",
                "stac_version", "1.0.0", "conformsTo", List.of()))).get("/search", ctx -> {
                    asked.add(ctx.queryString() == null ? "" : ctx.queryString());
                    ctx.json(java.util.Map.of("type", "FeatureCollection", "features", items, "links", List.of()));
                }).start("127.0.0.1", 0);
        String url = "http://127.0.0.1:" + plain.port();
        try {
            HttpResponse<String> sub = post(a.url() + "/federation/peers", "{\"url\": \"" + url + "\", \"subscribe\": \"*\"}", TOKEN);
            assertEquals(201, sub.statusCode(), sub.body());
            assertEquals("stac", JSON.readTree(sub.body()).path("kind").asText());
            try {
                eventually("A harvests the STAC API", () -> asked.stream().anyMatch(q -> q.contains("filter")));
            } catch (AssertionError e) {
                String log = java.nio.file.Files.readString(tmp.resolve("site-a.log"));
                throw new AssertionError(e.getMessage() + "; asked " + asked + "; log:\n"
                        + log.substring(Math.max(0, log.length() - 3000)), e);
            }
            assertTrue(asked.get(0).contains("sortby=%2Bproperties.updated"), asked.toString());
            assertTrue(asked.stream().anyMatch(q -> q.contains("2024-05-03")), "goes on from the latest updated: " + asked);
        } finally {
            plain.stop();
        }
        eventually("A sees the STAC API down", () -> !upPeers(a).contains(url) && get0(a.url() + "/federation/peers").contains(url));
        JsonNode page = get(a.url() + "/federation/search?limit=10&peers=" + url);
        List<String> ids = new ArrayList<>();
        page.path("features").forEach(f -> {
            if (f.path("collection").asText().equals("plain")) {
                ids.add(f.path("id").asText());
            }
        });
        assertEquals(List.of("plain-0", "plain-1", "plain-2"), ids, page.toString());
        assertTrue(java.nio.file.Files.readString(tmp.resolve("site-a.log"))
                .contains("item plain/plain-broken left out: properties.datetime is missing"), "the invalid item is named in the log");
    }

    static String get0(String url) {
        try {
            return get(url).toString();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    @Order(5)
    void forgedPeerListsAndUnauthorisedCallsAddNothing() throws Exception {
        KeyPair pinned = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String planted = "http://127.0.0.1:" + freePort();
        // a node whose peer list is signed with a key other than the one it shows
        Javalin forger = Javalin.create().get("/federation/node", ctx -> ctx.json(java.util.Map.of("id", "forger",
                "name", "forger", "public_key", Base64.getEncoder().encodeToString(pinned.getPublic().getEncoded()))))
                .get("/federation/peers", ctx -> {
                    String body = "[{\"url\": \"" + planted + "\"}]";
                    String ts = Instant.now().toString();
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(other.getPrivate());
                    s.update((ctx.header("Refcat-Nonce") + "\n" + ts + "\n" + body).getBytes());
                    ctx.header("Refcat-Timestamp", ts).header("Refcat-Signature",
                            Base64.getEncoder().encodeToString(s.sign())).result(body);
                }).start("127.0.0.1", 0);
        try {
            String forgerUrl = "http://127.0.0.1:" + forger.port();
            HttpResponse<String> added = post(nodes.get(0).url() + "/federation/peers", "{\"url\": \"" + forgerUrl + "\"}", TOKEN);
            assertEquals(201, added.statusCode(), added.body());
            JsonNode peer = JSON.readTree(added.body());
            assertEquals("down", peer.path("status").asText());
            assertTrue(peer.path("reason").asText().contains("not signed by the key pinned"), peer.toString());
            Thread.sleep(2500);
            assertFalse(get(nodes.get(0).url() + "/federation/peers").toString().contains(planted),
                    "a forged list adds no peer");
        } finally {
            forger.stop();
        }
        // an unsigned introduction adds nothing either
        HttpResponse<String> unsigned = ServerProcess.HTTP.send(HttpRequest.newBuilder(URI.create(nodes.get(0).url()
                + "/federation/peers")).header("Refcat-From", planted).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, unsigned.statusCode());
        assertFalse(get(nodes.get(0).url() + "/federation/peers").toString().contains(planted));

        assertEquals(401, post(nodes.get(0).url() + "/federation/peers", "{\"url\": \"http://127.0.0.1:1\"}", null).statusCode());
        assertEquals(401, post(nodes.get(0).url() + "/federation/peers", "{\"url\": \"http://127.0.0.1:1\"}", "wrong").statusCode());
        HttpResponse<String> metadata = post(nodes.get(0).url() + "/federation/peers",
                "{\"url\": \"http://169.254.169.254/latest/meta-data\"}", TOKEN);
        assertEquals(400, metadata.statusCode());
        assertTrue(metadata.body().contains("169.254.169.254"), metadata.body());
        assertEquals(1, IndexCommandTest.refcat("peers", "add", "http://169.254.169.254", "--data",
                tmp.resolve("offline").toString()).exit(), "peers add refuses it too");
    }
}
