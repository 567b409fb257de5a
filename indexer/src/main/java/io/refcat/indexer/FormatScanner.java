package io.refcat.indexer;

import io.refcat.reference.ByteSource;
import io.refcat.reference.VirtualDataset;
import java.io.IOException;

/**
 * One file format's scanner, found through {@link java.util.ServiceLoader}: adding a format
 * adds a provider and touches no existing code. Scanners read headers and index structures
 * only, never the data.
 */
public interface FormatScanner {
    boolean canScan(Format format);

    VirtualDataset scan(ByteSource source, Format format, ScanOptions options) throws IOException;
}
