package io.refcat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.cli.Refcat;
import io.refcat.federation.Peers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The federation at work: a federated search over 5 nodes (separate JVMs) against a local search
 * on the same node, and over 20 nodes (in this JVM), latency p50/p99 as one client sees it; and
 * how fast a node replicates a peer's catalogue of 100,000 items from its change feed.
 *
 * <p>usage: FederationBench WORK OUT.md ITEMS_PER_NODE QUERIES REPLICATED_ITEMS
 */
public final class FederationBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Where the 20-node rows go in the table, measured last (their servers cannot be stopped). */
    private static final String ROWS_20 = "<rows for 20 nodes>";
    private static final String[] WORDS = {"temperature", "precipitation", "wind", "ocean", "reanalysis", "forecast"};

    private FederationBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int perNode = Integer.parseInt(args[2]);
        int queries = Integer.parseInt(args[3]);
        int replicated = Integer.parseInt(args[4]);
        StringBuilder md = new StringBuilder("## Federation: search across nodes, replication\n\n");
        StringBuilder replication = new StringBuilder();

        List<Process> processes = new ArrayList<>();
        try {
            List<String> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Path data = work.resolve("five-" + i);
                CatalogueBench.ingest(data, perNode, "site" + i, i + 1);
                int port = freePort();
                five.add("http://127.0.0.1:" + port);
                if (i > 0) {
                    Peers.open(data).add(five.get(0));
                }
                processes.add(serve(data, port, five.get(i)));
            }
            awaitPeers(five.get(0), 4);
            double[] local = latencies(five.get(0) + "/stac/search?limit=10&q=", queries);
            double[] federated = latencies(five.get(0) + "/federation/search?limit=10&q=", queries);
            md.append("Each node a `refcat serve` JVM (`-Xmx256m`) with ").append(String.format("%,d", perNode))
                    .append(" synthetic items; one client on 127.0.0.1 sends ").append(queries)
                    .append(" free-text searches (`limit=10`, one word each, after 100 warm-up searches) to the first ")
                    .append("node, locally (`/stac/search`) and federated (`/federation/search`: itself and its peers ")
                    .append("in parallel, merged). 2 cores for everything.\n\n");
            md.append("| search | nodes | p50 | p99 | p50 ÷ local p50 |\n|---|---|---|---|---|\n");
            md.append(row("local", 1, local, local));
            md.append(row("federated (separate JVMs)", 5, federated, local));
            md.append(ROWS_20);
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor();
            }
            processes.clear();
        }

        // replication: a node subscribes to a peer of REPLICATED items and follows its feed
        Path source = work.resolve("feed-source");
        CatalogueBench.ingest(source, replicated, "big", 7);
        Path sink = work.resolve("feed-sink");
        Files.createDirectories(sink);
        int sourcePort = freePort();
        int sinkPort = freePort();
        String sourceUrl = "http://127.0.0.1:" + sourcePort;
        Peers sinkPeers = Peers.open(sink);
        sinkPeers.add(sourceUrl);
        sinkPeers.subscribe(sourceUrl, "*");
        try {
            processes.add(serve(source, sourcePort, sourceUrl));
            long t0 = System.nanoTime();
            processes.add(serve(sink, sinkPort, "http://127.0.0.1:" + sinkPort));
            long harvested = 0;
            while (harvested < replicated) {
                Thread.sleep(200);
                for (JsonNode p : get("http://127.0.0.1:" + sinkPort + "/federation/peers")) {
                    harvested = p.path("harvested").asLong(0);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            replication.append("\nReplication: a node subscribed to a peer holding ").append(String.format("%,d", replicated))
                    .append(" items had them all in its replica ").append(String.format("%.1f s", s))
                    .append(" after it started: ").append(String.format("%,.0f items/s", replicated / s))
                    .append(" (pages of 500 items, each applied in one commit; up to 20 pages per peer and gossip round of 1 s).\n");
        } finally {
            processes.forEach(Process::destroy);
        }

        // 20 nodes in this JVM: servers on threads
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path data = work.resolve("twenty-" + i);
            CatalogueBench.ingest(data, perNode / 4, "n" + i, 100 + i);
            int port = freePort();
            twenty.add("http://127.0.0.1:" + port);
            if (i > 0) {
                Peers.open(data).add(twenty.get(0));
            }
            String[] serve = {"serve", "--data", data.toString(), "--port", Integer.toString(port), "--public-url",
                twenty.get(i), "--gossip-seconds", "1", "--no-request-log"};
            Thread t = new Thread(() -> Refcat.commandLine().execute(serve), "node-" + i);
            t.setDaemon(true);
            t.start();
        }
        awaitPeers(twenty.get(0), 19);
        double[] local20 = latencies(twenty.get(0) + "/stac/search?limit=10&q=", queries);
        double[] fed20 = latencies(twenty.get(0) + "/federation/search?limit=10&q=", queries);
        int at = md.indexOf(ROWS_20);
        md.replace(at, at + ROWS_20.length(), row("local (one JVM)", 1, local20, local20)
                + row("federated (one JVM)", 20, fed20, local20));
        md.append(replication);

        Files.writeString(out, md.toString());
        System.out.println(md);
        System.exit(0); // the 20 in-process servers
    }

    private static String row(String what, int nodes, double[] ms, double[] local) {
        return String.format("| %s | %d | %.1f ms | %.1f ms | %.2f |%n", what, nodes, p(ms, 0.5), p(ms, 0.99),
                p(ms, 0.5) / p(local, 0.5));
    }

    private static double p(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)];
    }

    private static double[] latencies(String urlPrefix, int n) throws Exception {
        Random r = new Random(3);
        double[] ms = new double[n];
        for (int i = -100; i < n; i++) {
            String url = urlPrefix + WORDS[r.nextInt(WORDS.length)];
            long t0 = System.nanoTime();
            HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException(url + ": " + resp.body());
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static Process serve(Path data, int port, String url) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                Refcat.class.getName(), "serve", "--data", data.toString(), "--port", Integer.toString(port),
                "--public-url", url, "--gossip-seconds", "1", "--no-request-log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = lines.readLine();
        if (line == null || !line.startsWith("refcat: serving")) {
            throw new IllegalStateException("serve did not start: " + line);
        }
        drain(lines);
        return p;
    }

    /** Reads a child process's remaining output in the background, so its pipe never fills. */
    static void drain(BufferedReader lines) {
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // keep the pipe from filling
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    private static void awaitPeers(String node, int count) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            int up = 0;
            for (JsonNode p : get(node + "/federation/peers")) {
                up += p.path("status").asText().equals("up") ? 1 : 0;
            }
            if (up >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(node + " did not learn " + count + " peers");
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
