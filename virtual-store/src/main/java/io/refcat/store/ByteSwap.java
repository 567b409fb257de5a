package io.refcat.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reverses the byte order of each element of a buffer, in place. */
final class ByteSwap {
    // Read in one order, written in the other: the JIT makes each a single load, bswap and store,
    // several times faster than swapping byte by byte (a big-endian chunk is swapped per request).
    private static final VarHandle BIG_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LITTLE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LITTLE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LITTLE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteSwap() {
    }

    /** {@code length} must be a multiple of {@code item}; an item of 1 leaves the bytes alone. */
    static void inPlace(byte[] data, int offset, int length, int item) {
        int end = offset + length - item;
        switch (item) {
            case 0, 1 -> {
            }
            case 2 -> {
                for (int e = offset; e <= end; e += 2) {
                    LITTLE_SHORT.set(data, e, (short) BIG_SHORT.get(data, e));
                }
            }
            case 4 -> {
                for (int e = offset; e <= end; e += 4) {
                    LITTLE_INT.set(data, e, (int) BIG_INT.get(data, e));
                }
            }
            case 8 -> {
                for (int e = offset; e <= end; e += 8) {
                    LITTLE_LONG.set(data, e, (long) BIG_LONG.get(data, e));
                }
            }
            default -> {
                for (int e = offset; e <= end; e += item) {
                    for (int i = 0, j = item - 1; i < j; i++, j--) {
                        byte t = data[e + i];
                        data[e + i] = data[e + j];
                        data[e + j] = t;
                    }
                }
            }
        }
    }
}
