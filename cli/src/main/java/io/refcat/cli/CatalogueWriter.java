package io.refcat.cli;

import io.refcat.indexer.BatchIndexer;
import io.refcat.reference.ReferenceSet;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.lucene.Cataloguer;
import io.refcat.store.ChunkReader;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code index --data}: each indexed file becomes a STAC item of the collection, its dataset id
 * being the collection and its references' path below {@code DATA/refs/COLLECTION}, which is the id
 * {@code serve --data} serves it under.
 */
final class CatalogueWriter implements AutoCloseable {
    private final Catalogue catalogue;
    private final Cataloguer cataloguer;
    private final String collection;
    private final Path refsDir;

    CatalogueWriter(Path data, String collection, Path refsDir) throws IOException {
        this(data, collection, refsDir, new SourceResolver(List.of(Path.of("/"))));
    }

    /** @param sources where the datasets' coordinate values are read from, to describe them */
    CatalogueWriter(Path data, String collection, Path refsDir, SourceResolver sources) throws IOException {
        this.catalogue = Catalogue.open(data);
        this.cataloguer = new Cataloguer(catalogue, new ChunkReader(sources)::decoded);
        this.collection = collection;
        this.refsDir = refsDir;
    }

    String collection() {
        return collection;
    }

    /** Catalogues an indexed file; the problem, if it cannot be described, else null. */
    String add(BatchIndexer.Result r) {
        String rel = refsDir.relativize(r.refs()).toString().replace('\\', '/');
        return add(collection + "/" + rel.substring(0, rel.length() - ".json".length()), r.format().name(), r.references());
    }

    /** Catalogues a dataset under its id; the problem, if it cannot be described, else null. */
    String add(String datasetId, String format, ReferenceSet refs) {
        try {
            cataloguer.add(collection, datasetId, format, refs);
            return null;
        } catch (IOException | RuntimeException e) {
            return io.refcat.indexer.LibraryText.of(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (catalogue) {
            cataloguer.close();
        }
    }
}
