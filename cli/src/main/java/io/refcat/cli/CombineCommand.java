package io.refcat.cli;

import io.refcat.indexer.AtomicFiles;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.indexer.combine.CombineException;
import io.refcat.indexer.combine.CombineInput;
import io.refcat.indexer.combine.CombineOptions;
import io.refcat.indexer.combine.CombinedReferences;
import io.refcat.indexer.combine.Combiner;
import io.refcat.indexer.combine.CoordinateRule;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.parquet.ParquetReferences;
import io.refcat.store.ChunkReader;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "combine", description = "Combine many files (or their references) into one virtual dataset "
        + "along one or more dimensions.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every input was combined", "1:some input or variable was left out, or the run failed",
                "2:usage error"})
final class CombineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "kerchunk JSON files, source files (indexed on the "
            + "fly), or directories of either (searched recursively)")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "the combined references: a .json file, or a directory for --format parquet (this or --data)")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = "catalogue the combined dataset as well: its "
            + "references go to DIR/refs/COLLECTION/NAME(.json) and its STAC item (with its member files) to the "
            + "catalogue in DIR/catalogue (instead of -o)")
    Path data;

    @Option(names = "--collection", paramLabel = "NAME", defaultValue = "combined",
            description = "with --data: the catalogue collection (default: combined)")
    String collection;

    @Option(names = "--name", paramLabel = "NAME", description = "with --data: the dataset's name in its collection "
            + "(default: the first input's name)")
    String name;

    @Option(names = "--concat-dim", required = true, paramLabel = "NAME",
            description = "dimension to concatenate along (repeat for several)")
    List<String> concatDims;

    @Option(names = "--identical-dims", arity = "1..*", paramLabel = "NAME",
            description = "variables the same in every file, taken from the first")
    List<String> identical = new ArrayList<>();

    @Option(names = "--coord", paramLabel = "DIM=SOURCE",
            description = "where a dimension's values come from: var (its coordinate variable, the default), "
                    + "regex:PATTERN (first group of the file name; numbers or dates) or attr:NAME (a global attribute)")
    Map<String, String> coordinates = new LinkedHashMap<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (kerchunk JSON, one file) or parquet (kerchunk's Parquet layout, a directory)")
    String format;

    @Option(names = "--record-size", paramLabel = "N", defaultValue = "" + ParquetReferences.DEFAULT_RECORD_SIZE,
            description = "references per Parquet file (default 10000, as kerchunk)")
    int recordSize;

    @Option(names = "--strict", description = "fail on the first input or variable that cannot be combined")
    boolean strict;

    @Option(names = "--memory-budget", paramLabel = "MB", defaultValue = "64",
            description = "memory for chunk references in MiB (default 64); the rest wait in a temporary file")
    long memoryBudgetMb;

    @Option(names = "--temp-dir", paramLabel = "DIR", description = "where temporary files go (default: beside the output)")
    Path tempDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("json") && !format.equals("parquet")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be json or parquet");
        }
        if (recordSize <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--record-size must be > 0");
        }
        if ((output == null) == (data == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either -o PATH or --data DIR");
        }
        if (data != null) {
            String n = name != null ? name : inputs.get(0).toAbsolutePath().normalize().getFileName().toString()
                    .replaceFirst("\\.json$", "");
            for (String part : new String[] {collection, n}) {
                if (!part.matches("[A-Za-z0-9._-]+") || part.startsWith(".")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "'" + part
                            + "': a collection or dataset name is letters, digits, '.', '_' or '-'");
                }
            }
            name = n;
            output = data.resolve("refs").resolve(collection).resolve(format.equals("json") ? n + ".json" : n);
        }
        Map<String, CoordinateRule> rules = new LinkedHashMap<>();
        CombineOptions options;
        try {
            coordinates.forEach((dim, text) -> rules.put(dim, CoordinateRule.parse(text)));
            Path temp = tempDir != null ? tempDir : output.toAbsolutePath().getParent();
            options = new CombineOptions(concatDims, Set.copyOf(identical), rules, strict, memoryBudgetMb << 20, temp);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Files.createDirectories(options.tempDir());
        Path indexed = Files.createTempDirectory(options.tempDir(), ".refcat-combine-");
        try {
            List<String> failures = new ArrayList<>();
            List<CombineInput> combineInputs = collect(indexed, failures);
            if (combineInputs.isEmpty() && failures.isEmpty()) {
                err.println("refcat: no files found in " + inputs.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(", ")));
                return 1;
            }
            failures.forEach(f -> err.println("refcat: " + f));
            if (strict && !failures.isEmpty()) {
                return 1;
            }
            Combiner combiner = new Combiner(options, new ChunkReader(new SourceResolver(List.of(Path.of("/"))))::decoded);
            try (CombinedReferences combined = combiner.combine(combineInputs)) {
                if (format.equals("json")) {
                    AtomicFiles.write(output, o -> KerchunkJson.write(combined, o));
                } else {
                    AtomicFiles.writeDirectory(output, dir -> ParquetReferences.write(combined, dir, recordSize));
                }
                CombinedReferences.Report r = combined.report();
                r.leftOut().forEach(p -> err.println("refcat: left out " + p));
                r.gaps().forEach(g -> err.println("refcat: gap: " + g));
                combined.unsupported().forEach((v, why) -> err.println("refcat: variable '" + v + "' left out: " + why));
                out.println("combined " + r.files() + " of " + (combineInputs.size() + failures.size()) + " inputs into "
                        + output + ": " + combined.arrays().size() + " variables");
                if (data != null) {
                    String problem = catalogue();
                    if (problem != null) {
                        err.println("refcat: combined, but not catalogued: " + problem);
                        return 1;
                    }
                    out.println("catalogued as " + collection + "/" + name + " in " + data);
                }
                out.flush();
                boolean complete = failures.isEmpty() && r.leftOut().isEmpty() && combined.unsupported().isEmpty();
                return complete ? 0 : 1;
            }
        } catch (CombineException e) {
            err.println("refcat: combine failed: " + e.getMessage());
            return 1;
        } finally {
            AtomicFiles.deleteTree(indexed);
        }
    }

    /**
     * The combined dataset as a catalogue item; its references are read back whole to describe it
     * (coordinates, extents), so this needs memory for them, unlike the combine itself.
     */
    private String catalogue() throws IOException {
        ReferenceSet refs;
        if (format.equals("json")) {
            try (InputStream in = Files.newInputStream(output)) {
                refs = KerchunkJson.read(in);
            }
        } else {
            refs = ParquetReferences.read(output);
        }
        try (CatalogueWriter writer = new CatalogueWriter(data, collection, output.getParent())) {
            return writer.add(collection + "/" + name, "combined", refs);
        }
    }

    /** The inputs in path order: JSON files read as references, other files indexed into {@code indexed}. */
    private List<CombineInput> collect(Path indexed, List<String> failures) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> walk = Files.walk(in)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                failures.add(in + ": no such file");
            }
        }
        BatchIndexer batch = new BatchIndexer(new Indexer(ScanOptions.defaults()), loc -> FileByteSource.open(Path.of(loc)), 0);
        List<CombineInput> result = new ArrayList<>();
        for (Path f : files) {
            Path refs = f;
            if (!f.getFileName().toString().endsWith(".json")) {
                refs = indexed.resolve(result.size() + ".json");
                BatchIndexer.Result r = batch.index(new BatchIndexer.Task(f, refs));
                if (!r.ok()) {
                    failures.add(f + ": " + r.error());
                    continue;
                }
            }
            Path read = refs;
            result.add(new CombineInput(f.toString(), () -> {
                try (InputStream in = Files.newInputStream(read)) {
                    return KerchunkJson.read(in);
                }
            }));
        }
        return result;
    }
}
