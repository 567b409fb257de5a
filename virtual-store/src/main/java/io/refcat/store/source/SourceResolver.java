package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import io.refcat.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the source a reference points to, and refuses local files outside the configured roots
 * before touching them: a reference file is data, and must not be able to make the server read
 * {@code /etc/shadow}. Symbolic links are resolved before the check. Remote objects
 * ({@code s3://}, {@code http(s)://}) are read only below the remote roots given (URL prefixes),
 * for the same reason: a reference must not make the server fetch whatever it names.
 */
public final class SourceResolver {
    private final List<Path> roots;
    private final List<String> remoteRoots;
    private final RemoteSources remote;
    private final RangeCache cache;
    /** Local source URLs already resolved (symbolic links followed, checked to lie under a root). */
    private final java.util.concurrent.ConcurrentHashMap<String, Path> realPaths = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_RESOLVED = 100_000;
    private final OpenFiles files = new OpenFiles();

    public SourceResolver(List<Path> roots) {
        this(roots, List.of(), null, new RangeCache(0));
    }

    /** @param cache where ranges of remote objects are kept (capacity 0: nowhere) */
    public SourceResolver(List<Path> roots, List<String> remoteRoots, RemoteSources remote, RangeCache cache) {
        this.remoteRoots = List.copyOf(remoteRoots);
        this.remote = remote;
        this.cache = cache;
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            Path abs = root.toAbsolutePath().normalize();
            try {
                real.add(abs.toRealPath());
            } catch (IOException e) {
                real.add(abs);
            }
        }
        this.roots = List.copyOf(real);
    }

    public List<Path> roots() {
        return roots;
    }

    public List<String> remoteRoots() {
        return remoteRoots;
    }

    public RangeCache cache() {
        return cache;
    }

    /** Requests made of remote sources through this resolver (zero without remote roots). */
    public SourceCounter remoteRequests() {
        return remote == null ? new SourceCounter() : remote.total();
    }

    public ByteSource open(String url) {
        return open(url, null);
    }

    /**
     * Opens a source; {@code indexed} (may be null) is what its references recorded of it, which
     * a remote object must still match.
     */
    public ByteSource open(String url, io.refcat.reference.ReferenceSet.SourceInfo indexed) {
        if (io.refcat.reference.ByteSource.isRemote(url)) {
            if (remote == null || remoteRoots.stream().noneMatch(url::startsWith) || url.contains("/../")) {
                throw new StoreException(403, "source outside the served roots", "a reference points to " + url
                        + ", which is below no --root URL prefix; it is not read");
            }
            try {
                return cache.around(remote.open(url, indexed, remote.counter()));
            } catch (IOException e) {
                throw StoreException.readFailed(url, e);
            }
        }
        Path known = realPaths.get(url);
        if (known != null) {
            // One stat: the file is still a regular file at the path resolved before, and the open
            // one is reused while it is the same file (OpenFiles).
            try {
                BasicFileAttributes a = Files.readAttributes(known, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    return files.open(known, a);
                }
            } catch (IOException e) {
                // gone or changed kind: resolved again below
            }
            realPaths.remove(url);
        }
        Path path = localPath(url);
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            if (!isUnderRoot(path)) {
                throw StoreException.forbidden(url);
            }
            throw new StoreException(409, "source missing", "source " + url + " does not exist any more; re-index it");
        } catch (IOException e) {
            throw StoreException.readFailed(url, e);
        }
        if (!isUnderRoot(real) || !Files.isRegularFile(real)) {
            throw StoreException.forbidden(url);
        }
        try {
            ByteSource source = files.open(real, Files.readAttributes(real, BasicFileAttributes.class));
            if (realPaths.size() >= MAX_RESOLVED) {
                realPaths.clear();
            }
            realPaths.put(url, real);
            return source;
        } catch (IOException e) {
            throw StoreException.readFailed(url, e);
        }
    }

    private boolean isUnderRoot(Path p) {
        for (Path root : roots) {
            if (p.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    static Path localPath(String url) {
        if (url.startsWith("file://")) {
            return Path.of(url.substring("file://".length())).toAbsolutePath().normalize();
        }
        if (url.startsWith("/")) {
            return Path.of(url).normalize();
        }
        throw StoreException.unsupported("source URL scheme of '" + url + "' is not served yet (local files only)");
    }
}
