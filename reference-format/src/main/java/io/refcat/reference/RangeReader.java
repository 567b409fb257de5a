package io.refcat.reference;

import java.io.IOException;

/**
 * Reads a byte range of a source. The reference model does no I/O itself; whoever inlines
 * small chunks hands it one of these (the indexer backs it with a {@code ByteSource}).
 */
@FunctionalInterface
public interface RangeReader {
    byte[] read(String url, long offset, int length) throws IOException;
}
