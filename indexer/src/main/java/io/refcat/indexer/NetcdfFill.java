package io.refcat.indexer;

import io.refcat.reference.zarr.DType;
import java.math.BigInteger;

/**
 * The default fill values of netcdf.h ({@code NC_FILL_BYTE} ...), which libnetcdf uses for a
 * variable without {@code _FillValue}, in NetCDF3 and NetCDF4 files alike.
 */
public final class NetcdfFill {
    private NetcdfFill() {
    }

    /** The default for a numeric or char dtype, or null where netCDF defines none. */
    public static Object defaultFor(DType t) {
        int size = t.itemSize();
        return switch (t.kind()) {
            case 'i' -> switch (size) {
                case 1 -> -127L;
                case 2 -> -32767L;
                case 4 -> -2147483647L;
                case 8 -> -9223372036854775806L;
                default -> null;
            };
            case 'u' -> switch (size) {
                case 1 -> 255L;
                case 2 -> 65535L;
                case 4 -> 4294967295L;
                case 8 -> new BigInteger("18446744073709551614");
                default -> null;
            };
            case 'f' -> size == 4 || size == 8 ? 9.9692099683868690e+36 : null;
            case 'S' -> 0L;
            default -> null;
        };
    }
}
