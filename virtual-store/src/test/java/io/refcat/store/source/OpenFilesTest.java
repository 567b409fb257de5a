package io.refcat.store.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.refcat.reference.ByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFilesTest {
    @TempDir
    Path dir;

    private static BasicFileAttributes attrs(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class);
    }

    private static long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aReplacedFileIsReadAfreshAndTheOldOneStillServesItsReader() throws Exception {
        OpenFiles files = new OpenFiles();
        Path f = dir.resolve("a.bin");
        Files.write(f, new byte[] {1, 2, 3, 4});
        ByteSource old = files.open(f, attrs(f));
        Path tmp = dir.resolve(".a.tmp");
        Files.write(tmp, new byte[] {9, 8, 7, 6, 5});
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (ByteSource fresh = files.open(f, attrs(f))) {
            assertEquals(5, fresh.size());
            assertArrayEquals(new byte[] {9, 8}, fresh.read(0, 2));
        }
        assertArrayEquals(new byte[] {3, 4}, old.read(2, 2), "a request under way reads the file it opened");
        old.close();
    }

    @Test
    void mappedSlicesAreTheFilesBytes() throws Exception {
        OpenFiles files = new OpenFiles();
        Path f = dir.resolve("b.bin");
        byte[] data = new byte[10_000];
        new java.util.Random(1).nextBytes(data);
        Files.write(f, data);
        try (ByteSource s = files.open(f, attrs(f))) {
            ByteBuffer slice = ((OpenFiles.Mapped) s).mapped(1234, 100).orElseThrow();
            byte[] got = new byte[slice.remaining()];
            slice.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1234, 1334), got);
            assertTrue(((OpenFiles.Mapped) s).mapped(9_990, 20).isEmpty(), "past the end: not mapped");
        }
    }

    @Test
    void atMostMaxOpenStayOpen() throws Exception {
        OpenFiles files = new OpenFiles();
        long before = openDescriptors();
        for (int i = 0; i < OpenFiles.MAX_OPEN + 10; i++) {
            Path f = dir.resolve("f" + i);
            Files.write(f, new byte[] {(byte) i});
            try (ByteSource s = files.open(f, attrs(f))) {
                assertEquals((byte) i, s.read(0, 1)[0]);
            }
        }
        assertTrue(openDescriptors() <= before + OpenFiles.MAX_OPEN + 2, "the least recently used are closed");
    }
}
