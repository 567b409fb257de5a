package io.refcat.store;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.parquet.ParquetReferences;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reference sets under a directory, looked up on each request: kerchunk JSON files (the id is
 * the path without {@code .json}) and kerchunk Parquet reference directories (the id is the
 * directory's path). Nothing is loaded at start: a set is read when first asked for and kept in a
 * cache bounded by the bytes of reference files it holds, and a file replaced or deleted since is
 * seen at the next request (each lookup compares the file's size, modification time and identity);
 * a new one within a second (ids that named nothing are remembered that long).
 *
 * <p>Writers replace a reference file by renaming a whole new one over it, so a lookup reads the
 * old file or the new one, never half of one; hidden names (the writers' temporary files) are not
 * datasets.
 */
public final class ReferenceDirectory implements DatasetRegistry {
    /** Reference bytes kept parsed in memory by default. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;
    private static final String JSON = ".json";

    private final Path dir;
    private final long cacheBytes;
    private final Map<String, Dataset> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Long> weights = new LinkedHashMap<>();
    private long cached;
    private long counted;
    private long countedAt;
    private static final long COUNT_TTL_MS = 5_000;

    public ReferenceDirectory(Path dir, long cacheBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.cacheBytes = cacheBytes;
    }

    public ReferenceDirectory(Path dir) {
        this(dir, DEFAULT_CACHE_BYTES);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Ids found to name no dataset, until when ({@link System#nanoTime}): most lookups are the
     * longer prefixes of a chunk key, which name none, and each would otherwise cost two stats per
     * request. A dataset indexed under such an id is served within {@link #MISS_TTL_NANOS}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> misses = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long MISS_TTL_NANOS = 1_000_000_000L;
    private static final int MAX_MISSES = 10_000;

    @Override
    public Optional<Dataset> get(String id) {
        Long until = misses.get(id);
        if (until != null && System.nanoTime() - until < 0) {
            return Optional.empty();
        }
        Path base = pathOf(id);
        if (base == null) {
            return Optional.empty();
        }
        // One stat for a dataset that is there: it is looked up on every request, and a replaced or
        // removed file must be seen at once.
        Path file = base.resolveSibling(base.getFileName() + JSON);
        Optional<BasicFileAttributes> json = attributes(file).filter(BasicFileAttributes::isRegularFile);
        if (json.isPresent()) {
            return Optional.of(load(id, file, json.get(), false));
        }
        Optional<BasicFileAttributes> meta = attributes(base.resolve(".zmetadata")).filter(BasicFileAttributes::isRegularFile);
        Dataset d = meta.isPresent() ? load(id, base, meta.get(), true) : null;
        if (d != null) {
            return Optional.of(d);
        }
        forget(id);
        if (misses.size() >= MAX_MISSES) {
            misses.clear();
        }
        misses.put(id, System.nanoTime() + MISS_TTL_NANOS);
        return Optional.empty();
    }

    /**
     * Whether {@code id} can name a dataset: relative, slash-separated, no empty or hidden parts (so
     * no {@code ..} and none of the writers' temporary files), no NUL or backslash.
     */
    public static boolean isDatasetId(String id) {
        if (id.isEmpty() || id.startsWith("/") || id.indexOf('\0') >= 0 || id.indexOf('\\') >= 0) {
            return false;
        }
        for (String part : id.split("/", -1)) {
            if (part.isEmpty() || part.startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** The file path an id names, or null for an id that could name something outside the directory. */
    private Path pathOf(String id) {
        return isDatasetId(id) ? dir.resolve(id) : null;
    }

    private static Optional<BasicFileAttributes> attributes(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(500, "reference set unreadable", "the references at " + p + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** The dataset at {@code path} as of {@code a}, from the cache where unchanged; null where it is not references. */
    private Dataset load(String id, Path path, BasicFileAttributes a, boolean parquet) {
        Dataset.Revision revision = new Dataset.Revision(a.size() + "-" + a.lastModifiedTime().toMillis() + "-"
                + a.fileKey(), a.lastModifiedTime().toInstant());
        synchronized (this) {
            Dataset hit = cache.get(id);
            if (hit != null && hit.revision().equals(revision)) {
                return hit;
            }
        }
        ReferenceLookup refs;
        try {
            if (parquet) {
                if (!ParquetReferences.isReferenceDirectory(path)) {
                    return null; // a .zmetadata of something else (a plain Zarr store), read only on a cache miss
                }
                refs = ParquetReferences.open(path);
            } else {
                try (InputStream in = Files.newInputStream(path)) {
                    refs = KerchunkJson.read(in);
                }
            }
        } catch (NoSuchFileException e) {
            throw StoreException.notFound("dataset '" + id + "' was removed while it was being read");
        } catch (IOException | ReferenceFormatException e) {
            throw new StoreException(500, "reference set unreadable", "the references of dataset '" + id
                    + "' are not valid kerchunk references: " + e.getMessage(), e);
        }
        Dataset d = Dataset.of(id, refs, revision);
        remember(id, d, parquet ? 1 : a.size());
        return d;
    }

    private synchronized void remember(String id, Dataset d, long weight) {
        forget(id);
        if (weight > cacheBytes) {
            return;
        }
        cache.put(id, d);
        weights.put(id, weight);
        cached += weight;
        var eldest = cache.keySet().iterator();
        while (cached > cacheBytes && eldest.hasNext()) {
            String old = eldest.next();
            eldest.remove();
            cached -= weights.remove(old);
        }
    }

    private synchronized void forget(String id) {
        if (cache.remove(id) != null) {
            cached -= weights.remove(id);
        }
    }

    /**
     * The number of datasets, from a listing at most {@link #COUNT_TTL_MS} old: {@code /health} and
     * {@code /metrics} are polled, and a listing walks the whole directory.
     */
    @Override
    public long count() {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (countedAt != 0 && now - countedAt < COUNT_TTL_MS) {
                return counted;
            }
        }
        long n = ids().size();
        synchronized (this) {
            counted = n;
            countedAt = now;
        }
        return n;
    }

    @Override
    public List<String> ids() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.endsWith(JSON) && Files.isRegularFile(p)) {
                    String id = rel.substring(0, rel.length() - JSON.length());
                    if (pathOf(id) != null && !insideParquet(p)) {
                        ids.add(id);
                    }
                } else if (!rel.isEmpty() && pathOf(rel) != null && Files.isDirectory(p)
                        && ParquetReferences.isReferenceDirectory(p)) {
                    ids.add(rel);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StoreException(500, "reference directory unreadable", "listing the reference sets failed: "
                    + e.getMessage(), e);
        }
        ids.sort(null);
        return ids;
    }

    private boolean insideParquet(Path file) {
        for (Path p = file.getParent(); p != null && p.startsWith(dir) && !p.equals(dir); p = p.getParent()) {
            if (ParquetReferences.isReferenceDirectory(p)) {
                return true;
            }
        }
        return false;
    }
}
