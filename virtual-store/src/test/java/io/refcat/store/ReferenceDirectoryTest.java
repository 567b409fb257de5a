package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live reference directory: sets appear, change and go while it is asked, and are never read half-written. */
class ReferenceDirectoryTest {
    @TempDir
    Path dir;

    static ReferenceSet set(int chunks, String url) {
        TreeMap<String, Reference> refs = new TreeMap<>();
        refs.put(".zgroup", new Reference.Inline("{\"zarr_format\":2}".getBytes()));
        refs.put("a/.zarray", new Reference.Inline(("{\"zarr_format\":2,\"shape\":[" + chunks + "],\"chunks\":[1],"
                + "\"dtype\":\"|u1\",\"compressor\":null,\"fill_value\":0,\"filters\":null,\"order\":\"C\"}").getBytes()));
        for (int i = 0; i < chunks; i++) {
            refs.put("a/" + i, new Reference.Range(url, i, 1));
        }
        return new ReferenceSet(refs, new TreeMap<>());
    }

    /** As the indexer writes: a hidden temporary file renamed over the old one. */
    void write(String id, ReferenceSet set) throws Exception {
        Path target = dir.resolve(id + ".json");
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.write(tmp, KerchunkJson.toBytes(set));
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void setsAppearChangeAndGoWhileServed() throws Exception {
        ReferenceDirectory d = new ReferenceDirectory(dir);
        assertTrue(d.get("c/x.nc").isEmpty());
        write("c/x.nc", set(2, "file:///a"));
        // an id that named nothing is remembered for a second (chunk keys' longer prefixes name none)
        long deadline = System.nanoTime() + 1_500_000_000L;
        while (d.get("c/x.nc").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Dataset first = d.get("c/x.nc").orElseThrow();
        assertSame(first, d.get("c/x.nc").orElseThrow(), "unchanged: served from the cache");
        assertEquals(List.of("c/x.nc"), d.ids());
        Thread.sleep(20); // a distinct modification time even on coarse file systems
        write("c/x.nc", set(3, "file:///b"));
        Dataset second = d.get("c/x.nc").orElseThrow();
        assertNotSame(first, second);
        assertTrue(second.refs().get("a/2").isPresent());
        assertEquals(DatasetRegistry.Located.class, d.locate("c/x.nc/a/2").orElseThrow().getClass());
        Files.delete(dir.resolve("c/x.nc.json"));
        assertTrue(d.get("c/x.nc").isEmpty());
        assertTrue(d.locate("c/x.nc/a/2").isEmpty());
    }

    @Test
    void idsThatCouldLeaveTheDirectoryOrNameTemporaryFilesAreNotDatasets() throws Exception {
        write("c/x.nc", set(1, "file:///a"));
        Files.writeString(dir.resolve("c/.x.nc.json123.tmp"), "{");
        ReferenceDirectory d = new ReferenceDirectory(dir);
        for (String id : List.of("../c/x.nc", "c/../c/x.nc", "/c/x.nc", "c//x.nc", "c/.x.nc", "c/x.nc\0")) {
            assertTrue(d.get(id).isEmpty(), id);
        }
        assertEquals(List.of("c/x.nc"), d.ids());
    }

    @Test
    void theCacheIsBoundedByReferenceBytes() throws Exception {
        for (int i = 0; i < 5; i++) {
            write("d" + i, set(100, "file:///a"));
        }
        long size = Files.size(dir.resolve("d0.json"));
        ReferenceDirectory d = new ReferenceDirectory(dir, size * 2);
        Dataset d0 = d.get("d0").orElseThrow();
        d.get("d1");
        d.get("d2");
        assertNotSame(d0, d.get("d0").orElseThrow(), "evicted, read again");
        ReferenceDirectory none = new ReferenceDirectory(dir, 0);
        assertNotSame(none.get("d3").orElseThrow(), none.get("d3").orElseThrow(), "a zero budget keeps nothing");
    }

    @Test
    void aReloadDuringLargeWritesNeverSeesHalfASet() throws Exception {
        write("big", set(20_000, "file:///v0"));
        ReferenceDirectory d = new ReferenceDirectory(dir);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                ReferenceSet s = (ReferenceSet) d.get("big").orElseThrow().refs();
                int n = s.size() - 2;
                String url = KerchunkJson.urlOf(s.refs().get("a/0"));
                // Each version has 20,000 + v chunks all pointing at file:///v<v>: whole, never mixed.
                assertEquals("file:///v" + (n - 20_000), url);
                assertEquals(url, KerchunkJson.urlOf(s.refs().get("a/" + (n - 1))));
                reads.incrementAndGet();
            }
        });
        Throwable[] failure = new Throwable[1];
        reader.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        reader.start();
        for (int v = 1; v <= 15; v++) {
            write("big", set(20_000 + v, "file:///v" + v));
        }
        done.set(true);
        reader.join();
        if (failure[0] != null) {
            throw new AssertionError("a reader saw a broken set", failure[0]);
        }
        assertTrue(reads.get() > 0);
        assertEquals(20_015, ((ReferenceSet) d.get("big").orElseThrow().refs()).size() - 2);
    }

    @Test
    void aBrokenReferenceFileIsATypedError() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"version\": 1, \"refs\": [");
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> new ReferenceDirectory(dir).get("bad"));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("'bad'"), e.getMessage());
    }
}
