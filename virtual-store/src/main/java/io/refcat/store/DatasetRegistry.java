package io.refcat.store;

import java.util.List;
import java.util.Optional;

/**
 * Where the store finds the datasets it serves. It is asked on every request, so a server answers
 * with what is there now: a dataset indexed, replaced or removed while it runs is served, replaced
 * or gone at the next request, with no restart.
 */
public interface DatasetRegistry {

    /** The dataset with this id as it is now, or empty. */
    Optional<Dataset> get(String id);

    /** The ids of every dataset served now, sorted. */
    List<String> ids();

    /** {@code limit} of {@link #ids()} from {@code offset}: a registry that can, reads no more than that. */
    default List<String> ids(int offset, int limit) {
        List<String> all = ids();
        int from = Math.min(offset, all.size());
        return all.subList(from, (int) Math.min(all.size(), (long) from + limit));
    }

    /** How many datasets are served now (for {@code /health} and {@code /metrics}; cheaper than listing them). */
    default long count() {
        return ids().size();
    }

    /** Splits {@code "<id>/<key>"} at the longest dataset id that prefixes it. */
    default Optional<Located> locate(String path) {
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            Optional<Dataset> d = get(path.substring(0, slash));
            if (d.isPresent()) {
                return Optional.of(new Located(d.get(), path.substring(slash + 1)));
            }
        }
        return Optional.empty();
    }

    record Located(Dataset dataset, String key) {
    }
}
