package io.refcat.store;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A fixed set of datasets held in memory: for tests, benches and embedding. */
public final class DatasetCatalog implements DatasetRegistry {
    private final Map<String, Dataset> datasets;

    private DatasetCatalog(Map<String, Dataset> datasets) {
        this.datasets = Collections.unmodifiableMap(datasets);
    }

    public static DatasetCatalog of(List<Dataset> datasets) {
        Map<String, Dataset> byId = new TreeMap<>();
        datasets.forEach(d -> byId.put(d.id(), d));
        return new DatasetCatalog(byId);
    }

    @Override
    public Optional<Dataset> get(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    @Override
    public List<String> ids() {
        return List.copyOf(datasets.keySet());
    }
}
