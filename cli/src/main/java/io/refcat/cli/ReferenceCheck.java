package io.refcat.cli;

import io.refcat.indexer.BatchIndexer;
import io.refcat.reference.ByteSource;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceSet;
import io.refcat.store.source.FileByteSource;
import io.refcat.store.source.RemoteSources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code index --check}: whether the sources of reference files are still the objects that were
 * indexed — present, of the same size and (for remote objects) the same version — so that a site
 * learns of a replaced file before a client does.
 */
final class ReferenceCheck {
    private final RemoteSources remote;

    ReferenceCheck(RemoteSources remote) {
        this.remote = remote;
    }

    /** One source's state: {@code ok}, {@code changed} or {@code missing}, and why. */
    record SourceState(String url, String status, String reason) {
    }

    /** The reference files below the inputs (files or directories). */
    static List<Path> referenceFiles(List<String> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String input : inputs) {
            Path p = Path.of(input);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    List<SourceState> check(Path refsFile) throws IOException {
        ReferenceSet refs;
        try (InputStream in = Files.newInputStream(refsFile)) {
            refs = KerchunkJson.read(in);
        } catch (ReferenceFormatException e) {
            throw new IOException("not a reference file: " + e.getMessage(), e);
        }
        List<SourceState> states = new ArrayList<>();
        for (Map.Entry<String, ReferenceSet.SourceInfo> s : refs.sources().entrySet()) {
            states.add(check(s.getKey(), s.getValue()));
        }
        return states;
    }

    private SourceState check(String url, ReferenceSet.SourceInfo indexed) {
        try (ByteSource now = io.refcat.reference.ByteSource.isRemote(url) ? remote.open(url, null, remote.counter())
                : FileByteSource.open(Path.of(url.startsWith("file://") ? url.substring("file://".length()) : url))) {
            if (indexed.size() >= 0 && now.size() != indexed.size()) {
                return new SourceState(url, "changed", "it is " + now.size() + " bytes, indexed at " + indexed.size());
            }
            String version = now.version().orElse(null);
            if (indexed.version() != null && !indexed.version().equals(version)) {
                return new SourceState(url, "changed", "its version is " + version + ", indexed at " + indexed.version());
            }
            return new SourceState(url, "ok", null);
        } catch (java.nio.file.NoSuchFileException e) {
            return new SourceState(url, "missing", "no such file");
        } catch (io.refcat.store.source.RemoteSourceException e) {
            return new SourceState(url, e.kind() == io.refcat.store.source.RemoteSourceException.Kind.MISSING ? "missing" : "error",
                    e.getMessage());
        } catch (IOException e) {
            return new SourceState(url, "error", e.getMessage());
        }
    }

    static Map<String, Object> json(Path refsFile, List<SourceState> states, String error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("refs", refsFile.toString());
        line.put("status", error != null ? "error" : states.stream().allMatch(s -> s.status().equals("ok")) ? "ok" : "changed");
        line.put("error", error);
        line.put("sources", states);
        return line;
    }
}
