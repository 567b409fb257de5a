package io.refcat.indexer.netcdf3;

import io.refcat.indexer.NetcdfFill;
import io.refcat.reference.zarr.DType;

/**
 * The external types of the NetCDF3 family (classic, 64-bit offset, and CDF5's additions), with
 * their sizes and default fill values ({@link NetcdfFill}).
 */
enum NetCdf3Type {
    BYTE(1, 1, 'i'),
    CHAR(2, 1, 'S'),
    SHORT(3, 2, 'i'),
    INT(4, 4, 'i'),
    FLOAT(5, 4, 'f'),
    DOUBLE(6, 8, 'f'),
    UBYTE(7, 1, 'u'),
    USHORT(8, 2, 'u'),
    UINT(9, 4, 'u'),
    INT64(10, 8, 'i'),
    UINT64(11, 8, 'u');

    final int code;
    final int size;
    final char kind;
    final Object defaultFill;

    NetCdf3Type(int code, int size, char kind) {
        this.code = code;
        this.size = size;
        this.kind = kind;
        this.defaultFill = NetcdfFill.defaultFor(DType.bigEndianOf(kind, size));
    }

    /** The Zarr dtype of data stored in this type: NetCDF3 is big-endian throughout. */
    DType dtype() {
        return DType.bigEndianOf(kind, size);
    }

    boolean cdf5Only() {
        return code > DOUBLE.code;
    }

    static NetCdf3Type of(int code) {
        for (NetCdf3Type t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
