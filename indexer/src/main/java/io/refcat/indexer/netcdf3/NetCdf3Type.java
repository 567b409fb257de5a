package io.refcat.indexer.netcdf3;

import io.refcat.reference.zarr.DType;
import java.math.BigInteger;

/**
 * The external types of the NetCDF3 family (classic, 64-bit offset, and CDF5's additions), with
 * their sizes and the default fill values of netcdf.h ({@code NC_FILL_BYTE} ...).
 */
enum NetCdf3Type {
    BYTE(1, 1, 'i', -127L),
    CHAR(2, 1, 'S', 0L),
    SHORT(3, 2, 'i', -32767L),
    INT(4, 4, 'i', -2147483647L),
    FLOAT(5, 4, 'f', 9.9692099683868690e+36),
    DOUBLE(6, 8, 'f', 9.9692099683868690e+36),
    UBYTE(7, 1, 'u', 255L),
    USHORT(8, 2, 'u', 65535L),
    UINT(9, 4, 'u', 4294967295L),
    INT64(10, 8, 'i', -9223372036854775806L),
    UINT64(11, 8, 'u', new BigInteger("18446744073709551614"));

    final int code;
    final int size;
    final char kind;
    final Object defaultFill;

    NetCdf3Type(int code, int size, char kind, Object defaultFill) {
        this.code = code;
        this.size = size;
        this.kind = kind;
        this.defaultFill = defaultFill;
    }

    /** The Zarr dtype of data stored in this type: NetCDF3 is big-endian throughout. */
    DType dtype() {
        return DType.bigEndian(kind, size);
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
