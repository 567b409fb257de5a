package io.refcat.cli;

import io.refcat.indexer.BatchIndexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.ByteSource;
import io.refcat.store.source.RemoteSourceException;
import io.refcat.store.source.RemoteSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Looks for a GRIB file's index sidecar beside it, where NOAA and ECMWF put them:
 * {@code FILE.idx} (wgrib2), {@code FILE.index} and {@code FILE-without-extension.index} (ECMWF).
 * A sidecar over 64 MiB is not one.
 */
final class SidecarFinder implements ScanOptions.Sidecars {
    private static final long MAX_BYTES = 64L << 20;
    private final RemoteSources remote;

    SidecarFinder(RemoteSources remote) {
        this.remote = remote;
    }

    static List<String> candidates(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? url.substring(0, url.length() - (name.length() - dot)) : url;
        return dot > 0 ? List.of(url + ".idx", url + ".index", base + ".index") : List.of(url + ".idx", url + ".index");
    }

    @Override
    public Optional<byte[]> find(String url) throws IOException {
        for (String candidate : candidates(url)) {
            if (io.refcat.reference.ByteSource.isRemote(candidate)) {
                try (ByteSource s = remote.open(candidate, null, remote.counter())) {
                    if (s.size() <= MAX_BYTES) {
                        return Optional.of(s.read(0, (int) s.size()));
                    }
                } catch (RemoteSourceException e) {
                    if (e.kind() != RemoteSourceException.Kind.MISSING) {
                        throw e;
                    }
                }
            } else {
                Path p = Path.of(candidate.startsWith("file://") ? candidate.substring("file://".length()) : candidate);
                if (Files.isRegularFile(p) && Files.size(p) <= MAX_BYTES) {
                    return Optional.of(Files.readAllBytes(p));
                }
            }
        }
        return Optional.empty();
    }
}
