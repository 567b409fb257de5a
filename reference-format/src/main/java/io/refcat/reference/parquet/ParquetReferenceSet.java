package io.refcat.reference.parquet;

import io.refcat.reference.KerchunkJson;
import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceFormatException;
import io.refcat.reference.ReferenceLookup;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.apache.parquet.example.data.Group;

/**
 * Parquet references read as fsspec's {@code LazyReferenceMapper} reads them: metadata from
 * {@code .zmetadata} at open, and a chunk's record (one {@code refs.<n>.parq} file) when a key in it
 * is first asked for. The most recently used records stay in memory, up to {@link #CACHED_RECORDS},
 * so serving a set of any size takes bounded memory.
 */
public final class ParquetReferenceSet implements ReferenceLookup, LargeReferenceSet {
    static final int CACHED_RECORDS = 64;

    private final Path dir;
    private final long recordSize;
    private final SortedMap<String, Reference> metadata;
    private final Map<String, ZarrArrayMetadata> arrays;
    private final SortedMap<String, ReferenceSet.SourceInfo> sources;
    private final SortedMap<String, String> unsupported;
    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
            return size() > CACHED_RECORDS;
        }
    };

    /** One Parquet file's rows, column by column; a null reference where a row has none. */
    private record Record(Reference[] refs) {
    }

    ParquetReferenceSet(Path dir, long recordSize, SortedMap<String, Reference> metadata,
                        Map<String, ZarrArrayMetadata> arrays, SortedMap<String, ReferenceSet.SourceInfo> sources,
                        SortedMap<String, String> unsupported) {
        this.dir = dir;
        this.recordSize = recordSize;
        this.metadata = Collections.unmodifiableSortedMap(metadata);
        this.arrays = Collections.unmodifiableMap(arrays);
        this.sources = Collections.unmodifiableSortedMap(sources);
        this.unsupported = Collections.unmodifiableSortedMap(unsupported);
    }

    @Override
    public Optional<Reference> get(String key) {
        Reference meta = metadata.get(key);
        if (meta != null) {
            return Optional.of(meta);
        }
        String path = ZarrHierarchy.parentOf(key);
        ZarrArrayMetadata array = arrays.get(path);
        if (array == null) {
            return Optional.empty();
        }
        long[] grid = array.chunkGrid();
        String chunk = key.substring(path.isEmpty() ? 0 : path.length() + 1);
        String[] parts = array.rank() == 0 ? new String[] {chunk}
                : chunk.split(Pattern.quote(array.dimensionSeparator()), -1);
        long[] index = new long[array.rank()];
        if (array.rank() == 0 ? !chunk.equals("0") : parts.length != index.length) {
            return Optional.empty();
        }
        try {
            for (int i = 0; i < index.length; i++) {
                index[i] = Long.parseLong(parts[i]);
                if (index[i] < 0 || index[i] >= grid[i]) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long linear = LargeReferenceSet.ravel(index, grid);
        Record r = record(path, linear / recordSize);
        int row = (int) (linear % recordSize);
        return row < r.refs().length ? Optional.ofNullable(r.refs()[row]) : Optional.empty();
    }

    private synchronized Record record(String path, long number) {
        String id = path + "\u0000" + number;
        Record r = records.get(id);
        if (r == null) {
            try {
                r = load(path, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            records.put(id, r);
        }
        return r;
    }

    private Record load(String path, long number) throws IOException {
        Path file = dir.resolve(path).resolve("refs." + number + ".parq");
        if (!Files.isRegularFile(file)) {
            return new Record(new Reference[0]);
        }
        List<Group> rows;
        try {
            rows = UncompressedParquet.rows(file, ParquetReferences.SCHEMA, recordSize);
        } catch (ReferenceFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ReferenceFormatException(file + ": not readable as refcat's Parquet references: " + e, e);
        }
        Reference[] refs = new Reference[rows.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = ParquetReferences.row(rows.get(i));
        }
        return new Record(refs);
    }

    @Override
    public SortedMap<String, Reference> metadata() {
        return metadata;
    }

    @Override
    public Map<String, ZarrArrayMetadata> arrays() {
        return arrays;
    }

    /** Reads the records of one array in order, past the cache. */
    @Override
    public void chunks(String arrayPath, ChunkVisitor visitor) throws IOException {
        long total = LargeReferenceSet.chunkCount(arrays.get(arrayPath).chunkGrid());
        for (long r = 0; r * recordSize < total; r++) {
            Reference[] refs = load(arrayPath, r).refs();
            for (int i = 0; i < refs.length; i++) {
                if (refs[i] != null) {
                    visitor.accept(r * recordSize + i, refs[i]);
                }
            }
        }
    }

    @Override
    public int filterMask(String key) {
        return 0;
    }

    @Override
    public boolean hasFilterMasks(String arrayPath) {
        return false;
    }

    @Override
    public SortedMap<String, ReferenceSet.SourceInfo> sources() {
        return sources;
    }

    @Override
    public SortedMap<String, String> unsupported() {
        return unsupported;
    }

    @Override
    public void writeJson(OutputStream out, java.util.function.UnaryOperator<String> urls) throws IOException {
        KerchunkJson.write((LargeReferenceSet) this, out, urls);
    }
}
