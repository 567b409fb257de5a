package io.refcat.indexer.combine;

/** A combine run that cannot produce a dataset: nothing combinable, or a problem under {@code --strict}. */
public final class CombineException extends RuntimeException {
    public CombineException(String message) {
        super(message);
    }
}
