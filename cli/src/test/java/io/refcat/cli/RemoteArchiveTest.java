package io.refcat.cli;

import static io.refcat.cli.IndexCommandTest.refcat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refcat.fixtures.FaultProxy;
import io.refcat.fixtures.Fixtures;
import io.refcat.fixtures.Python;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Remote archives, end to end against real servers on loopback: the fixtures uploaded to s3proxy
 * and served by nginx are indexed by URL; the references equal a local index's (but for the
 * sources' URLs and recorded versions); the store serves the remote datasets with the same bytes as
 * the local ones, and the Python reference clients read them value for value as the C libraries
 * read the originals; faults at the servers (throttling, truncation, refusal, a replaced object,
 * a slow server) give the promised behaviour; no credential is ever written or shown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DIRS = List.of("netcdf3", "netcdf4", "hdf5", "grib");
    private static final String BUCKET = "archive";

    private Path tmp;
    private Path www;
    private LoopbackServers.Running s3;
    private LoopbackServers.Running nginx;
    private S3Client admin;
    private final List<String> outputs = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("refcat-remote");
        www = tmp.resolve("www");
        for (String dir : DIRS) {
            for (Path f : InteropHarness.filesUnder(Fixtures.dataDir().resolve(dir))) {
                Path to = www.resolve(dir).resolve(Fixtures.dataDir().resolve(dir).relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        nginx = LoopbackServers.nginx(www, tmp.resolve("nginx"));
        s3 = LoopbackServers.s3proxy(tmp.resolve("s3proxy"));
        admin = S3Client.builder().endpointOverride(URI.create(s3.url())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LoopbackServers.S3_IDENTITY, LoopbackServers.S3_SECRET)))
                .build();
        admin.createBucket(b -> b.bucket(BUCKET));
        for (Path f : InteropHarness.filesUnder(www)) {
            admin.putObject(b -> b.bucket(BUCKET).key("fixtures/" + www.relativize(f).toString().replace('\\', '/')),
                    RequestBody.fromFile(f));
        }
        // the SDK's default credential chain, as a site would configure it (here: system properties)
        System.setProperty("aws.accessKeyId", LoopbackServers.S3_IDENTITY);
        System.setProperty("aws.secretAccessKey", LoopbackServers.S3_SECRET);
    }

    @AfterAll
    void stop() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (admin != null) {
            admin.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private IndexCommandTest.Run index(String... args) {
        IndexCommandTest.Run r = refcat(Stream.concat(Stream.of("index"), Stream.of(args)).toArray(String[]::new));
        outputs.add(r.out());
        outputs.add(r.err());
        return r;
    }

    /** The {@code --json} lines by source, named below {@code strip} (else by file name). */
    private static Map<String, JsonNode> lines(IndexCommandTest.Run r, String strip) throws IOException {
        Map<String, JsonNode> bySource = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                String source = n.get("source").asText();
                bySource.put(source.startsWith(strip) ? source.substring(strip.length())
                        : source.substring(source.lastIndexOf('/') + 1), n);
            }
        }
        return bySource;
    }

    /** Local and remote indexes of every fixture directory; the remote references equal the local ones. */
    private void indexesEqualLocal(String scheme, String prefix, String... remoteArgs) throws IOException {
        for (String dir : DIRS) {
            IndexCommandTest.Run local = index(www.resolve(dir).toString(), "-o", tmp.resolve("local").resolve(dir).toString(), "--json");
            List<String> args = new ArrayList<>(List.of(prefix + dir + "/", "-o", tmp.resolve(scheme).resolve(dir).toString(),
                    "--json", "--parallel", "3"));
            args.addAll(List.of(remoteArgs));
            IndexCommandTest.Run remote = index(args.toArray(String[]::new));
            Map<String, JsonNode> localLines = lines(local, www.resolve(dir) + "/");
            Map<String, JsonNode> remoteLines = lines(remote, prefix + dir + "/");
            assertEquals(localLines.keySet(), remoteLines.keySet(), "the same files, listed remotely: " + remote.err());
            for (Map.Entry<String, JsonNode> e : localLines.entrySet()) {
                JsonNode l = e.getValue();
                JsonNode r = remoteLines.get(e.getKey());
                assertEquals(l.get("status").asText(), r.get("status").asText(), dir + "/" + e.getKey() + ": " + r);
                if (!l.get("status").asText().equals("ok")) {
                    continue;
                }
                assertTrue(r.get("requests").asLong() >= 1 && r.get("bytes_read").asLong() > 0, r.toString());
                if (Files.size(www.resolve(dir).resolve(e.getKey())) < (1 << 20)) {
                    assertTrue(r.get("requests").asLong() <= 2, "a small file costs a HEAD and one read: " + r);
                }
                sameReferences(Path.of(l.get("refs").asText()), Path.of(r.get("refs").asText()),
                        "file://" + www.toAbsolutePath() + "/", remoteUrlPrefix(prefix));
            }
        }
    }

    private String relative(String dir, String name) throws IOException {
        try (Stream<Path> walk = Files.walk(www.resolve(dir))) {
            return www.resolve(dir).relativize(walk.filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow()).toString();
        }
    }

    private String remoteUrlPrefix(String prefix) {
        return prefix.startsWith("s3://") ? "s3://" + BUCKET + "/fixtures/" : nginx.url() + "/";
    }

    /**
     * The remote references hold every chunk the local ones hold at the same offsets and lengths
     * (URLs aside), and record each source's version; what they leave out (HDF5 raw data in external
     * files, which refcat references only for local files) is listed as unsupported.
     */
    private static void sameReferences(Path localRefs, Path remoteRefs, String localPrefix, String remotePrefix) throws IOException {
        JsonNode local = JSON.readTree(Files.readString(localRefs).replace(localPrefix, remotePrefix));
        JsonNode remote = JSON.readTree(remoteRefs.toFile());
        remote.path("refcat").path("sources").fields().forEachRemaining(s -> {
            if (s.getKey().startsWith(remotePrefix)) {
                assertTrue(s.getValue().path("version").isTextual(), "the object's version is recorded: " + s);
                ((ObjectNode) s.getValue()).remove("version");
            }
        });
        JsonNode unsupported = remote.path("refcat").path("unsupported");
        local.path("refs").fields().forEachRemaining(e -> {
            JsonNode r = remote.path("refs").get(e.getKey());
            if (r == null) {
                String variable = e.getKey().contains("/") ? e.getKey().substring(0, e.getKey().lastIndexOf('/')) : "";
                assertTrue(unsupported.has(variable) || unsupported.has("/" + variable), remoteRefs + ": " + e.getKey()
                        + " is missing and not listed as unsupported: " + unsupported);
            } else if (!e.getKey().endsWith(".zattrs")) {
                assertEquals(e.getValue(), r, remoteRefs + ": " + e.getKey());
            }
        });
    }

    @Test
    @Order(1)
    void s3PrefixesIndexLikeTheLocalFiles() throws Exception {
        indexesEqualLocal("s3", "s3://" + BUCKET + "/fixtures/", "--s3-endpoint", s3.url());
    }

    @Test
    @Order(2)
    void httpDirectoriesIndexLikeTheLocalFiles() throws Exception {
        indexesEqualLocal("http", nginx.url() + "/");
    }

    /**
     * The real files of {@code ../shared/corpus} (NetCDF, HDF5 and GRIB from netcdf-c, jhdf, xarray
     * and cfgrib), uploaded to S3: indexed remotely, each gets what it gets locally (the same
     * status; the same references, whose values the interop tests check against the C libraries).
     */
    @Test
    @Order(2)
    void corpusFilesIndexFromS3AsLocally() throws Exception {
        Path corpus = Fixtures.corpusOrSkip().toAbsolutePath().normalize();
        List<Path> files = InteropHarness.filesUnder(corpus);
        for (Path f : files) {
            admin.putObject(b -> b.bucket(BUCKET).key("corpus/" + corpus.relativize(f).toString().replace('\\', '/')),
                    RequestBody.fromFile(f));
        }
        IndexCommandTest.Run local = index(corpus.toString(), "-o", tmp.resolve("corpus-local").toString(), "--json");
        IndexCommandTest.Run remote = index("s3://" + BUCKET + "/corpus/", "-o", tmp.resolve("corpus-s3").toString(), "--json",
                "--s3-endpoint", s3.url());
        Map<String, JsonNode> localLines = lines(local, corpus + "/");
        Map<String, JsonNode> remoteLines = lines(remote, "s3://" + BUCKET + "/corpus/");
        assertEquals(localLines.keySet(), remoteLines.keySet(), remote.err());
        int same = 0;
        for (Map.Entry<String, JsonNode> e : localLines.entrySet()) {
            JsonNode l = e.getValue();
            JsonNode r = remoteLines.get(e.getKey());
            assertEquals(l.get("status").asText(), r.get("status").asText(), e.getKey() + ": " + r);
            if (l.get("status").asText().equals("ok")) {
                sameReferences(Path.of(l.get("refs").asText()), Path.of(r.get("refs").asText()), "file://" + corpus + "/",
                        "s3://" + BUCKET + "/corpus/");
                same++;
            }
        }
        assertTrue(same >= 40, "corpus files indexed alike: " + same);
    }

    @Test
    @Order(3)
    void servedRemoteDatasetsReadAsTheOriginals() throws Exception {
        Path refs = tmp.resolve("served");
        for (String scheme : List.of("local", "s3", "http")) {
            copyTree(tmp.resolve(scheme), refs.resolve(scheme));
        }
        try (ServerProcess server = ServerProcess.start(List.of("-Daws.accessKeyId=" + LoopbackServers.S3_IDENTITY,
                "-Daws.secretAccessKey=" + LoopbackServers.S3_SECRET), tmp.resolve("serve.log"), "--refs", refs.toString(),
                "--root", www.toString(), "s3://" + BUCKET + "/fixtures/", nginx.url() + "/", "--s3-endpoint", s3.url())) {
            int compared = 0;
            for (Path local : InteropHarness.filesUnder(refs.resolve("local"))) {
                String rel = refs.resolve("local").relativize(local).toString();
                String id = rel.substring(0, rel.length() - ".json".length());
                JsonNode set = JSON.readTree(local.toFile());
                int n = 0;
                for (var it = set.path("refs").fieldNames(); it.hasNext() && n < 40; ) {
                    String key = it.next();
                    if (key.matches(".*/[0-9.]+") && !set.path("refs").get(key).isTextual()) {
                        n++;
                        HttpResponse<byte[]> expected = server.get("/zarr/local/" + id + "/" + key);
                        for (String scheme : List.of("s3", "http")) {
                            HttpResponse<byte[]> got = server.get("/zarr/" + scheme + "/" + id + "/" + key);
                            if (expected.statusCode() == 200 && got.statusCode() == 404) {
                                continue; // a variable the remote index lists as unsupported (external raw data)
                            }
                            assertEquals(expected.statusCode(), got.statusCode(), scheme + " " + id + "/" + key + ": "
                                    + new String(got.body(), StandardCharsets.UTF_8));
                            assertTrue(java.util.Arrays.equals(expected.body(), got.body()), scheme + " " + id + "/" + key);
                            compared++;
                        }
                    }
                }
            }
            assertTrue(compared > 200, "chunks compared: " + compared);
            String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^refcat_source_requests_total (\\d+)$").matcher(metrics);
            assertTrue(m.find() && Long.parseLong(m.group(1)) > 100, "remote reads are counted in /metrics: " + metrics);
            assertTrue(metrics.contains("refcat_source_bytes_total "), metrics);
            // the chunks just read are in the range cache: asked again, the origin is not asked
            String again = "/zarr/s3/netcdf3/classic_types.nc/v1_f4/0";
            assertEquals(200, server.get(again).statusCode());
            long before = metric(server, "refcat_source_requests_total");
            long hits = metric(server, "refcat_source_cache_hits_total");
            assertEquals(200, server.get(again).statusCode());
            assertEquals(before, metric(server, "refcat_source_requests_total"), "served from the cache");
            assertTrue(metric(server, "refcat_source_cache_hits_total") > hits);
            pythonClientsReadRemoteDatasets(server);
        }
    }

    /**
     * The reference clients read the remote datasets as libnetcdf and libhdf5 read the originals:
     * through the served views (zarr-python, xarray) and through the reference files themselves
     * (fsspec's reference file system fetching the byte ranges from nginx, or from s3proxy: for
     * s3:// URLs through boto3, since Debian does not package s3fs, see s3_boto_fs.py).
     */
    private void pythonClientsReadRemoteDatasets(ServerProcess server) throws Exception {
        Python.requireModules("netCDF4", "h5py", "zarr", "xarray", "fsspec", "aiohttp", "boto3");
        for (String scheme : List.of("s3", "http")) {
            for (String dir : List.of("netcdf3", "netcdf4")) {
                List<Map<String, Object>> manifest = new ArrayList<>();
                for (Path refs : InteropHarness.filesUnder(tmp.resolve(scheme).resolve(dir))) {
                    String rel = tmp.resolve(scheme).relativize(refs).toString();
                    String name = rel.substring(0, rel.length() - ".json".length());
                    // libnetcdf cannot read a streaming file: the same records written the usual way are the truth
                    String original = www.resolve(name.replace("_streaming", "_records")).toString();
                    Map<String, Object> c = new LinkedHashMap<>(Map.of("name", name, "original", original, "refs", refs.toString(),
                            "zarr", server.base + "/zarr/" + scheme + "/" + name));
                    if (scheme.equals("s3")) {
                        c.put("s3", Map.of("endpoint", s3.url())); // credentials in the environment, as boto3 reads them
                    }
                    manifest.add(c);
                }
                Path file = tmp.resolve(scheme + "-" + dir + ".manifest.json");
                JSON.writeValue(file.toFile(), manifest);
                String script = dir.equals("netcdf3") ? "check_netcdf3.py" : "check_hdf5.py";
                ProcessBuilder pb = new ProcessBuilder(Python.executable(), Fixtures.repoRoot().resolve("cli/src/test/python")
                        .resolve(script).toString(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put("AWS_ACCESS_KEY_ID", LoopbackServers.S3_IDENTITY);
                pb.environment().put("AWS_SECRET_ACCESS_KEY", LoopbackServers.S3_SECRET);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(5, TimeUnit.MINUTES), script + " did not finish");
                int checked = 0;
                for (String line : out.split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode r = JSON.readTree(line);
                    assertTrue(r.get("ok").asBoolean(), scheme + " " + r.get("name") + " " + r.get("check") + ": " + r.get("problems"));
                    checked++;
                }
                assertTrue(checked >= manifest.size(), scheme + "/" + dir + ": " + out);
            }
        }
    }

    private static long metric(ServerProcess server, String name) throws Exception {
        String text = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\d+)").matcher(text);
        assertTrue(m.find(), name + " in " + text);
        return Long.parseLong(m.group(1));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (Path f : InteropHarness.filesUnder(from)) {
            Path t = to.resolve(from.relativize(f).toString());
            Files.createDirectories(t.getParent());
            Files.copy(f, t);
        }
    }

    @Test
    @Order(4)
    void throttlingTruncationAndSlownessAreRetriedOver() throws Exception {
        String file = "netcdf4/" + relative("netcdf4", "netcdf4.nc");
        for (boolean viaS3 : List.of(false, true)) {
            int upstream = URI.create(viaS3 ? s3.url() : nginx.url()).getPort();
            try (FaultProxy proxy = new FaultProxy(upstream)) {
                String url = viaS3 ? "s3://" + BUCKET + "/fixtures/" + file : proxy.url() + "/" + file;
                List<String> extra = viaS3 ? List.of("--s3-endpoint", proxy.url()) : List.of();
                for (Runnable fault : List.<Runnable>of(
                        () -> { proxy.status = 503; proxy.failing.set(2); },
                        () -> { proxy.status = 429; proxy.failing.set(2); },
                        () -> { proxy.cutAfter = 300; proxy.truncating.set(2); },
                        () -> proxy.delayMs = 300)) {
                    proxy.dropConnections();
                    fault.run();
                    int before = proxy.connections.get();
                    List<String> args = new ArrayList<>(List.of(url, "-o", tmp.resolve("faults").toString(), "--json"));
                    args.addAll(extra);
                    IndexCommandTest.Run r = index(args.toArray(String[]::new));
                    assertEquals(0, r.exit(), (viaS3 ? "s3 " : "http ") + r.out() + r.err());
                    assertTrue(proxy.connections.get() > before, "the requests went through the proxy");
                    proxy.delayMs = 0;
                }
            }
        }
    }

    @Test
    @Order(5)
    void refusedAndMissingObjectsAreNamedAndTheBatchGoesOn() throws Exception {
        String good = nginx.url() + "/netcdf3/" + relative("netcdf3", "classic_types.nc");
        try (FaultProxy proxy = new FaultProxy(URI.create(nginx.url()).getPort())) {
            proxy.status = 403;
            proxy.failing.set(Integer.MAX_VALUE);
            String refused = proxy.url() + "/netcdf4/" + relative("netcdf4", "netcdf4.nc");
            IndexCommandTest.Run r = index(refused, good, nginx.url() + "/netcdf4/no-such.nc",
                    "s3://" + BUCKET + "/fixtures/no-such-either.nc", "--s3-endpoint", s3.url(), "-o", tmp.resolve("refused").toString(), "--json");
            assertEquals(1, r.exit());
            Map<String, JsonNode> byName = lines(r, "/");
            assertEquals("ok", byName.get("classic_types.nc").get("status").asText(), r.out());
            assertTrue(byName.get("netcdf4.nc").get("error").asText().contains(refused + ": access refused (HTTP 403)"), r.out());
            assertTrue(r.out().contains("/netcdf4/no-such.nc: no such object (HTTP 404)"), r.out());
            assertTrue(r.out().contains("s3://" + BUCKET + "/fixtures/no-such-either.nc: no such object"), r.out());
        }
        // wrong credentials: refused, and the secret is nowhere in what is shown
        System.setProperty("aws.secretAccessKey", "wrong-" + LoopbackServers.S3_SECRET);
        try {
            IndexCommandTest.Run r = index("s3://" + BUCKET + "/fixtures/netcdf3/", "--s3-endpoint", s3.url(), "-o",
                    tmp.resolve("wrong").toString());
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("access refused (HTTP 403"), r.err());
        } finally {
            System.setProperty("aws.secretAccessKey", LoopbackServers.S3_SECRET);
        }
    }

    /**
     * A public bucket (s3proxy without authentication, over the same objects): {@code --s3-anonymous}
     * sends unsigned requests, though credentials are configured, and indexes as with them.
     */
    @Test
    @Order(6)
    void anonymousAccessReadsAPublicBucket() throws Exception {
        String name = "netcdf4/" + relative("netcdf4", "netcdf4.nc");
        try (LoopbackServers.Running open = LoopbackServers.s3proxy(tmp.resolve("s3proxy"), true)) {
            IndexCommandTest.Run r = index("s3://" + BUCKET + "/fixtures/" + name, "--s3-endpoint", open.url(), "--s3-anonymous",
                    "-o", tmp.resolve("anonymous").toString(), "--json");
            assertEquals(0, r.exit(), r.out() + r.err());
            JsonNode line = JSON.readTree(r.out().strip());
            JsonNode signed = JSON.readTree(tmp.resolve("s3").resolve(name + ".json").toFile());
            assertEquals(signed.get("refs"), JSON.readTree(Path.of(line.get("refs").asText()).toFile()).get("refs"));
        }
    }

    @Test
    @Order(6)
    void anObjectReplacedSinceIndexingIsAnErrorNamingItNeverOtherBytes() throws Exception {
        String name = "netcdf3/" + relative("netcdf3", "classic_types.nc");
        Path refs = tmp.resolve("replaced");
        assertEquals(0, index(nginx.url() + "/" + name, "-o", refs.resolve("http").toString()).exit());
        assertEquals(0, index(www.resolve(name).toString(), "-o", refs.resolve("local").toString()).exit());
        assertEquals(0, index("s3://" + BUCKET + "/fixtures/" + name, "--s3-endpoint", s3.url(), "-o",
                refs.resolve("s3").toString()).exit());
        IndexCommandTest.Run current = index("--check", refs.toString(), "--s3-endpoint", s3.url());
        assertEquals(0, current.exit(), current.out() + current.err());
        assertTrue(current.out().contains("checked 3 reference files: 3 current, 0 not"), current.out());
        // the same size, other bytes, a later time: only the version tells them apart
        byte[] bytes = Files.readAllBytes(www.resolve(name));
        bytes[bytes.length - 1] ^= 0x55;
        Path copy = tmp.resolve("replacement.nc");
        Files.write(copy, bytes);
        Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.move(copy, www.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        admin.putObject(b -> b.bucket(BUCKET).key("fixtures/" + name), RequestBody.fromBytes(bytes));
        IndexCommandTest.Run stale = index("--check", refs.toString(), "--s3-endpoint", s3.url(), "--json");
        assertEquals(1, stale.exit(), stale.out() + stale.err());
        for (String line : stale.out().split("\n")) {
            JsonNode checked = JSON.readTree(line);
            assertEquals("changed", checked.get("status").asText(), line);
            assertTrue(checked.get("sources").get(0).get("reason").asText().contains("version"), line);
        }
        try (ServerProcess server = ServerProcess.start(List.of("-Daws.accessKeyId=" + LoopbackServers.S3_IDENTITY,
                "-Daws.secretAccessKey=" + LoopbackServers.S3_SECRET), tmp.resolve("replaced.log"), "--refs", refs.toString(),
                "--root", "s3://" + BUCKET + "/", nginx.url() + "/", www.toString(), "--s3-endpoint", s3.url())) {
            JsonNode set = JSON.readTree(refs.resolve("http/classic_types.nc.json").toFile());
            String key = null;
            for (var it = set.path("refs").fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.matches(".*/[0-9.]+") && set.path("refs").get(k).isArray()) {
                    key = k;
                }
            }
            assertNotNull(key);
            for (String scheme : List.of("http", "s3", "local")) {
                HttpResponse<byte[]> r = server.get("/zarr/" + scheme + "/classic_types.nc/" + key);
                String body = new String(r.body(), StandardCharsets.UTF_8);
                assertEquals(409, r.statusCode(), scheme + ": " + body);
                assertTrue(body.contains("changed since it was indexed") && body.contains("classic_types.nc"), body);
            }
            String log = Files.readString(tmp.resolve("replaced.log"));
            assertFalse(log.contains(LoopbackServers.S3_SECRET), "no credential in the server's log");
        }
        Files.write(www.resolve(name), Files.readAllBytes(Fixtures.dataDir().resolve(name)));
        admin.putObject(b -> b.bucket(BUCKET).key("fixtures/" + name), RequestBody.fromFile(Fixtures.dataDir().resolve(name)));
    }

    @Test
    @Order(7)
    void noCredentialIsWrittenOrShown() throws IOException {
        for (String shown : outputs) {
            assertFalse(shown.contains(LoopbackServers.S3_SECRET), "no credential in the command's output");
        }
        int files = 0;
        for (Path f : InteropHarness.filesUnder(tmp)) {
            // every reference file and log refcat wrote (not s3proxy's own configuration)
            if (!f.startsWith(tmp.resolve("s3proxy")) && !f.startsWith(www) && !f.startsWith(tmp.resolve("nginx"))) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(LoopbackServers.S3_SECRET),
                        f.toString());
                files++;
            }
        }
        assertTrue(files > 100, "files checked: " + files);
    }
}
