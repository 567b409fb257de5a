package io.refcat.indexer.netcdf3;

import io.refcat.indexer.ScanException;
import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the header of a NetCDF3 file; reads nothing past it. */
final class NetCdf3HeaderParser {
    private static final int ABSENT = 0;
    private static final int NC_DIMENSION = 0x0A;
    private static final int NC_VARIABLE = 0x0B;
    private static final int NC_ATTRIBUTE = 0x0C;
    private static final String FILL_VALUE = "_FillValue";

    private final HeaderReader in;
    private final int version;
    private final boolean cdf5;

    private NetCdf3HeaderParser(HeaderReader in, int version) {
        this.in = in;
        this.version = version;
        this.cdf5 = version == 5;
    }

    static NetCdf3Header parse(ByteSource source) throws IOException {
        HeaderReader in = new HeaderReader(source);
        int magic = in.readInt("magic");
        int version = magic & 0xff;
        if ((magic >>> 8) != 0x434446 || (version != 1 && version != 2 && version != 5)) {
            throw in.error(0, String.format("not a NetCDF3 file: magic %08x", magic));
        }
        return new NetCdf3HeaderParser(in, version).parse();
    }

    private NetCdf3Header parse() throws IOException {
        long numrecsAt = in.position();
        long rawNumrecs = cdf5 ? in.readLong("numrecs") : Integer.toUnsignedLong(in.readInt("numrecs"));
        boolean streaming = cdf5 ? rawNumrecs == -1L : rawNumrecs == 0xFFFFFFFFL;
        if (!streaming && (rawNumrecs < 0 || (!cdf5 && rawNumrecs > Integer.MAX_VALUE))) {
            throw in.error(numrecsAt, "numrecs " + Long.toUnsignedString(rawNumrecs) + " is negative");
        }
        List<NetCdf3Header.Dimension> dims = readDimensions();
        Map<String, Object> globals = readAttributes("global attribute");
        List<NetCdf3Header.Variable> vars = readVariables(dims);
        return new NetCdf3Header(version, streaming ? -1 : rawNumrecs, streaming, dims, globals, vars, in.position());
    }

    private long listCount(int expectedTag, String what) throws IOException {
        long at = in.position();
        int tag = in.readInt(what + " list tag");
        long count = in.readCount(cdf5, what + " count");
        if (tag == ABSENT) {
            if (count != 0) {
                throw in.error(at, "absent " + what + " list with a non-zero count " + count);
            }
            return 0;
        }
        if (tag != expectedTag) {
            throw in.error(at, String.format("expected the %s list tag 0x%02x, found 0x%08x", what, expectedTag, tag));
        }
        // Each element holds at least a name length and one more 4-byte field.
        in.checkFits(count, 8, at, what);
        return count;
    }

    private String readName(String what) throws IOException {
        long at = in.position();
        long length = in.readCount(cdf5, what + " name length");
        byte[] bytes = in.readPadded(length, what + " name");
        String name;
        try {
            // Names are UTF-8 (the format's specification); decoding with replacement would hand
            // clients a name the file does not hold.
            name = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw in.error(at, what + " name is not valid UTF-8: the header is corrupt");
        }
        // libnetcdf hands names to C as NUL-terminated strings: old writers padded them with NULs.
        int nul = name.indexOf('\0');
        if (nul >= 0) {
            name = name.substring(0, nul);
        }
        if (name.isEmpty()) {
            throw in.error(at, what + " with an empty name");
        }
        return name;
    }

    private List<NetCdf3Header.Dimension> readDimensions() throws IOException {
        long count = listCount(NC_DIMENSION, "dimension");
        List<NetCdf3Header.Dimension> dims = new ArrayList<>();
        boolean sawUnlimited = false;
        for (long i = 0; i < count; i++) {
            String name = readName("dimension");
            long at = in.position();
            long length = in.readCount(cdf5, "dimension '" + name + "' length");
            if (length == 0) {
                if (sawUnlimited) {
                    throw in.error(at, "second unlimited dimension '" + name + "'");
                }
                sawUnlimited = true;
            }
            dims.add(new NetCdf3Header.Dimension(name, length, length == 0));
        }
        return dims;
    }

    private Map<String, Object> readAttributes(String what) throws IOException {
        long count = listCount(NC_ATTRIBUTE, what);
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            String name = readName(what);
            NetCdf3Type type = readType(what + " '" + name + "'");
            long at = in.position();
            long n = in.readCount(cdf5, what + " '" + name + "' value count");
            in.checkFits(n, type.size, at, what + " '" + name + "' value");
            byte[] raw = in.readPadded(n * type.size, what + " '" + name + "' values");
            attrs.put(name, decode(name, type, raw, (int) n));
        }
        return attrs;
    }

    private NetCdf3Type readType(String what) throws IOException {
        long at = in.position();
        int code = in.readInt(what + " type");
        NetCdf3Type type = NetCdf3Type.of(code);
        if (type == null || (type.cdf5Only() && !cdf5)) {
            throw in.error(at, what + " has type code " + code + ", not a NetCDF3 "
                    + (cdf5 ? "CDF5" : "classic/64-bit offset") + " type");
        }
        return type;
    }

    /**
     * Attribute values as netCDF4-python presents them: char → text (NULs dropped, as it does),
     * except a char {@code _FillValue}, which stays bytes; one value → a scalar, more → a list.
     */
    private static Object decode(String name, NetCdf3Type type, byte[] raw, int n) {
        if (type == NetCdf3Type.CHAR) {
            return FILL_VALUE.equals(name) ? raw : new String(raw, StandardCharsets.UTF_8).replace("\0", "");
        }
        ByteBuffer buf = ByteBuffer.wrap(raw);
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readValue(type, buf));
        }
        return n == 1 ? values.get(0) : values;
    }

    static Object readValue(NetCdf3Type type, ByteBuffer buf) {
        return switch (type) {
            case BYTE -> (long) buf.get();
            case UBYTE, CHAR -> (long) (buf.get() & 0xff);
            case SHORT -> (long) buf.getShort();
            case USHORT -> (long) (buf.getShort() & 0xffff);
            case INT -> (long) buf.getInt();
            case UINT -> Integer.toUnsignedLong(buf.getInt());
            case INT64 -> buf.getLong();
            case UINT64 -> {
                long v = buf.getLong();
                yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case FLOAT -> (double) buf.getFloat();
            case DOUBLE -> buf.getDouble();
        };
    }

    private List<NetCdf3Header.Variable> readVariables(List<NetCdf3Header.Dimension> dims) throws IOException {
        long count = listCount(NC_VARIABLE, "variable");
        List<NetCdf3Header.Variable> vars = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            String name = readName("variable");
            long rankAt = in.position();
            long rank = in.readCount(cdf5, "variable '" + name + "' rank");
            in.checkFits(rank, cdf5 ? 8 : 4, rankAt, "variable '" + name + "' dimension");
            int[] ids = new int[(int) rank];
            for (int d = 0; d < rank; d++) {
                long at = in.position();
                long id = in.readCount(cdf5, "variable '" + name + "' dimension id");
                if (id >= dims.size()) {
                    throw in.error(at, "variable '" + name + "' refers to dimension id " + id + " of "
                            + dims.size());
                }
                if (dims.get((int) id).unlimited() && d != 0) {
                    throw in.error(at, "variable '" + name + "' uses the unlimited dimension at position " + d
                            + "; it may only be the first");
                }
                ids[d] = (int) id;
            }
            Map<String, Object> attrs = readAttributes("attribute of '" + name + "'");
            NetCdf3Type type = readType("variable '" + name + "'");
            // vsize is redundant and wrong for variables over 4 GiB; refcat computes sizes itself.
            in.readCount(cdf5, "variable '" + name + "' vsize");
            long beginAt = in.position();
            long begin = version == 1 ? Integer.toUnsignedLong(in.readInt("variable '" + name + "' begin"))
                    : in.readLong("variable '" + name + "' begin");
            if (begin < 0) {
                throw in.error(beginAt, "variable '" + name + "' begins at a negative offset");
            }
            vars.add(new NetCdf3Header.Variable(name, ids, attrs, type, begin, beginAt));
        }
        return vars;
    }
}
