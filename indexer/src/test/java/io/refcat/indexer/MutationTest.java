package io.refcat.indexer;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.refcat.fixtures.Mutants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fuzz-style robustness: fixtures with flipped bytes and cut short must either index or fail
 * with the project's typed {@link ScanException}; no other exception escapes, and nothing hangs.
 * Seeded, so a failure names the mutation that reproduces it.
 */
class MutationTest {
    @TestFactory
    Stream<DynamicTest> mutatedFilesFailOnlyWithTypedErrors() {
        List<Path> files = Mutants.sources();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            byte[] original = Files.readAllBytes(f);
            Indexer indexer = new Indexer(ScanOptions.defaults());
            for (int m = 0; m < Mutants.PER_FILE; m++) {
                long seed = Mutants.seed(f, m);
                byte[] data = Mutants.mutate(original, new Random(seed));
                String what = f.getFileName() + " mutation seed " + seed;
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    try {
                        indexer.scan(new MemorySource("mem://" + what, data)).toReferenceSet();
                    } catch (ScanException expected) {
                        // the typed error is the right outcome for a broken file
                    } catch (Throwable t) {
                        throw new AssertionError(what + ": escaped " + t, t);
                    }
                }, what + " hung");
            }
        }));
    }
}
