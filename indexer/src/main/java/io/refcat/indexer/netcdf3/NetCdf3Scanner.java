package io.refcat.indexer.netcdf3;

import io.refcat.indexer.ContiguousLayout;
import io.refcat.indexer.Format;
import io.refcat.indexer.FormatScanner;
import io.refcat.indexer.ScanException;
import io.refcat.indexer.ScanOptions;
import io.refcat.reference.ByteSource;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.VirtualArray;
import io.refcat.reference.VirtualDataset;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NetCDF3 (classic, 64-bit offset, CDF5) → virtual Zarr. Data are never read: non-record
 * variables are referenced in place (split along their first dimension when larger than the
 * target chunk size), record variables get one chunk per record at {@code begin + r * recsize}.
 *
 * <p>Decisions: the Zarr {@code fill_value} is the variable's {@code _FillValue}, else the
 * format's default fill (netcdf.h), so chunks a client cannot fetch read as what libnetcdf would
 * have written; {@code _FillValue} then moves from the attributes into {@code fill_value}, as
 * xarray does when it writes Zarr. Large variables are split as {@link ContiguousLayout} says.
 */
public final class NetCdf3Scanner implements FormatScanner {
    private static final String FILL_VALUE = "_FillValue";

    @Override
    public boolean canScan(Format format) {
        return format == Format.NETCDF3_CLASSIC || format == Format.NETCDF3_64BIT_OFFSET
                || format == Format.NETCDF3_64BIT_DATA;
    }

    @Override
    public VirtualDataset scan(ByteSource source, Format format, ScanOptions options) throws IOException {
        NetCdf3Header header = NetCdf3HeaderParser.parse(source);
        long fileSize = source.size();
        List<NetCdf3Header.Variable> recordVars = header.variables().stream()
                .filter(v -> isRecordVariable(header, v)).toList();
        long recsize = recordSize(header, recordVars);
        long numrecs = header.streaming() ? streamingRecords(recordVars, recsize, fileSize) : header.numrecs();

        checkOrder(source.url(), header);
        List<VirtualArray> arrays = new ArrayList<>();
        for (NetCdf3Header.Variable v : header.variables()) {
            if (v.begin() < header.headerEnd() && elementCount(header, v, numrecs) > 0) {
                throw new ScanException(source.url(), v.beginField(), "variable '" + v.name() + "' begins at "
                        + v.begin() + ", inside the header (which ends at " + header.headerEnd() + ")");
            }
            arrays.add(isRecordVariable(header, v)
                    ? recordArray(source.url(), header, v, numrecs, recsize, fileSize)
                    : fixedArray(source.url(), header, v, options.targetChunkBytes(), fileSize));
        }
        Map<String, Map<String, Object>> groups = Map.of("", header.attributes());
        TreeMap<String, ReferenceSet.SourceInfo> sources = new TreeMap<>();
        sources.put(source.url(), new ReferenceSet.SourceInfo(fileSize, source.version().orElse(null)));
        return new VirtualDataset(groups, arrays, sources);
    }

    /**
     * The variables' data lie one after the other as the header defines them: the fixed ones in
     * definition order, then the record ones, each beginning at or after the previous one's
     * (4-byte padded) end. libnetcdf refuses a file otherwise (NC_check_voffs, "NetCDF: Unknown
     * file format"); an overlapping {@code begin} would serve another variable's bytes.
     */
    private static void checkOrder(String url, NetCdf3Header h) throws ScanException {
        NetCdf3Header.Variable previous = null;
        long previousEnd = 0;
        for (boolean records : new boolean[] {false, true}) {
            for (NetCdf3Header.Variable v : h.variables()) {
                if (isRecordVariable(h, v) != records) {
                    continue;
                }
                if (previous != null && v.begin() < previousEnd) {
                    throw new ScanException(url, v.beginField(), "variable '" + v.name() + "' begins at " + v.begin()
                            + ", inside the data of '" + previous.name() + "' (" + previous.begin() + " to "
                            + previousEnd + "): the header is corrupt");
                }
                long bytes = records ? oneRecordBytes(h, v) : elementCount(h, v, 0) * v.type().size;
                previous = v;
                previousEnd = v.begin() + ((bytes + 3) & ~3L);
            }
        }
    }

    private static boolean isRecordVariable(NetCdf3Header h, NetCdf3Header.Variable v) {
        return v.dimensionIds().length > 0 && h.dimensions().get(v.dimensionIds()[0]).unlimited();
    }

    /** Bytes of one record of {@code v} (all its dimensions but the record one), unpadded. */
    private static long oneRecordBytes(NetCdf3Header h, NetCdf3Header.Variable v) {
        long n = v.type().size;
        for (int d = 1; d < v.dimensionIds().length; d++) {
            n = Math.multiplyExact(n, h.dimensions().get(v.dimensionIds()[d]).length());
        }
        return n;
    }

    /** The spec's recsize: padded per variable, except the one-record-variable case, unpadded. */
    private static long recordSize(NetCdf3Header h, List<NetCdf3Header.Variable> recordVars) {
        if (recordVars.size() == 1) {
            return oneRecordBytes(h, recordVars.get(0));
        }
        long size = 0;
        for (NetCdf3Header.Variable v : recordVars) {
            size += (oneRecordBytes(h, v) + 3) & ~3L;
        }
        return size;
    }

    /** STREAMING: the number of whole records between the first record and the end of the file. */
    private static long streamingRecords(List<NetCdf3Header.Variable> recordVars, long recsize, long fileSize) {
        if (recordVars.isEmpty() || recsize == 0) {
            return 0;
        }
        long first = recordVars.stream().mapToLong(NetCdf3Header.Variable::begin).min().orElseThrow();
        return Math.max(0, (fileSize - first) / recsize);
    }

    private static long elementCount(NetCdf3Header h, NetCdf3Header.Variable v, long numrecs) {
        long n = 1;
        for (int id : v.dimensionIds()) {
            NetCdf3Header.Dimension d = h.dimensions().get(id);
            n *= d.unlimited() ? numrecs : d.length();
        }
        return n;
    }

    private static VirtualArray recordArray(String url, NetCdf3Header h, NetCdf3Header.Variable v, long numrecs,
                                            long recsize, long fileSize) throws ScanException {
        List<Long> shape = shapeOf(h, v, numrecs);
        List<Integer> chunks = new ArrayList<>();
        chunks.add(1);
        for (int d = 1; d < shape.size(); d++) {
            chunks.add(Math.toIntExact(Math.max(1, shape.get(d))));
        }
        ZarrArrayMetadata meta = metadata(url, v, shape, chunks);
        long bytes = oneRecordBytes(h, v);
        if (numrecs > 0) {
            checkInFile(url, v, v.begin() + (numrecs - 1) * recsize + bytes, fileSize,
                    numrecs + " records of " + recsize + " bytes");
        }
        TreeMap<String, Reference> refs = new TreeMap<>();
        long[] index = new long[shape.size()];
        for (long r = 0; r < numrecs; r++) {
            index[0] = r;
            refs.put(meta.chunkKey(index), new Reference.Range(url, v.begin() + r * recsize, bytes));
        }
        return new VirtualArray(v.name(), meta, attributesOf(v), dimensionNames(h, v), refs);
    }

    private static VirtualArray fixedArray(String url, NetCdf3Header h, NetCdf3Header.Variable v, long target,
                                           long fileSize) throws ScanException {
        List<Long> shape = shapeOf(h, v, 0);
        long total = elementCount(h, v, 0) * v.type().size;
        checkInFile(url, v, v.begin() + total, fileSize, total + " bytes");
        ContiguousLayout layout = ContiguousLayout.of(url, v.begin(), shape, v.type().size, target);
        return new VirtualArray(v.name(), metadata(url, v, shape, layout.chunks()), attributesOf(v),
                dimensionNames(h, v), layout.refs());
    }

    private static void checkInFile(String url, NetCdf3Header.Variable v, long end, long fileSize, String what)
            throws ScanException {
        if (end > fileSize) {
            throw new ScanException(url, v.beginField(), "variable '" + v.name() + "' (" + what + " from offset "
                    + v.begin() + ") extends to byte " + end + ", past the end of the file (" + fileSize
                    + " bytes): the file is truncated or its header is corrupt");
        }
    }

    private static List<Long> shapeOf(NetCdf3Header h, NetCdf3Header.Variable v, long numrecs) {
        List<Long> shape = new ArrayList<>();
        for (int id : v.dimensionIds()) {
            NetCdf3Header.Dimension d = h.dimensions().get(id);
            shape.add(d.unlimited() ? numrecs : d.length());
        }
        return shape;
    }

    private static List<String> dimensionNames(NetCdf3Header h, NetCdf3Header.Variable v) {
        List<String> names = new ArrayList<>();
        for (int id : v.dimensionIds()) {
            names.add(h.dimensions().get(id).name());
        }
        return names;
    }

    private static Map<String, Object> attributesOf(NetCdf3Header.Variable v) {
        Map<String, Object> attrs = new LinkedHashMap<>(v.attributes());
        attrs.remove(FILL_VALUE);
        return attrs;
    }

    private static ZarrArrayMetadata metadata(String url, NetCdf3Header.Variable v, List<Long> shape,
                                              List<Integer> chunks) throws ScanException {
        List<Integer> zarrChunks = new ArrayList<>();
        for (int c : chunks) {
            zarrChunks.add(Math.max(1, c));
        }
        return ZarrArrayMetadata.uncompressed(shape, zarrChunks, v.type().dtype(), fillValue(url, v));
    }

    private static Object fillValue(String url, NetCdf3Header.Variable v) throws ScanException {
        Object fill = v.attributes().get(FILL_VALUE);
        if (fill instanceof List<?> list) {
            fill = list.isEmpty() ? null : list.get(0);
        }
        NetCdf3Type type = v.type();
        if (fill == null) {
            fill = type.defaultFill;
        }
        if (type == NetCdf3Type.CHAR) {
            byte[] b = fill instanceof byte[] bytes && bytes.length > 0 ? new byte[] {bytes[0]}
                    : new byte[] {((Number) (fill instanceof Number ? fill : 0L)).byteValue()};
            return Base64.getEncoder().encodeToString(b);
        }
        if (fill instanceof byte[]) {
            throw new ScanException(url, v.beginField(), "variable '" + v.name() + "' of type " + type
                    + " has a text _FillValue");
        }
        Number n = (Number) fill;
        if (type.kind == 'f') {
            return n.doubleValue();
        }
        return n instanceof BigInteger big ? (big.bitLength() < 64 ? (Object) big.longValue() : big) : n.longValue();
    }
}
