package io.refcat.search.lucene;

import io.refcat.search.StacItems;

import io.refcat.indexer.ChunkValues;
import io.refcat.indexer.cf.MetadataExtractor;
import io.refcat.reference.KerchunkJson;
import io.refcat.reference.ReferenceSet;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns indexed datasets into catalogue entries (CF metadata → STAC Item, with the references)
 * and writes them in batches: each batch is one commit, so a run stopped at any point leaves the
 * catalogue as of the last whole batch.
 */
public final class Cataloguer implements AutoCloseable {
    public static final int BATCH = 200;

    private final Catalogue catalogue;
    private final MetadataExtractor extractor;
    private final List<Catalogue.Entry> pending = new ArrayList<>();

    public Cataloguer(Catalogue catalogue, ChunkValues chunkValues) {
        this.catalogue = catalogue;
        this.extractor = new MetadataExtractor(chunkValues);
    }

    /** Queues a dataset; the queue is written every {@link #BATCH} datasets and on {@link #close}. */
    public void add(String collection, String datasetId, String format, ReferenceSet refs) throws IOException {
        String source = refs.sources().isEmpty() ? null : refs.sources().firstKey();
        java.util.Map<String, Long> members = new java.util.TreeMap<>();
        if (refs.sources().size() > 1) {
            refs.sources().forEach((url, info) -> members.put(url, info.size()));
        }
        StacItems.Source s = new StacItems.Source(collection, datasetId, format, source, Instant.now(), members);
        pending.add(new Catalogue.Entry(StacItems.item(s, extractor.extract(refs)), KerchunkJson.toBytes(refs)));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    public void flush() throws IOException {
        if (!pending.isEmpty()) {
            catalogue.put(List.copyOf(pending));
            pending.clear();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
