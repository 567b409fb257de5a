package io.refcat.indexer;

import io.refcat.reference.ByteSource;
import io.refcat.reference.VirtualDataset;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Detects a source's format, hands it to the scanner registered for that format, and checks what
 * comes back ({@link ReferenceChecks}).
 */
public final class Indexer {
    private final List<FormatScanner> scanners;
    private final ScanOptions options;

    public Indexer(ScanOptions options) {
        this(ServiceLoader.load(FormatScanner.class).stream().map(ServiceLoader.Provider::get).toList(), options);
    }

    public Indexer(List<FormatScanner> scanners, ScanOptions options) {
        this.scanners = List.copyOf(scanners);
        this.options = options;
    }

    public VirtualDataset scan(ByteSource source) throws IOException {
        Format format = FormatDetector.detect(source);
        for (FormatScanner scanner : scanners) {
            if (scanner.canScan(format)) {
                return ReferenceChecks.checked(scanner.scan(source, format, options));
            }
        }
        throw new UnsupportedFormatException(source.url(), format.label() + " is recognised but not indexed yet");
    }
}
