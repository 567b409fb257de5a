package io.refcat.indexer.grib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.fixtures.Fixtures;
import io.refcat.indexer.MemorySource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SectionHeadsTest {

    /** The first message of a fixture, alone, as GribScanner hands it to NetCDF-Java. */
    private static byte[] firstMessage(String name) throws IOException {
        byte[] file = Files.readAllBytes(Fixtures.dataDir().resolve(name));
        long length = GribMessages.declaredLength(Arrays.copyOf(file, 16));
        return Arrays.copyOf(file, (int) length);
    }

    /** Whatever is read, held ahead or not, is the message's own bytes. */
    private static void readsAreTheMessage(byte[] message) throws IOException {
        MemorySource source = new MemorySource("file:///m.grib2", message);
        ByteSourceRandomAccessFile raf = new ByteSourceRandomAccessFile(source, SectionHeads.read(source));
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            int at = random.nextInt(message.length);
            int n = 1 + random.nextInt(Math.min(2000, message.length - at));
            byte[] got = new byte[n];
            raf.seek(at);
            raf.readFully(got);
            assertArrayEquals(Arrays.copyOfRange(message, at, at + n), got, n + " bytes at " + at);
        }
    }

    @Test
    void holdsTheSectionHeadersAndLittleMore() throws IOException {
        byte[] message = firstMessage("grib/ccsds.grib2"); // 13,201 bytes whose headers are 183
        MemorySource source = new MemorySource("file:///m.grib2", message);
        SectionHeads.read(source);
        assertTrue(source.bytesRead() <= 183 + SectionHeads.FIRST_READ, source.bytesRead() + " bytes read");
        readsAreTheMessage(message);
    }

    @Test
    void aSectionThatDoesNotFitLeavesTheRestToTheMessage() throws IOException {
        byte[] message = firstMessage("grib/pl_steps.grib2");
        ByteBuffer.wrap(message).putInt(16 + ByteBuffer.wrap(message).getInt(16), 0xFFFFFFF0); // section 3's length
        readsAreTheMessage(message);
    }
}
