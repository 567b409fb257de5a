package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refcat serve} refuses bad arguments before it binds a port; serving itself is ServeUnderLoadTest. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingRefsDirectoryIsAUsageError() {
        IndexCommandTest.Run r = IndexCommandTest.refcat("serve", "--refs", tmp.resolve("nope").toString(), "--port", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not a directory"), r.err());
    }

    @Test
    void refsAreRequired() {
        assertEquals(2, IndexCommandTest.refcat("serve", "--port", "0").exit());
    }
}
