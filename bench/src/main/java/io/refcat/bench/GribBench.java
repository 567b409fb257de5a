package io.refcat.bench;

import io.refcat.indexer.Indexer;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.Reference;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.Codec;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.FileByteSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run: GRIB messages scanned per second (and MB/s of archive), bytes read while scanning,
 * and the store's decode rate (MB/s of float32 output) against ecCodes decoding the same
 * messages in the same run, as a ratio.
 *
 * <p>usage: GribBench ARCHIVE DECODE_MESSAGES ECCODES_MB_PER_S SECTION_MD
 */
public final class GribBench {
    private GribBench() {
    }

    public static void main(String[] args) throws Exception {
        Path archive = Path.of(args[0]);
        int decodeCount = Integer.parseInt(args[1]);
        double eccodes = Double.parseDouble(args[2].trim());
        long size = Files.size(archive);
        AtomicLong bytesRead = new AtomicLong();
        Indexer indexer = new Indexer(ScanOptions.defaults());
        indexer.scan(new CountingSource(FileByteSource.open(archive), new AtomicLong())); // warm-up
        long t0 = System.nanoTime();
        VirtualDataset ds;
        try (CountingSource source = new CountingSource(FileByteSource.open(archive), bytesRead)) {
            ds = indexer.scan(source);
        }
        double scanSeconds = (System.nanoTime() - t0) / 1e9;
        List<Reference.Range> messages = new ArrayList<>();
        Codec codec = null;
        for (VirtualArray a : ds.arrays()) {
            if (!a.metadata().filters().isEmpty() && io.refcat.store.codec.ChunkDecoder.isGrib(a.metadata().filters().get(0))) {
                codec = a.metadata().filters().get(0);
                a.chunks().values().forEach(r -> messages.add((Reference.Range) r));
            }
        }
        List<byte[]> encoded = new ArrayList<>();
        try (FileByteSource source = FileByteSource.open(archive)) {
            for (Reference.Range r : messages.subList(0, Math.min(decodeCount, messages.size()))) {
                ByteBuffer b = ByteBuffer.allocate((int) r.length());
                source.read(r.offset(), b);
                encoded.add(b.array());
            }
        }
        int fieldBytes = 360 * 181 * 4;
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long d0 = System.nanoTime();
            long out = 0;
            for (byte[] m : encoded) {
                out += ChunkDecoder.decode(m, List.of(codec), fieldBytes, "bench").length;
            }
            best = Math.max(best, out / 1e6 / ((System.nanoTime() - d0) / 1e9));
        }
        String section = String.format("""
                ## GRIB scanning and server-side decoding

                Archive: %d generated GRIB2 messages of a global 1-degree field (360 x 181, 16 bits),
                alternately simple and complex packing; %.0f MB. Decoding: the first %d messages, best of
                3 rounds, by the store's codec (one thread) and by ecCodes through python3-eccodes
                (`bench/eccodes_decode.py`, one thread) in the same run.

                | figure | value |
                |---|---|
                | messages scanned per second | %.0f |
                | archive scanned, MB/s | %.0f |
                | bytes read while scanning | %d (%.2f%% of the archive) |
                | store decode, MB/s of float32 | %.0f |
                | ecCodes decode, MB/s of float32 | %.0f |
                | store / ecCodes | %.2f |

                The timed scan follows a warm-up scan of the same archive, so the bytes it reads come from the
                page cache; "archive scanned" is the archive's size over the scan time, of which only the bytes
                read are touched. ecCodes' concepts (names,
                level types) are evaluated once per distinct set of keys and remembered, so the figure is
                the cost of finding and parsing messages; an archive's first scan adds a few milliseconds
                per distinct parameter and level type.
                """, messages.size(), size / 1e6, encoded.size(), messages.size() / scanSeconds,
                size / 1e6 / scanSeconds, bytesRead.get(), 100.0 * bytesRead.get() / size, best, eccodes,
                best / eccodes);
        Files.writeString(Path.of(args[3]), section);
        System.out.print(section);
    }
}
