package io.refcat.cli;

import io.javalin.Javalin;
import io.refcat.federation.FederatedAggregation;
import io.refcat.federation.FederatedSearch;
import io.refcat.federation.FederationApi;
import io.refcat.federation.Gossip;
import io.refcat.federation.NodeIdentity;
import io.refcat.federation.PeerClient;
import io.refcat.federation.PeerUrls;
import io.refcat.federation.Peers;
import io.refcat.federation.Replicas;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.CatalogueDatasets;
import io.refcat.store.DatasetRegistry;
import io.refcat.store.DecodeBudget;
import io.refcat.store.HostPolicy;
import io.refcat.store.ReferenceDirectory;
import io.refcat.store.SourceUrls;
import io.refcat.store.source.RangeCache;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve",
        description = "Serve reference files as Zarr v2/v3 stores over HTTP, and a catalogue as a STAC API. "
                + "Datasets indexed while it runs are served within a second, replaced or removed ones replaced or gone at "
                + "once.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:stopped", "1:failed to start", "2:usage error"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = ConfigFile.OPTION, paramLabel = "FILE", description = "settings from a file: TOML (.toml), YAML "
            + "(.yaml, .yml) or properties; keys are these options' long names (port = 8080, root = [\"/archive\"]); "
            + "flags given here win")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "a data directory made by 'index --data': the "
            + "catalogue's datasets (references in DIR/refs) as Zarr stores, and the catalogue as a STAC API under /stac")
    Path data;

    @Option(names = "--refs", paramLabel = "DIR", description = "a directory of kerchunk references (JSON files, "
            + "Parquet directories) to serve, without a catalogue")
    Path refs;

    @Option(names = "--port", defaultValue = "8080", description = "port to listen on (0 = any free port; default 8080)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--root", paramLabel = "PATH|URL", arity = "1..*",
            description = "directories, or remote prefixes (s3://bucket/path/, https://host/path/), whose files may be "
                    + "read; references elsewhere are refused (403). Default: the current directory")
    List<String> roots;

    @picocli.CommandLine.Mixin
    RemoteOptions remoteOptions = new RemoteOptions();

    @Option(names = "--chunk-cache-mb", paramLabel = "MB", defaultValue = "64", description = "byte ranges of remote "
            + "sources kept in memory, in MB (default 64; 0 turns the cache off); local files are left to the OS")
    long chunkCacheMb;

    @Option(names = "--decode-budget-mb", paramLabel = "MB", defaultValue = "0", description = "heap that chunks "
            + "being decoded for the Zarr v3 view, series and quick-looks may take at once, in MB (default 0: half "
            + "the heap); requests beyond it wait, then get 503; a chunk needing more gets 507")
    long decodeBudgetMb;

    @Option(names = "--request-log", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "log one line per request (method, path, status, bytes, ms); --no-request-log turns it off")
    boolean requestLog;

    @Option(names = "--expose-paths", description = "hand out the references' own file paths (file:// URLs) instead "
            + "of the server's /files URLs, for a trusted setup whose clients share the server's disk")
    boolean exposePaths;

    @Option(names = "--cache-mb", paramLabel = "MB",
            description = "reference files kept parsed in memory, in MB of their JSON (default: 64, or a sixteenth "
                    + "of the heap if that is less: parsed references take several times their file size)")
    Long cacheMb;

    @Option(names = "--node-name", paramLabel = "NAME", description = "this node's name in the federation "
            + "(kept in DATA/federation/node.json; default: node-<id>)")
    String nodeName;

    @Option(names = "--public-url", paramLabel = "URL", description = "the URL other sites and clients reach this "
            + "node at; absolute links use it instead of the request's Host")
    String publicUrl;

    @Option(names = "--allowed-host", paramLabel = "NAME", arity = "1..*", description = "host names whose Host "
            + "header absolute links may be built from, besides this machine's own names and addresses ('*': any; "
            + "unneeded with --public-url); other Hosts get 421")
    List<String> allowedHosts;

    @Option(names = "--admin-token", paramLabel = "TOKEN", description = "bearer token for admin calls (POST "
            + "/federation/peers); default: the REFCAT_ADMIN_TOKEN environment variable; none: admin calls refused")
    String adminToken;

    @Option(names = "--peer-allow", paramLabel = "CIDR", arity = "1..*", description = "networks peers may be in "
            + "(e.g. 10.0.0.0/8); given, a peer whose address is in none is refused")
    List<String> peerAllow;

    @Option(names = "--peer-deny", paramLabel = "CIDR", arity = "1..*", description = "networks peers may not be "
            + "in (besides link-local and cloud metadata addresses, always refused)")
    List<String> peerDeny;

    @Option(names = "--gossip-seconds", paramLabel = "S", defaultValue = "30", description = "seconds between "
            + "peer health checks and peer-list exchanges (default 30)")
    long gossipSeconds;

    @Option(names = "--federation-timeout-ms", paramLabel = "MS", defaultValue = "2000", description = "a federated "
            + "search's deadline, and each peer's timeout (default 2000)")
    long federationTimeoutMs;

    @Override
    public Integer call() throws Exception {
        if (refs == null && data == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --data DIR or --refs DIR");
        }
        for (Path dir : new Path[] {refs, data}) {
            if (dir != null && !Files.isDirectory(dir)) {
                throw new CommandLine.ParameterException(spec.commandLine(), (dir == refs ? "--refs " : "--data ") + dir
                        + " is not a directory");
            }
        }
        if (cacheMb != null && cacheMb < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cache-mb must be >= 0");
        }
        long cacheBytes = cacheMb != null ? cacheMb << 20
                : Math.min(ReferenceDirectory.DEFAULT_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 16);
        ReferenceDirectory directory = new ReferenceDirectory(refs != null ? refs : data.resolve("refs"), cacheBytes);
        Catalogue catalogue = data == null ? null : Catalogue.openReadOnly(data);
        DatasetRegistry registry = catalogue != null && refs == null ? new CatalogueDatasets(catalogue, directory) : directory;
        if (chunkCacheMb < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-cache-mb must be >= 0");
        }
        List<String> given = roots == null ? List.of("") : roots;
        List<String> remoteRoots = given.stream().filter(io.refcat.reference.ByteSource::isRemote).toList();
        List<Path> localRoots = given.stream().filter(r -> !io.refcat.reference.ByteSource.isRemote(r)).map(Path::of).toList();
        SourceResolver resolver = new SourceResolver(localRoots.isEmpty() && remoteRoots.isEmpty() ? List.of(Path.of("")) : localRoots,
                remoteRoots, remoteOptions.sources(spec.commandLine()), new RangeCache(chunkCacheMb << 20));
        List<Path> privatePaths = new ArrayList<>();
        privatePaths.add(directory.dir());
        if (data != null) {
            privatePaths.add(data);
        }
        if (publicUrl != null) {
            try {
                publicUrl = PeerUrls.normalize(publicUrl);
            } catch (PeerUrls.RefusedUrl e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--public-url: " + e.getMessage());
            }
        }
        FederationApi.Settings federation = null;
        Gossip gossip = null;
        if (data != null) {
            NodeIdentity node = NodeIdentity.load(data, nodeName, publicUrl);
            PeerUrls policy;
            try {
                policy = new PeerUrls(peerAllow == null ? List.of() : peerAllow, peerDeny == null ? List.of() : peerDeny);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Peers peers = Peers.open(data, policy);
            PeerClient client = new PeerClient();
            // the addresses this node answers at, so a peer list naming it does not make it its own peer
            java.util.Set<String> selfUrls = new java.util.HashSet<>();
            if (port != 0) {
                for (String h : List.of(host, "127.0.0.1", "localhost")) {
                    selfUrls.add("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port);
                }
            }
            Replicas replicas = new Replicas(data);
            gossip = new Gossip(node, selfUrls, peers, replicas, client, Duration.ofSeconds(Math.max(1, gossipSeconds)),
                    Duration.ofDays(7));
            Duration timeout = Duration.ofMillis(Math.max(100, federationTimeoutMs));
            String token = adminToken != null ? adminToken : System.getenv("REFCAT_ADMIN_TOKEN");
            federation = new FederationApi.Settings(node, peers, gossip, new FederatedSearch(client, timeout, timeout),
                    new FederatedAggregation(client, timeout), token, catalogue, replicas);
        }
        if (decodeBudgetMb < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--decode-budget-mb must be >= 0");
        }
        DecodeBudget decoding = decodeBudgetMb == 0 ? DecodeBudget.halfTheHeap() : new DecodeBudget(decodeBudgetMb << 20);
        // absolute URLs name the node as configured (or as the federation knows it), whatever Host a request carries
        String publicBase = publicUrl != null ? publicUrl : federation != null ? federation.node().publicUrl() : null;
        HostPolicy hosts = HostPolicy.of(publicBase, allowedHosts == null ? List.of() : allowedHosts);
        Javalin app = Server.create(new Server.Settings(registry, resolver, catalogue, privatePaths, exposePaths,
                requestLog, federation, decoding, hosts));
        app.start(host, port);
        if (gossip != null) {
            gossip.start();
        }
        Gossip stopping = gossip;
        FederationApi.Settings fed = federation;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping != null) {
                stopping.close();
            }
            app.stop();
            closeQuietly(catalogue);
            if (fed != null) {
                closeQuietly(fed.replicas());
            }
        }));
        greet(registry, "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port(), catalogue != null);
        app.jettyServer().server().join();
        return 0;
    }

    /** What a newcomer needs: where the datasets are, the web page, and one Python line that opens one. */
    private void greet(DatasetRegistry registry, String base, boolean stac) {
        PrintWriter out = spec.commandLine().getOut();
        List<String> ids = registry.ids(0, 1);
        out.println("refcat: serving " + registry.count() + " datasets at " + base + "/zarr"
                + (stac ? ", the STAC API at " + base + "/stac" : ""));
        out.println("refcat: open " + base + "/ in a browser");
        if (!ids.isEmpty()) {
            out.println("python3 -c 'import xarray as xr; print(xr.open_dataset(\"" + base + "/zarr/"
                    + SourceUrls.encodePath(ids.get(0)) + "\", engine=\"zarr\"))'");
        }
        out.flush();
    }

    private static void closeQuietly(AutoCloseable catalogue) {
        if (catalogue != null) {
            try {
                catalogue.close();
            } catch (Exception e) {
                // the process is ending; what could not be closed was committed or only read
            }
        }
    }
}
