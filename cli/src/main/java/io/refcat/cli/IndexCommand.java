package io.refcat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.zarr.ZarrHierarchy;
import io.refcat.reference.zarr.ZarrV3;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.ReadAheadSource;
import io.refcat.store.source.RemoteSources;
import io.refcat.store.source.SourceResolver;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "index", description = "Index files and directories into kerchunk references (one JSON per file).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file was indexed", "1:at least one file failed", "2:usage error"})
final class IndexCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH|URL", description = "files or directories (searched recursively), "
            + "remote objects (s3://bucket/key, https://host/file.nc) or prefixes ending in '/' (an S3 prefix, an HTTP "
            + "directory listing), listed")
    List<String> inputs;

    @Option(names = "--from-list", paramLabel = "FILE", description = "read more inputs from FILE, one per line "
            + "('#' starts a comment)")
    Path fromList;

    @Option(names = "--parallel", paramLabel = "N", description = "index N files at once (default: one per core, "
            + "fewer where the heap is under 256 MiB per file); each remote file holds at most 64 MiB of read-ahead")
    Integer parallel;

    @picocli.CommandLine.Mixin
    RemoteOptions remoteOptions = new RemoteOptions();

    @Option(names = "--no-sidecar", description = "walk GRIB files even where an index sidecar (.idx, .index) lists "
            + "their messages")
    boolean noSidecar;

    @Option(names = "--check", description = "instead of indexing, check reference files (the inputs, or the .json files "
            + "below them) against their sources: present, same size, same version; exit 1 if any changed")
    boolean check;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "where the reference files go, mirroring the inputs' relative paths")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = "catalogue as well: references go to DIR/refs/COLLECTION, "
            + "STAC items to the catalogue in DIR/catalogue (instead of -o)")
    Path data;

    @Option(names = "--collection", paramLabel = "NAME", description = "the catalogue collection (default: the first "
            + "input's name)")
    String collection;

    @Option(names = "--json", description = "print one JSON line per file: {source, refs, status, error, unsupported, "
            + "served_only, v2_only, requests, bytes_read}")
    boolean json;

    @Option(names = "--inline-threshold", paramLabel = "BYTES", defaultValue = "0",
            description = "inline chunks smaller than this into the references; 0 (default) = never, "
                    + "so indexing reads headers only (kerchunk's default is 100)")
    int inlineThreshold;

    @Option(names = "--chunk-target", paramLabel = "BYTES", defaultValue = "" + ScanOptions.DEFAULT_TARGET_CHUNK_BYTES,
            description = "split contiguous variables larger than this along their first dimension (default 16 MiB)")
    long chunkTarget;

    @Option(names = "--strict", description = "fail a file on any bad part (a corrupt GRIB message) instead of "
            + "indexing the rest and reporting it")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        if (inlineThreshold < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--inline-threshold must be >= 0");
        }
        if (chunkTarget <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--chunk-target must be > 0");
        }
        List<String> all = new java.util.ArrayList<>(inputs == null ? List.of() : inputs);
        if (fromList != null) {
            if (!java.nio.file.Files.isRegularFile(fromList)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--from-list: " + fromList
                        + " is not a readable file");
            }
            for (String line : java.nio.file.Files.readAllLines(fromList)) {
                String entry = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
                if (!entry.isEmpty()) {
                    all.add(entry);
                }
            }
        }
        if (all.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give files, directories or URLs to index");
        }
        if (parallel == null) {
            parallel = defaultParallel();
        } else if (parallel < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--parallel must be >= 1");
        }
        if (check) {
            return check(all);
        }
        if ((output == null) == (data == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either -o DIR or --data DIR");
        }
        if (collection != null && data == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--collection needs --data");
        }
        String first = all.get(0);
        String coll = collection != null ? collection : io.refcat.reference.ByteSource.isRemote(first) ? BatchIndexer.lastSegment(first)
                : Path.of(first).toAbsolutePath().normalize().getFileName().toString();
        if (!coll.matches("[A-Za-z0-9._-]+")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--collection: '" + coll
                    + "' must be letters, digits, '.', '_' or '-'");
        }
        Path out = data != null ? data.resolve("refs").resolve(coll) : output;
        try (RemoteSources remote = remoteOptions.sources(spec.commandLine())) {
            BatchIndexer batch = new BatchIndexer(new Indexer(new ScanOptions(chunkTarget, strict)
                    .withSidecars(noSidecar ? ScanOptions.Sidecars.NONE : new SidecarFinder(remote))), location ->
                    io.refcat.reference.ByteSource.isRemote(location)
                            ? new ReadAheadSource(remote.open(location, null, remote.counter()), READ_AHEAD_BYTES)
                            : FileByteSource.open(Path.of(location)),
                    inlineThreshold);
            List<BatchIndexer.Task> tasks;
            try {
                tasks = BatchIndexer.plan(all, out, remote::list);
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("refcat: " + e.getMessage());
                return 1;
            }
            if (tasks.isEmpty()) {
                spec.commandLine().getErr().println("refcat: no files found in " + String.join(", ", all));
                return 1;
            }
            io.refcat.indexer.AtomicFiles.removeStale(out, java.time.Duration.ofHours(1));
            Map<Path, List<String>> collisions = BatchIndexer.collisions(tasks);
            if (!collisions.isEmpty()) {
                // nothing is indexed: one file's references must never silently replace another's
                collisions.forEach((refs, sources) -> spec.commandLine().getErr().println("refcat: " + String.join(" and ", sources)
                        + " would both be written to " + refs + " (one catalogue item); index them into different "
                        + "collections or output directories"));
                spec.commandLine().getErr().flush();
                return 1;
            }
            List<String> remoteInputs = all.stream().filter(io.refcat.reference.ByteSource::isRemote).toList();
            try (CatalogueWriter catalogue = data == null ? null
                    : new CatalogueWriter(data, coll, out, new SourceResolver(List.of(Path.of("/")), remoteInputs, remote, new io.refcat.store.source.RangeCache(0)))) {
                return run(tasks, batch, catalogue, out, spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }
    }

    private int check(List<String> inputs) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int bad = 0;
        int files = 0;
        try (RemoteSources remote = remoteOptions.sources(spec.commandLine())) {
            ReferenceCheck checker = new ReferenceCheck(remote);
            for (Path refs : ReferenceCheck.referenceFiles(inputs)) {
                files++;
                List<ReferenceCheck.SourceState> states = List.of();
                String error = null;
                try {
                    states = checker.check(refs);
                } catch (java.io.IOException e) {
                    error = e.getMessage();
                }
                Map<String, Object> line = ReferenceCheck.json(refs, states, error);
                if (!"ok".equals(line.get("status"))) {
                    bad++;
                }
                if (json) {
                    out.println(JSON.writeValueAsString(line));
                } else if (error != null) {
                    err.println("refcat: " + refs + ": " + error);
                } else {
                    for (ReferenceCheck.SourceState st : states) {
                        if (!st.status().equals("ok")) {
                            err.println("refcat: " + refs + ": source " + st.url() + " " + st.status() + ": " + st.reason());
                        }
                    }
                }
            }
        }
        if (!json) {
            out.println("checked " + files + " reference files: " + (files - bad) + " current, " + bad + " not");
        }
        out.flush();
        err.flush();
        return bad == 0 && files > 0 ? 0 : 1;
    }

    /**
     * One file per core, as long as the heap holds 256 MiB per file: up to two files per thread are
     * in flight, and a remote one may hold 64 MiB of read-ahead besides its scan.
     */
    static int defaultParallel() {
        long perFile = 256L << 20;
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / perFile));
    }

    /** Read-ahead a remote file may hold while it is scanned. */
    private static final long READ_AHEAD_BYTES = 64L << 20;

    private int run(List<BatchIndexer.Task> tasks, BatchIndexer batch, CatalogueWriter catalogue, Path outDir,
                    PrintWriter out, PrintWriter err) throws Exception {
        Progress progress = Progress.forStderr(err, tasks.size(), !json);
        int failed = 0;
        int skipped = 0;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        java.util.ArrayDeque<java.util.concurrent.Future<BatchIndexer.Result>> window = new java.util.ArrayDeque<>();
        java.util.Iterator<BatchIndexer.Task> pending = tasks.iterator();
        try {
            // results are handled in the tasks' order; at most 2 × N files are in flight, so memory stays bounded
            while (pending.hasNext() || !window.isEmpty()) {
                while (pending.hasNext() && window.size() < 2 * parallel) {
                    BatchIndexer.Task task = pending.next();
                    window.add(pool.submit(() -> batch.index(task)));
                }
                BatchIndexer.Result r = window.poll().get();
                if (r.ok() && catalogue != null) {
                    String problem = catalogue.add(r);
                    if (problem != null) {
                        r = r.withError("indexed, but not catalogued: " + problem);
                    }
                }
                progress.step();
                if (r.skipped()) {
                    skipped++;
                } else if (!r.ok()) {
                    failed++;
                }
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("source", r.source().toString());
                    line.put("refs", r.refs() == null ? null : r.refs().toString());
                    line.put("status", r.ok() ? "ok" : r.skipped() ? "skipped" : "error");
                    line.put("error", r.error());
                    line.put("unsupported", new java.util.TreeMap<>(r.unsupported()));
                    line.put("served_only", r.servedOnly());
                    line.put("v2_only", r.ok() && r.references() != null
                            ? ZarrV3.withoutView(ZarrHierarchy.of(r.references())) : Map.of());
                    line.put("requests", r.requests() < 0 ? null : r.requests());
                    line.put("bytes_read", r.bytesFetched() < 0 ? null : r.bytesFetched());
                    out.println(JSON.writeValueAsString(line));
                } else if (!r.ok() && !r.skipped()) {
                    progress.clear();
                    err.println("refcat: " + r.source() + ": " + r.error());
                } else if (r.ok()) {
                    if (!r.unsupported().isEmpty()) {
                        progress.clear();
                        err.println("refcat: " + r.source() + ": indexed without " + r.unsupported().size()
                                + " unsupported variable(s): " + String.join(", ", new java.util.TreeSet<>(r.unsupported().keySet())));
                    }
                    if (!r.servedOnly().isEmpty()) {
                        progress.clear();
                        err.println("refcat: " + r.source() + ": " + r.servedOnly().size() + " variable(s) readable through "
                                + "the served Zarr views only (chunks stored skipping a filter): "
                                + String.join(", ", r.servedOnly()));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        progress.clear();
        if (!json) {
            int candidates = tasks.size() - skipped;
            out.println("indexed " + (candidates - failed) + " of " + candidates + " files into " + outDir
                    + (catalogue == null ? "" : " and catalogued them in " + data + " (collection " + catalogue.collection() + ")")
                    + (failed > 0 ? " (" + failed + " failed)" : "")
                    + (skipped > 0 ? "; skipped " + skipped + " file(s) that are not data (no known signature, "
                    + "a non-data name such as README.md)" : ""));
        }
        out.flush();
        if (skipped == tasks.size()) {
            err.println("refcat: no data files found (" + skipped + " file(s) skipped as not data)");
            err.flush();
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }
}
