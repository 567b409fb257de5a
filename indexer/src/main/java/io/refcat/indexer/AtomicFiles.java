package io.refcat.indexer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Outputs that appear whole or not at all: written under a temporary name beside the target, then
 * moved into place, so an interrupted run leaves the old output (or none), never half a new one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface DirectoryContent {
        void writeInto(Path dir) throws IOException;
    }

    /**
     * A temporary name beside {@code target}: hidden, unique, ending in {@code .tmp}. Created with
     * the process's umask (not {@code createTempFile}'s owner-only mode): a reference file written
     * through it is readable as any other file the user makes.
     */
    private static Path temporary(Path dir, Path target) {
        return dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + TMP);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final String TMP = ".tmp";

    /**
     * Removes temporary outputs a killed run left under {@code dir} (hidden names ending in
     * {@code .tmp}), if older than {@code age}: a run in progress writes each for seconds only.
     */
    public static int removeStale(Path dir, java.time.Duration age) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        java.time.Instant before = java.time.Instant.now().minus(age);
        List<Path> stale;
        try (Stream<Path> walk = Files.walk(dir)) {
            stale = walk.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(TMP))
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toInstant().isBefore(before);
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
        for (Path p : stale) {
            deleteTree(p);
        }
        return stale.size();
    }

    public static void write(Path target, Content content) throws IOException {
        Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = temporary(dir, target);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
                content.writeTo(out);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A directory written beside the target, then swapped in (an existing one is replaced). */
    public static void writeDirectory(Path target, DirectoryContent content) throws IOException {
        Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = Files.createDirectory(temporary(dir, target));
        Path old = dir.resolve("." + target.getFileName() + ".old");
        try {
            content.writeInto(tmp);
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Removes a directory tree, if there is one. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
