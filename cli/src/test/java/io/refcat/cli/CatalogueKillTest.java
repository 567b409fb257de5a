package io.refcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.reference.KerchunkJson;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.Cataloguer;
import io.refcat.search.lucene.ItemQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code refcat index --data} process killed with SIGKILL in the middle of a large ingest:
 * the catalogue opens, holds whole batches only, every item with its references, and a second run
 * completes it.
 */
class CatalogueKillTest {
    @TempDir
    Path tmp;

    @Test
    void killNineDuringIngestLeavesWholeBatchesAndARerunCompletes() throws Exception {
        int files = 2000;
        Path archive = Files.createDirectories(tmp.resolve("archive"));
        byte[] sample = Files.readAllBytes(Fixtures.dataDir().resolve("catalogue/europe_sst_noleap.nc"));
        for (int i = 0; i < files; i++) {
            Files.write(archive.resolve(String.format("f%05d.nc", i)), sample);
        }
        Path data = tmp.resolve("data");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Refcat.class.getName(), "index", archive.toString(),
                "--data", data.toString(), "--collection", "big");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long committed = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (committed < Cataloguer.BATCH && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            committed = count(data);
        }
        assertTrue(p.isAlive(), "the ingest ended before it could be killed: " + Files.readString(tmp.resolve("log.txt")));
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");

        long after = count(data);
        assertTrue(after >= committed && after < files, after + " items after the kill");
        assertEquals(0, after % Cataloguer.BATCH, "only whole batches: " + after);
        try (Catalogue c = Catalogue.openReadOnly(data)) {
            Catalogue.Page page = c.search(new ItemQuery(null, null, null, false, null, null, null, 1000, null));
            for (Map<String, Object> item : page.items()) {
                byte[] refs = c.refs("big", (String) item.get("id")).orElseThrow();
                assertTrue(KerchunkJson.read(refs).size() > 0, "references of " + item.get("id"));
            }
            assertEquals(after, ((Number) ((Map<?, ?>) c.collection("big").orElseThrow()).get("refcat:items")).longValue(),
                    "the collection counts the committed items");
        }

        Process again = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(again.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, again.exitValue(), log);
        assertEquals(files, count(data));
    }

    private static long count(Path data) throws Exception {
        if (!Files.isDirectory(data.resolve("catalogue")) || !org.apache.lucene.index.DirectoryReader.indexExists(
                org.apache.lucene.store.FSDirectory.open(data.resolve("catalogue")))) {
            return 0;
        }
        try (Catalogue c = Catalogue.openReadOnly(data)) {
            return c.search(new ItemQuery(null, null, null, false, null, null, null, 1, null)).numberMatched();
        }
    }
}
