package io.refcat.search.lucene;

import io.refcat.search.StacItems;

import io.refcat.store.Dataset;
import io.refcat.store.DatasetRegistry;
import io.refcat.store.ReferenceDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The datasets of a data directory as {@code serve --data} serves them: exactly the catalogue's
 * items, each read from its reference file under {@code DATA/refs}. The catalogue is the registry,
 * so what the STAC API lists is what the store serves at every moment: an item committed by a
 * running {@code index} is served at the next request, one removed is gone from both at once, and a
 * reference file without an item (half-way through an ingest batch) is not served until its item
 * is committed.
 */
public final class CatalogueDatasets implements DatasetRegistry {
    private final Catalogue catalogue;
    private final ReferenceDirectory refs;

    public CatalogueDatasets(Catalogue catalogue, ReferenceDirectory refs) {
        this.catalogue = catalogue;
        this.refs = refs;
    }

    @Override
    public Optional<Dataset> get(String id) {
        int slash = id.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            if (!catalogue.contains(id.substring(0, slash), StacItems.itemId(id.substring(slash + 1)))) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return refs.get(id);
    }

    @Override
    public long count() {
        try {
            return catalogue.itemCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> ids() {
        return ids(0, Integer.MAX_VALUE);
    }

    @Override
    public List<String> ids(int offset, int limit) {
        try {
            return catalogue.datasetIds(offset, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
