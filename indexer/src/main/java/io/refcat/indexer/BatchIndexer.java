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

    /** Opens a local file as a byte source (the store's file source, in production). */
    @FunctionalInterface
    public interface SourceOpener {
        ByteSource open(Path file) throws IOException;
    }

    /**
     * One input file's outcome: {@code refs} on success, {@code error} (one line) on failure, the
     * variables that could not be referenced (by path, with the reason) in a file that was, and
     * the arrays with chunks stored skipping filters, which only the served views read; on success
     * also the file's format and the references written (for a catalogue to describe).
     */
    public record Result(Path source, Path refs, String error, Map<String, String> unsupported,
                         java.util.SortedSet<String> servedOnly, Format format, ReferenceSet references,
                         boolean skipped) {
        public Result {
            unsupported = Map.copyOf(unsupported);
            servedOnly = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(servedOnly));
        }

        static Result failed(Path source, String error) {
            return new Result(source, null, error, Map.of(), new java.util.TreeSet<>(), null, null, false);
        }

        /** A file found in a directory that is plainly not data ({@link DataFileNames}). */
        static Result skipped(Path source, String why) {
            return new Result(source, null, why, Map.of(), new java.util.TreeSet<>(), null, null, true);
        }

        public boolean ok() {
            return error == null;
        }

        /** The same outcome, failed with {@code error} (indexed, but a later step failed). */
        public Result withError(String error) {
            return new Result(source, refs, error, unsupported, servedOnly, format, references, false);
        }
    }

    /**
     * A file to index and where its references go.
     *
     * @param named whether the file was named on the command line (not found in a directory)
     */
    public record Task(Path source, Path refs, boolean named) {
        public Task(Path source, Path refs) {
            this(source, refs, true);
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

    /**
     * Every file to index: a file argument as it is, a directory's regular, non-hidden files
     * recursively, in sorted order.
     */
    public static List<Task> plan(List<Path> inputs, Path outDir) throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(p -> !isHidden(input, p)).sorted().toList()) {
                        tasks.add(new Task(f, outDir.resolve(input.relativize(f) + ".json"), false));
                    }
                }
            } else {
                tasks.add(new Task(input, outDir.resolve(input.getFileName() + ".json")));
            }
        }
        return tasks;
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
            if (!Files.exists(task.source())) {
                return Result.failed(task.source(), "no such file");
            }
            ReferenceSet refs;
            Format format;
            try (ByteSource source = opener.open(task.source())) {
                format = FormatDetector.detect(source);
                refs = indexer.scan(source).toReferenceSet();
                refs = Inliner.inlineBelow(refs, inlineThreshold, (url, offset, length) -> source.read(offset, length));
            }
            ReferenceSet written = refs;
            AtomicFiles.write(task.refs(), out -> KerchunkJson.write(written, out));
            java.util.TreeSet<String> servedOnly = new java.util.TreeSet<>();
            refs.filterMasks().keySet().forEach(k -> servedOnly.add(k.substring(0, k.lastIndexOf('/'))));
            return new Result(task.source(), task.refs(), null, refs.unsupported(), servedOnly, format, refs, false);
        } catch (UnknownFormatException e) {
            return !task.named() && DataFileNames.plainlyNotData(task.source()) ? Result.skipped(task.source(), e.reason())
                    : Result.failed(task.source(), e.reason());
        } catch (ScanException e) {
            return Result.failed(task.source(), e.reason());
        } catch (IOException | ReferenceFormatException | ArithmeticException e) {
            return Result.failed(task.source(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
