package io.refcat.reference;

/** Unsigned big-endian integers as GRIB, PNG and JPEG 2000 store them, and GRIB's signed ones. */
public final class BigEndian {
    private BigEndian() {
    }

    public static int u1(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    public static int u2(byte[] b, int i) {
        return (u1(b, i) << 8) | u1(b, i + 1);
    }

    public static long u3(byte[] b, int i) {
        return ((long) u1(b, i) << 16) | u2(b, i + 1);
    }

    public static long u4(byte[] b, int i) {
        return ((long) u2(b, i) << 16) | u2(b, i + 2);
    }

    /** GRIB's sign-and-magnitude integers: the top bit of {@code bits} is the sign. */
    public static long signed(long v, int bits) {
        long sign = 1L << (bits - 1);
        return (v & sign) != 0 ? -(v & (sign - 1)) : v;
    }
}
