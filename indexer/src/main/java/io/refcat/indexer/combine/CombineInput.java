package io.refcat.indexer.combine;

import io.refcat.reference.ReferenceSet;
import java.io.IOException;

/**
 * One reference set to combine, loaded when needed (twice: once to survey, once to emit), so that
 * only one input is in memory at a time.
 *
 * @param name how reports name the input (its path)
 */
public record CombineInput(String name, Loader loader) {

    @FunctionalInterface
    public interface Loader {
        ReferenceSet load() throws IOException;
    }
}
