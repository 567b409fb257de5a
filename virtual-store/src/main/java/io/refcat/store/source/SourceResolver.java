package io.refcat.store.source;

import io.refcat.reference.ByteSource;
import io.refcat.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the source a reference points to, and refuses local files outside the configured roots
 * before touching them: a reference file is data, and must not be able to make the server read
 * {@code /etc/shadow}. Symbolic links are resolved before the check.
 */
public final class SourceResolver {
    private final List<Path> roots;

    public SourceResolver(List<Path> roots) {
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

    public ByteSource open(String url) {
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
            return FileByteSource.open(real);
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
