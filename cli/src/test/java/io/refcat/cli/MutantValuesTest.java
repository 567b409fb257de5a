package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.fixtures.Mutants;
import io.refcat.fixtures.Python;
import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.store.source.FileByteSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mutants of the robustness test ({@link Mutants}) that refcat indexes, read both ways: for
 * every variable the references hold, the values through fsspec's reference filesystem equal
 * what libnetcdf or libhdf5 reads from the same mutant, or both fail loudly; a mutant the library
 * refuses outright must not be indexed with nothing reported (check_mutants.py). GRIB mutants are
 * left to the robustness test: ecCodes rejects or re-reads them in ways a value check cannot pin.
 */
class MutantValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyIndexedMutantReadsAsTheReferenceLibraryReadsIt(@TempDir Path work) throws Exception {
        Python.requireModules("h5py", "netCDF4", "numpy", "zarr", "fsspec");
        BatchIndexer batch = new BatchIndexer(new Indexer(ScanOptions.defaults()), loc -> FileByteSource.open(Path.of(loc)), 0);
        List<Map<String, String>> manifest = new ArrayList<>();
        int indexed = 0;
        for (Path f : Mutants.sources()) {
            String name = f.getFileName().toString();
            String kind = name.endsWith(".nc") && !name.equals("netcdf4.nc") ? "netcdf3" : name.endsWith(".grib1")
                    || name.endsWith(".grib2") ? null : "hdf5";
            if (kind == null) {
                continue;
            }
            byte[] original = Files.readAllBytes(f);
            for (int m = 0; m < Mutants.PER_FILE; m++) {
                long seed = Mutants.seed(f, m);
                Path mutant = work.resolve("mutants").resolve(seed + "_" + name);
                Files.createDirectories(mutant.getParent());
                Files.write(mutant, Mutants.mutate(original, new Random(seed)));
                Path refs = work.resolve("refs").resolve(seed + "_" + name + ".json");
                BatchIndexer.Result r = batch.index(new BatchIndexer.Task(mutant, refs));
                if (r.ok()) {
                    indexed++;
                    manifest.add(Map.of("name", name + " mutation seed " + seed, "original", mutant.toString(),
                            "refs", refs.toString(), "kind", kind));
                }
            }
        }
        assertTrue(indexed >= 50, "only " + indexed + " mutants indexed: the check would prove little");
        Path manifestFile = work.resolve("mutants.manifest.json");
        JSON.writeValue(manifestFile.toFile(), manifest);
        Process p = new ProcessBuilder(Python.executable(), io.refcat.fixtures.Fixtures.repoRoot()
                .resolve("cli/src/test/python/check_mutants.py").toString(), manifestFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "check_mutants.py did not finish");
        assertEquals(0, p.exitValue(), "check_mutants.py failed:\n" + out);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode r = JSON.readTree(line);
                checked++;
                if (!r.get("ok").asBoolean()) {
                    failures.add(r.get("name").asText() + ": " + r.get("problems"));
                }
            }
        }
        assertEquals(manifest.size(), checked, "a result for every indexed mutant");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " indexed mutants differ:\n"
                + String.join("\n", failures));
    }
}
