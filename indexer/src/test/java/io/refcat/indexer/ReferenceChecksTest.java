package io.refcat.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.DType;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReferenceChecksTest {
    private static final String URL = "file:///data/x.nc";

    private static VirtualArray array(String path, String key, Reference ref) {
        TreeMap<String, Reference> chunks = new TreeMap<>();
        chunks.put(key, ref);
        return new VirtualArray(path, ZarrArrayMetadata.uncompressed(List.of(7L, 5L), List.of(2, 5),
                new DType('<', 'i', 4), 0L), Map.of(), List.of("y", "x"), chunks);
    }

    private static VirtualDataset dataset(VirtualArray... arrays) {
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
        sources.put(URL, new ReferenceSet.SourceInfo(1000));
        return new VirtualDataset(Map.of(), List.of(arrays), sources);
    }

    @Test
    void soundReferencesPassUnchanged() {
        VirtualDataset ds = dataset(array("a", "3.0", new Reference.Range(URL, 960, 40)));
        assertSame(ds, ReferenceChecks.checked(ds));
    }

    @Test
    void aKeyOffTheGridMovesItsArrayToUnsupported() {
        for (String key : List.of("4.0", "0.1", "0", "0.0.0", "-1.0", "01.0", "x.0", "3892314112.0")) {
            VirtualDataset ds = ReferenceChecks.checked(dataset(array("a", key, new Reference.Range(URL, 0, 40)),
                    array("b", "0.0", new Reference.Range(URL, 40, 40))));
            assertEquals(List.of("b"), ds.arrays().stream().map(VirtualArray::path).toList(), key);
            assertTrue(ds.unsupported().get("a").contains("chunk key " + key + " lies outside the grid [4, 1]"),
                    ds.unsupported().toString());
        }
    }

    @Test
    void aRangePastTheRecordedSizeMovesItsArrayToUnsupported() {
        VirtualDataset ds = ReferenceChecks.checked(dataset(array("a", "1.0", new Reference.Range(URL, 961, 40))));
        assertTrue(ds.arrays().isEmpty());
        assertEquals("chunk 1.0 at byte 961 (40 bytes) runs past the end of " + URL + " (1000 bytes)",
                ds.unsupported().get("a"));
    }

    @Test
    void keysAreCanonicalIndicesInsideTheGrid() {
        long[] grid = {3, 0, 12};
        for (String ok : java.util.List.of("0.0.0", "2.0.11", "1.0.10")) {
            org.junit.jupiter.api.Assertions.assertTrue(ReferenceChecks.onGrid(ok, ".", grid), ok);
        }
        for (String bad : java.util.List.of("3.0.0", "0.1.0", "0.0.12", "0.0", "0.0.0.0", "00.0.0", "-1.0.0", "+1.0.0",
                "0..0", "0.0.", ".0.0", "a.0.0", "0/0/0", "99999999999999999999.0.0", "")) {
            org.junit.jupiter.api.Assertions.assertFalse(ReferenceChecks.onGrid(bad, ".", grid), bad);
        }
        org.junit.jupiter.api.Assertions.assertTrue(ReferenceChecks.onGrid("2/0/3", "/", grid));
        org.junit.jupiter.api.Assertions.assertTrue(ReferenceChecks.onGrid("0", ".", new long[0]));
    }
}
