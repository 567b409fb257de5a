package io.refcat.indexer.grib;

import io.refcat.indexer.Format;
import io.refcat.indexer.FormatScanner;
import io.refcat.indexer.LibraryText;
import io.refcat.indexer.ScanException;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.ByteSource;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import ucar.nc2.grib.grib2.Grib2Record;
import ucar.nc2.grib.grib2.Grib2RecordScanner;

/**
 * GRIB1 and GRIB2 → virtual Zarr, shaped as cfgrib shapes it ({@link GribHypercubes}). Messages
 * are found by refcat ({@link GribMessages}); GRIB1 sections are read by refcat
 * ({@link Grib1Fields}), GRIB2 ones by NetCDF-Java's scanner through a view of just that message, so nothing is ever written beside the file (NetCDF-Java's own
 * collection code writes {@code .gbx9}/{@code .ncx} indexes; refcat never calls it) and only
 * section headers are read, never the packed data.
 *
 * <p>A message that is cut short or corrupt, or a field refcat cannot describe, is reported in
 * the result's {@code unsupported} map under {@code message@OFFSET} and the rest of the file is
 * indexed; with {@link ScanOptions#strict()} it fails the file instead.
 */
public final class GribScanner implements FormatScanner {

    @Override
    public boolean canScan(Format format) {
        return format == Format.GRIB;
    }

    @Override
    public VirtualDataset scan(ByteSource source, Format format, ScanOptions options) throws IOException {
        String url = source.url();
        Listed listed = listed(source, options);
        GribMessages.Found found = listed.found();
        source = listed.reader();
        TreeMap<String, String> unsupported = new TreeMap<>();
        found.bad().forEach(b -> unsupported.put(key(b.offset()), b.reason()));
        List<GribField> fields = new ArrayList<>();
        for (GribMessages.Message listedMessage : found.messages()) {
            GribMessages.Message m = listedMessage;
            try {
                if (listed.fromSidecar()) {
                    m = GribSidecar.confirmed(source, m);
                }
                fields.addAll(fields(source, m));
            } catch (GribFieldException e) {
                unsupported.put(key(m.offset()), e.getMessage());
            } catch (IOException | RuntimeException e) {
                unsupported.put(key(m.offset()), "the message's sections do not parse: it is corrupt, or uses what refcat "
                        + "cannot read yet (NetCDF-Java: " + LibraryText.of(e) + ")");
            }
        }
        if (options.strict() && !unsupported.isEmpty()) {
            var first = unsupported.firstEntry();
            throw new ScanException(url, Long.parseLong(first.getKey().substring("message@".length())),
                    first.getValue() + (unsupported.size() > 1 ? " (and " + (unsupported.size() - 1) + " more)" : ""),
                    null);
        }
        if (found.messages().isEmpty()) {
            throw new ScanException(url, 0, found.bad().isEmpty() ? "no GRIB message in the file"
                    : "no readable GRIB message: " + unsupported, null);
        }
        GribHypercubes.Result r = GribHypercubes.build(url, fields, unsupported);
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
        sources.put(url, ReferenceSet.SourceInfo.of(source));
        return new VirtualDataset(r.groups(), r.arrays(), sources, unsupported);
    }

    /** Messages this large on average are read head by head when a sidecar lists them, not whole. */
    static final long SPARSE_MESSAGE_BYTES = 256 << 10;

    /** The messages of a file and the source to read their sections through. */
    private record Listed(GribMessages.Found found, ByteSource reader, boolean fromSidecar) {
    }

    /**
     * The messages: from the file's index sidecar where there is one that the file confirms, else
     * by walking the file. With a sidecar, large messages are read without read-ahead: only their
     * section headers are fetched (a few requests each), not the packed data between them.
     */
    private static Listed listed(ByteSource source, ScanOptions options) throws IOException {
        java.util.Optional<byte[]> sidecar = options.sidecars().find(source.url());
        if (sidecar.isPresent()) {
            int count = GribSidecar.parse(new String(sidecar.get(), java.nio.charset.StandardCharsets.UTF_8), source.size()).size();
            ByteSource reader = count > 0 && source.size() / count > SPARSE_MESSAGE_BYTES ? source.unbuffered() : source;
            java.util.Optional<List<GribMessages.Message>> messages = GribSidecar.messages(sidecar.get(), reader);
            if (messages.isPresent()) {
                return new Listed(new GribMessages.Found(messages.get(), List.of()), reader, true);
            }
        }
        return new Listed(GribMessages.find(source), source, false);
    }

    private static String key(long offset) {
        return "message@" + offset;
    }

    /** The fields of one message (GRIB2 messages may hold several, repeating sections 2 to 7). */
    private static List<GribField> fields(ByteSource file, GribMessages.Message m) throws IOException, GribFieldException {
        SliceSource message = new SliceSource(file, m.offset(), m.length());
        if (m.edition() == 1) {
            return List.of(Grib1Fields.of(message, m.offset()));
        }
        ByteSourceRandomAccessFile raf = new ByteSourceRandomAccessFile(message, SectionHeads.read(message));
        List<GribField> out = new ArrayList<>();
        Grib2RecordScanner s = new Grib2RecordScanner(raf);
        int field = 0;
        while (s.hasNext()) {
            Grib2Record r = s.next();
            out.add(shifted(Grib2Fields.of(r, field++), m));
        }
        if (out.isEmpty()) {
            throw new GribFieldException("NetCDF-Java finds no field in the message");
        }
        return out;
    }

    /** NetCDF-Java saw the message alone: its offsets are the file's once moved by the message's. */
    private static GribField shifted(GribField f, GribMessages.Message m) {
        return new GribField(m.offset(), m.length(), f.field(), f.edition(), f.centre(), f.keys(), f.refTime(), f.step(),
                f.number(), f.level(), f.grid(), f.undecodable());
    }
}
