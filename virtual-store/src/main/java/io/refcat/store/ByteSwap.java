package io.refcat.store;

/** Reverses the byte order of each element of a buffer, in place. */
final class ByteSwap {
    private ByteSwap() {
    }

    /** {@code length} must be a multiple of {@code item}; an item of 1 leaves the bytes alone. */
    static void inPlace(byte[] data, int offset, int length, int item) {
        if (item <= 1) {
            return;
        }
        for (int e = offset; e + item <= offset + length; e += item) {
            for (int i = 0, j = item - 1; i < j; i++, j--) {
                byte t = data[e + i];
                data[e + i] = data[e + j];
                data[e + j] = t;
            }
        }
    }
}
