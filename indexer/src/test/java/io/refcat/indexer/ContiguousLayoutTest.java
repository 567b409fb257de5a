package io.refcat.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.refcat.reference.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContiguousLayoutTest {
    @Test
    void rowsPerChunkIsTheLargestFittingDivisor() {
        assertEquals(8, ContiguousLayout.rowsPerChunk(64, 800, 8192));
        assertEquals(1, ContiguousLayout.rowsPerChunk(67, 400, 8192));
        assertEquals(1, ContiguousLayout.rowsPerChunk(64, 100_000, 8192));
        assertEquals(64, ContiguousLayout.rowsPerChunk(64, 1, 8192));
    }

    @Test
    void slabsCoverTheArrayExactly() {
        ContiguousLayout l = ContiguousLayout.of("u", 100, List.of(6L, 5L), 4, 50);
        assertEquals(List.of(2, 5), l.chunks());
        assertEquals(3, l.refs().size());
        assertEquals(new Reference.Range("u", 180, 40), l.refs().get("2.0"));
        ContiguousLayout scalar = ContiguousLayout.of("u", 8, List.of(), 8, 50);
        assertEquals(new Reference.Range("u", 8, 8), scalar.refs().get("0"));
        assertEquals(0, ContiguousLayout.of("u", 8, List.of(0L, 3L), 8, 50).refs().size());
    }
}
