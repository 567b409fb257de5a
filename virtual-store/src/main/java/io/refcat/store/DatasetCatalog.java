package io.refcat.store;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.parquet.ParquetReferences;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference sets under a directory, loaded once at start-up: kerchunk JSON files (the id is
 * the path without {@code .json}, held in memory) and kerchunk Parquet reference directories (the
 * id is the directory's path; records are read as keys are asked for). One that is not a valid reference set is reported and skipped; the others
 * are served.
 */
public final class DatasetCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetCatalog.class);

    private final Map<String, Dataset> datasets;
    private final List<String> problems;

    private DatasetCatalog(Map<String, Dataset> datasets, List<String> problems) {
        this.datasets = Collections.unmodifiableMap(datasets);
        this.problems = List.copyOf(problems);
    }

    public static DatasetCatalog of(List<Dataset> datasets) {
        Map<String, Dataset> byId = new TreeMap<>();
        datasets.forEach(d -> byId.put(d.id(), d));
        return new DatasetCatalog(byId, List.of());
    }

    public static DatasetCatalog load(Path dir) throws IOException {
        Map<String, Dataset> byId = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<Path> parquet;
        try (Stream<Path> walk = Files.walk(dir)) {
            parquet = walk.filter(p -> Files.isDirectory(p) && ParquetReferences.isReferenceDirectory(p)).sorted().toList();
        }
        for (Path d : parquet) {
            String id = dir.relativize(d).toString().replace('\\', '/');
            try {
                byId.put(id, Dataset.of(id, ParquetReferences.open(d)));
            } catch (IOException | ReferenceFormatException e) {
                problems.add(notServed(d, e));
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")
                    && parquet.stream().noneMatch(p::startsWith)).sorted().toList();
        }
        for (Path file : files) {
            String rel = dir.relativize(file).toString().replace('\\', '/');
            String id = rel.substring(0, rel.length() - ".json".length());
            try (InputStream in = Files.newInputStream(file)) {
                byId.put(id, Dataset.of(id, KerchunkJson.read(in)));
            } catch (IOException | ReferenceFormatException e) {
                problems.add(notServed(file, e));
            }
        }
        return new DatasetCatalog(byId, problems);
    }

    private static String notServed(Path path, Exception e) {
        String problem = path + ": not served: " + e.getMessage();
        LOG.warn(problem);
        return problem;
    }

    public Map<String, Dataset> datasets() {
        return datasets;
    }

    public List<String> problems() {
        return problems;
    }

    /** Splits {@code "<id>/<key>"} at the longest dataset id that prefixes it. */
    public Optional<Located> locate(String path) {
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            Dataset d = datasets.get(path.substring(0, slash));
            if (d != null) {
                return Optional.of(new Located(d, path.substring(slash + 1)));
            }
        }
        return Optional.empty();
    }

    public record Located(Dataset dataset, String key) {
    }
}
