package io.refcat.indexer;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.refcat.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
    private static final int MUTATIONS = 60;

    @TestFactory
    Stream<DynamicTest> mutatedFilesFailOnlyWithTypedErrors() {
        List<Path> files = List.of(Fixtures.netcdf3Dir().resolve("classic_types.nc"),
                Fixtures.netcdf3Dir().resolve("cdf5_records.nc"), Fixtures.dataDir().resolve("hdf5/layouts_earliest.h5"),
                Fixtures.dataDir().resolve("hdf5/layouts_latest.h5"), Fixtures.dataDir().resolve("netcdf4/netcdf4.nc"),
                Fixtures.dataDir().resolve("hdf5/vds/vds.h5"), Fixtures.dataDir().resolve("hdf5/committed.h5"),
                Fixtures.dataDir().resolve("hdf5/opaque.h5"), Fixtures.dataDir().resolve("grib/pl_steps.grib2"),
                Fixtures.dataDir().resolve("grib/ensemble.grib1"), Fixtures.dataDir().resolve("grib/reduced_gaussian.grib1"),
                Fixtures.dataDir().resolve("grib/lambert.grib2"), Fixtures.dataDir().resolve("grib/bitmap.grib2"));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            byte[] original = Files.readAllBytes(f);
            Indexer indexer = new Indexer(ScanOptions.defaults());
            for (int m = 0; m < MUTATIONS; m++) {
                long seed = f.getFileName().toString().hashCode() * 1000L + m;
                byte[] data = mutate(original, new Random(seed));
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

    /** Cuts the file short, or flips a few bytes in its first 4 KiB, where the structures are. */
    private static byte[] mutate(byte[] original, Random r) {
        if (r.nextInt(4) == 0) {
            return Arrays.copyOf(original, r.nextInt(original.length));
        }
        byte[] data = original.clone();
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(Math.min(data.length, 4096));
            data[at] ^= (byte) (1 << r.nextInt(8));
        }
        return data;
    }
}
