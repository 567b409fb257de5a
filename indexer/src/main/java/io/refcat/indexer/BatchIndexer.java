package io.refcat.indexer;

import io.refcat.reference.ByteSource;
import io.refcat.reference.Inliner;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Indexes files and directory trees into one kerchunk JSON per file, mirroring relative paths
 * under an output directory ({@code in/a/b.nc} → {@code out/a/b.nc.json}). A file that fails is
 * reported and the batch goes on; a reference file is written to a temporary name and moved into
 * place, so an interrupted run never leaves a half-written one.
 */
public final class BatchIndexer {

    /** Opens a file (a local path or a remote URL) as a byte source (the store's sources, in production). */
    @FunctionalInterface
    public interface SourceOpener {
        ByteSource open(String location) throws IOException;
    }

    /** Lists the objects below a remote prefix URL (one ending in '/'). */
    @FunctionalInterface
    public interface RemoteLister {
        List<String> list(String prefix) throws IOException;
    }


    /**
     * One input file's outcome: {@code refs} on success, {@code error} (one line) on failure, the
     * variables that could not be referenced (by path, with the reason) in a file that was, and
     * the arrays with chunks stored skipping filters, which only the served views read; on success
     * also the file's format and the references written (for a catalogue to describe).
     */
    public record Result(String source, Path refs, String error, Map<String, String> unsupported,
                         java.util.SortedSet<String> servedOnly, Format format, ReferenceSet references,
                         boolean skipped, long requests, long bytesFetched) {
        public Result {
            unsupported = Map.copyOf(unsupported);
            servedOnly = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(servedOnly));
        }

        static Result failed(String source, String error) {
            return new Result(source, null, error, Map.of(), new java.util.TreeSet<>(), null, null, false, -1, -1);
        }

        /** A file found in a directory that is plainly not data ({@link DataFileNames}). */
        static Result skipped(String source, String why) {
            return new Result(source, null, why, Map.of(), new java.util.TreeSet<>(), null, null, true, -1, -1);
        }


        public boolean ok() {
            return error == null;
        }

        /** The same outcome, failed with {@code error} (indexed, but a later step failed). */
        public Result withError(String error) {
            return new Result(source, refs, error, unsupported, servedOnly, format, references, false, requests, bytesFetched);
        }
    }

    /**
     * A file to index and where its references go.
     *
     * @param named whether the file was named on the command line (not found in a directory)
     */
    public record Task(String source, Path refs, boolean named) {
        public Task(Path source, Path refs) {
            this(source.toString(), refs, true);
        }
    }

    private final Indexer indexer;
    private final SourceOpener opener;
    private final int inlineThreshold;

    public BatchIndexer(Indexer indexer, SourceOpener opener, int inlineThreshold) {
        this.indexer = indexer;
        this.opener = opener;
        this.inlineThreshold = inlineThreshold;
    }

    /** Every local file to index ({@link #plan(List, Path, RemoteLister)} without remote inputs). */
    public static List<Task> plan(List<Path> inputs, Path outDir) throws IOException {
        return plan(inputs.stream().map(Path::toString).toList(), outDir, prefix -> {
            throw new IOException("no remote inputs expected: " + prefix);
        });
    }

    /**
     * Every file to index: a file argument as it is, a directory's regular, non-hidden files
     * recursively, in sorted order; a remote URL ending in '/' is a prefix whose objects are listed.
     * References mirror the paths below each directory or prefix.
     */
    public static List<Task> plan(List<String> inputs, Path outDir, RemoteLister lister) throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (String location : inputs) {
            if (ByteSource.isRemote(location)) {
                if (location.endsWith("/")) {
                    for (String url : lister.list(location)) {
                        tasks.add(new Task(url, outDir.resolve(decoded(url.substring(location.length())) + ".json"), false));
                    }
                } else {
                    tasks.add(new Task(location, outDir.resolve(decoded(lastSegment(location)) + ".json"), true));
                }
                continue;
            }
            Path input = Path.of(location);
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(p -> !isHidden(input, p)).sorted().toList()) {
                        tasks.add(new Task(f.toString(), outDir.resolve(input.relativize(f) + ".json"), false));
                    }
                }
            } else {
                tasks.add(new Task(input, outDir.resolve(input.getFileName() + ".json")));
            }
        }
        return tasks;
    }

    /**
     * Inputs that would be written to one reference file (and catalogued as one item): two
     * directories both holding {@code x.nc}, a file named twice. Keyed by that reference path.
     */
    public static Map<Path, List<String>> collisions(List<Task> tasks) {
        Map<Path, List<String>> byRefs = new java.util.LinkedHashMap<>();
        for (Task t : tasks) {
            byRefs.computeIfAbsent(t.refs().toAbsolutePath().normalize(), k -> new ArrayList<>()).add(t.source());
        }
        byRefs.values().removeIf(sources -> sources.size() < 2);
        return byRefs;
    }

    /** The last part of a URL's path ({@code s3://b/a/x.nc} → {@code x.nc}); for a prefix, its last folder. */
    public static String lastSegment(String url) {
        String path = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "remote" : name;
    }

    /** A relative URL path as a file path: percent-escapes decoded, no way out of the output directory. */
    private static String decoded(String relative) throws IOException {
        String path = java.net.URLDecoder.decode(relative.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".") || part.isEmpty() || part.indexOf('\0') >= 0) {
                throw new IOException("remote name '" + relative + "' cannot be a reference file's path");
            }
        }
        return path;
    }

    private static boolean isHidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    public Result index(Task task) {
        try {
            if (!ByteSource.isRemote(task.source()) && !Files.exists(Path.of(task.source()))) {
                return Result.failed(task.source(), "no such file");
            }
            ReferenceSet refs;
            Format format;
            long requests;
            long fetched;
            try (ByteSource source = opener.open(task.source())) {
                format = FormatDetector.detect(source);
                refs = indexer.scan(source).toReferenceSet();
                refs = Inliner.inlineBelow(refs, inlineThreshold, (url, offset, length) -> source.read(offset, length));
                requests = source.requests();
                fetched = source.bytesFetched();
            }
            ReferenceSet written = refs;
            AtomicFiles.write(task.refs(), out -> KerchunkJson.write(written, out));
            java.util.TreeSet<String> servedOnly = new java.util.TreeSet<>();
            refs.filterMasks().keySet().forEach(k -> servedOnly.add(k.substring(0, k.lastIndexOf('/'))));
            return new Result(task.source(), task.refs(), null, refs.unsupported(), servedOnly, format, refs, false, requests, fetched);
        } catch (UnknownFormatException e) {
            return !task.named() && DataFileNames.plainlyNotData(Path.of(lastSegment(task.source()))) ? Result.skipped(task.source(), e.reason())
                    : Result.failed(task.source(), e.reason());
        } catch (ScanException e) {
            return Result.failed(task.source(), e.reason());
        } catch (ArithmeticException e) {
            return Result.failed(task.source(), "sizes in the file's structures overflow: the file is corrupt ("
                    + LibraryText.of(e) + ")");
        } catch (IOException | ReferenceFormatException e) {
            return Result.failed(task.source(), LibraryText.of(e));
        }
    }
}
