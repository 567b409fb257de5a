package io.refcat.indexer.combine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkTableTest {
    @TempDir
    Path tmp;

    @Test
    void slotsSurviveEvictionFromASmallCacheInAnyOrder() throws IOException {
        int n = 20_000;
        long[] order = new Random(7).longs(n, 0, 5_000_000).toArray();
        try (ChunkTable t = new ChunkTable(tmp, 1)) {
            for (int i = 0; i < n; i++) {
                t.put(order[i], i % 1000 + 1, order[i] * 3, i);
            }
            t.putInline(5_000_001, new byte[] {1, 2, 3});
            java.util.Map<Long, Integer> last = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                last.put(order[i], i);
            }
            for (int i = n - 1; i >= 0; i--) {
                int w = last.get(order[i]);
                assertEquals(new ChunkTable.Slot(w % 1000 + 1, order[i] * 3, w), t.get(order[i]));
            }
            assertTrue(t.get(5_000_002).empty());
            assertArrayEquals(new byte[] {1, 2, 3}, t.inline(t.get(5_000_001)));
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary files are deleted on close");
        }
    }
}
