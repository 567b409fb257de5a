package io.refcat.bench;

import io.refcat.cli.Refcat;
import io.refcat.fixtures.FaultProxy;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.ReadAheadSource;
import io.refcat.store.source.RemoteSources;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Remote archives against s3proxy on loopback (a process, filesystem store): requests and bytes
 * fetched per indexed file, indexing throughput by {@code --parallel} next to the same files read
 * locally, and chunk GETs through {@code refcat serve} from S3 next to the same ranges read with
 * the SDK directly.
 *
 * <p>usage: RemoteBench S3PROXY_JAR WORK OUT.md DIR... (each DIR a set of files, named by its folder)
 */
public final class RemoteBench {
    private static final String ID = "bench-identity";
    private static final String SECRET = "bench-secret";

    private RemoteBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(work.resolve("blobs"));
        Files.writeString(work.resolve("s3proxy.properties"), "s3proxy.endpoint=http://127.0.0.1:" + port
                + "\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity=" + ID + "\ns3proxy.credential=" + SECRET
                + "\njclouds.provider=filesystem\njclouds.filesystem.basedir=" + work.resolve("blobs") + "\n");
        Process s3proxy = new ProcessBuilder(java(), "-Xmx512m", "-jar", jar.toString(), "--properties",
                work.resolve("s3proxy.properties").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("s3proxy.log").toFile()).start();
        String endpoint = "http://127.0.0.1:" + port;
        System.setProperty("aws.accessKeyId", ID);
        System.setProperty("aws.secretAccessKey", SECRET);
        StringBuilder md = new StringBuilder("## Remote archives (S3)\n\n");
        try (S3Client s3 = S3Client.builder().httpClient(Apache5HttpClient.builder().maxConnections(16).build()).endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET)))
                .build();
             RemoteSources remote = new RemoteSources(List.of(RemoteSources.Settings.parse("s3://,endpoint=" + endpoint)))) {
            awaitPort(port);
            s3.createBucket(b -> b.bucket("bench"));
            md.append("s3proxy 4.1.0 on loopback (filesystem store, AWS v4 signatures), same machine; each set indexed "
                    + "remotely and locally in the same run, interleaved; `requests` and `bytes` are per file, read-ahead "
                    + "included.\n\n| files | size each | requests / file (mean, max) | bytes fetched / file ÷ size "
                    + "| remote files/s, --parallel 1 / 2 / 4 | local files/s |\n|---|---|---|---|---|---|\n");
            List<String> datasets = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                Path dir = Path.of(args[i]);
                String name = dir.getFileName().toString();
                List<Path> files = list(dir);
                for (Path f : files) {
                    s3.putObject(b -> b.bucket("bench").key(name + "/" + f.getFileName()), RequestBody.fromFile(f));
                }
                long size = Files.size(files.get(0));
                double local = 0;
                double[] remoteRate = new double[3];
                long requests = 0;
                long maxRequests = 0;
                long bytes = 0;
                int[] parallel = {1, 2, 4};
                for (int round = 0; round < 2; round++) {
                    local = Math.max(local, rate(files.stream().map(Path::toString).toList(), work.resolve("local-" + name), null, 1));
                    for (int p = 0; p < parallel.length; p++) {
                        List<String> urls = files.stream().map(f -> "s3://bench/" + name + "/" + f.getFileName()).toList();
                        long[] cost = new long[3];
                        remoteRate[p] = Math.max(remoteRate[p], rate(urls, work.resolve("remote-" + name), remote, parallel[p], cost));
                        requests = cost[0];
                        maxRequests = cost[1];
                        bytes = cost[2];
                    }
                }
                md.append(String.format(Locale.ROOT, "| %s (%d) | %,d B | %.1f, %d | %.2f | %.1f / %.1f / %.1f | %.1f |%n", name,
                        files.size(), size, requests / (double) files.size(), maxRequests, bytes / (double) files.size() / size,
                        remoteRate[0], remoteRate[1], remoteRate[2], local));
                datasets.add(name);
            }
            md.append('\n');
            double[] near = storeThroughput(work, endpoint, s3, datasets.get(0), Integer.MAX_VALUE);
            md.append(String.format(Locale.ROOT, "Chunk GETs of the `%s` set (%,d chunks, 8 clients at once, a warm-up "
                    + "round then best of three, interleaved; the SDK's Apache 5 HTTP client on both paths): through `refcat "
                    + "serve` from S3 %.0f chunks/s; the same ranges straight from S3 with the SDK %.0f chunks/s: **%.2f×** of "
                    + "direct.%n%n", datasets.get(0), (int) near[2], near[0], near[1], near[0] / near[1]));
            try (FaultProxy far = new FaultProxy(port);
                 S3Client s3far = S3Client.builder().httpClient(Apache5HttpClient.builder().maxConnections(16).build())
                         .endpointOverride(URI.create(far.url())).forcePathStyle(true).region(Region.US_EAST_1)
                         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET))).build()) {
                far.latencyMs = 20;
                double[] r = storeThroughput(work, far.url(), s3far, datasets.get(0), 1000);
                md.append(String.format(Locale.ROOT, "The same with the object store 20 ms away (a proxy holds each request "
                        + "20 ms; the first %,d chunks): through `refcat serve` %.0f chunks/s; straight from S3 %.0f chunks/s: "
                        + "**%.2f×** of direct.%n", (int) r[2], r[0], r[1], r[0] / r[1]));
            }
        } finally {
            s3proxy.destroy();
        }
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not start");
    }

    private static double rate(List<String> inputs, Path refs, RemoteSources remote, int parallel) throws Exception {
        return rate(inputs, refs, remote, parallel, new long[3]);
    }

    /** Files/s indexing {@code inputs} N at a time; {@code cost} gets total requests, the most for one file, total bytes. */
    private static double rate(List<String> inputs, Path refs, RemoteSources remote, int parallel, long[] cost) throws Exception {
        BatchIndexer batch = new BatchIndexer(new Indexer(ScanOptions.defaults()), location -> remote != null
                ? new ReadAheadSource(remote.open(location, null, remote.counter()), 64L << 20)
                : FileByteSource.open(Path.of(location)), 0);
        List<BatchIndexer.Task> tasks = new ArrayList<>();
        for (String in : inputs) {
            tasks.add(new BatchIndexer.Task(in, refs.resolve(BatchIndexer.lastSegment(in) + ".json"), true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long t0 = System.nanoTime();
        List<Future<BatchIndexer.Result>> results = new ArrayList<>();
        for (BatchIndexer.Task t : tasks) {
            results.add(pool.submit(() -> batch.index(t)));
        }
        java.util.Arrays.fill(cost, 0);
        for (Future<BatchIndexer.Result> f : results) {
            BatchIndexer.Result r = f.get();
            if (!r.ok()) {
                throw new IllegalStateException(r.source() + ": " + r.error());
            }
            cost[0] += r.requests();
            cost[1] = Math.max(cost[1], r.requests());
            cost[2] += r.bytesFetched();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return inputs.size() / seconds;
    }

    /**
     * Chunks/s through {@code refcat serve} from S3 and for the same ranges straight from S3 with
     * the SDK, 8 at a time, over the set's first {@code limit} chunks; and how many chunks.
     */
    private static double[] storeThroughput(Path work, String endpoint, S3Client s3, String set, int limit) throws Exception {
        Path refs = work.resolve("remote-" + set);
        Process serve = new ProcessBuilder(java(), "-Xmx512m", "-Daws.accessKeyId=" + ID, "-Daws.secretAccessKey=" + SECRET,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                Refcat.class.getName(), "serve", "--refs", refs.toString(), "--port", "0", "--no-request-log",
                "--root", "s3://bench/", "--s3-endpoint", endpoint,
                "--chunk-cache-mb", "0") /* each round reads every chunk once: the cache would only flatter round two */.redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = lines.readLine();
        if (line == null || !line.startsWith("refcat: serving")) {
            throw new IllegalStateException("serve did not start: " + line);
        }
        String base = line.substring(line.indexOf("http://"), line.indexOf("/zarr", line.indexOf("http://")));
        FederationBench.drain(lines);
        try {
            List<String[]> chunks = new ArrayList<>(); // path on the store, bucket key, range
            for (Path f : list(refs)) {
                String id = f.getFileName().toString().replace(".json", "");
                io.refcat.reference.ReferenceSet set0;
                try (java.io.InputStream in = Files.newInputStream(f)) {
                    set0 = io.refcat.reference.KerchunkJson.read(in);
                }
                set0.refs().forEach((key, ref) -> {
                    if (ref instanceof io.refcat.reference.Reference.Range r && key.matches(".*/[0-9.]+") && chunks.size() < limit) {
                        chunks.add(new String[] {"/zarr/" + id + "/" + key, r.url().substring("s3://bench/".length()),
                                "bytes=" + r.offset() + "-" + (r.offset() + r.length() - 1)});
                    }
                });
            }
            // the SDK's own HTTP client on both paths, so that the ratio is the store's cost, not a client library's
            SdkHttpClient http = Apache5HttpClient.builder().maxConnections(16).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            // round 0 warms both paths (the server's JIT above all) and is not counted
            double store = 0;
            double direct = 0;
            for (int round = 0; round < 4; round++) {
                double s = run(pool, chunks, c -> {
                    HttpExecuteResponse r = http.prepareRequest(HttpExecuteRequest.builder().request(SdkHttpRequest.builder()
                            .method(SdkHttpMethod.GET).uri(URI.create(base + c[0])).build()).build()).call();
                    if (r.httpResponse().statusCode() != 200) {
                        throw new IllegalStateException(c[0] + ": " + r.httpResponse().statusCode());
                    }
                    try (java.io.InputStream body = r.responseBody().orElseThrow()) {
                        return body.readAllBytes().length;
                    }
                });
                double d = run(pool, chunks, c -> s3.getObject(b -> b.bucket("bench").key(c[1]).range(c[2]),
                        ResponseTransformer.toBytes()).asByteArray().length);
                if (round > 0) {
                    store = Math.max(store, s);
                    direct = Math.max(direct, d);
                }
            }
            pool.shutdown();
            http.close();
            return new double[] {store, direct, chunks.size()};
        } finally {
            serve.destroy();
        }
    }

    private interface Fetch {
        int get(String[] chunk) throws Exception;
    }

    private static double run(ExecutorService pool, List<String[]> chunks, Fetch fetch) throws Exception {
        long t0 = System.nanoTime();
        List<Future<Integer>> all = new ArrayList<>();
        for (String[] c : chunks) {
            all.add(pool.submit(() -> fetch.get(c)));
        }
        for (Future<Integer> f : all) {
            f.get();
        }
        return chunks.size() / ((System.nanoTime() - t0) / 1e9);
    }
}
