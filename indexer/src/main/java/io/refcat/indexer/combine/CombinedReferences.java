package io.refcat.indexer.combine;

import io.refcat.reference.LargeReferenceSet;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of a combine: a {@link LargeReferenceSet} read from the combine's chunk table, and
 * what was left out and why. Close it to delete the table.
 */
public final class CombinedReferences implements LargeReferenceSet, AutoCloseable {

    /**
     * @param files    inputs combined
     * @param leftOut  inputs left out, each with the reason
     * @param gaps     steps along a concatenation dimension wider than the usual step
     */
    public record Report(int files, List<String> leftOut, List<String> gaps) {
    }

    private final ChunkTable table;
    private final SortedMap<String, Reference> metadata;
    private final Map<String, ZarrArrayMetadata> arrays;
    private final Map<String, Long> bases;
    private final List<String> urls;
    private final SortedMap<String, ReferenceSet.SourceInfo> sources;
    private final SortedMap<String, String> unsupported;
    private final Report report;

    CombinedReferences(ChunkTable table, Map<String, Reference> metadata, Map<String, ZarrArrayMetadata> arrays,
                       Map<String, Long> bases, List<String> urls, SortedMap<String, ReferenceSet.SourceInfo> sources,
                       SortedMap<String, String> unsupported, Report report) {
        this.table = table;
        this.metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
        this.arrays = Collections.unmodifiableMap(new TreeMap<>(arrays));
        this.bases = Map.copyOf(bases);
        this.urls = List.copyOf(urls);
        this.sources = Collections.unmodifiableSortedMap(sources);
        this.unsupported = Collections.unmodifiableSortedMap(unsupported);
        this.report = report;
    }

    @Override
    public SortedMap<String, Reference> metadata() {
        return metadata;
    }

    @Override
    public Map<String, ZarrArrayMetadata> arrays() {
        return arrays;
    }

    @Override
    public void chunks(String arrayPath, ChunkVisitor visitor) throws IOException {
        long base = bases.get(arrayPath);
        long count = LargeReferenceSet.chunkCount(arrays.get(arrayPath).chunkGrid());
        for (long i = 0; i < count; i++) {
            ChunkTable.Slot slot = table.get(base + i);
            if (slot.empty()) {
                continue;
            }
            Reference ref;
            if (slot.source() == ChunkTable.INLINE) {
                ref = new Reference.Inline(table.inline(slot));
            } else if (slot.length() < 0) {
                ref = new Reference.WholeFile(urls.get(slot.source() - 1));
            } else {
                ref = new Reference.Range(urls.get(slot.source() - 1), slot.offset(), slot.length());
            }
            visitor.accept(i, ref);
        }
    }

    @Override
    public SortedMap<String, ReferenceSet.SourceInfo> sources() {
        return sources;
    }

    @Override
    public SortedMap<String, String> unsupported() {
        return unsupported;
    }

    public Report report() {
        return report;
    }

    @Override
    public void close() throws IOException {
        table.close();
    }
}
