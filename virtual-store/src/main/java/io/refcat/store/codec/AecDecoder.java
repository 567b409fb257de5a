package io.refcat.store.codec;

import java.io.IOException;

/**
 * A decoder of CCSDS 121.0-B adaptive entropy coding (lossless Rice coding) as libaec writes it:
 * what GRIB2 data representation template 5.42 packs and HDF5's szip filter stores. The stream is
 * a sequence of reference sample intervals (RSIs) of {@code rsi} blocks of {@code blockSize}
 * samples; each block starts with an option id: zero blocks or the second extension (id 0), a
 * split-sample option with {@code k = id - 1} low bits sent raw, or no compression (all ones).
 * With preprocessing, each RSI starts with a raw reference sample and the rest are the unit-delay
 * predictor's mapped residuals, undone here.
 *
 * <p>Written from the standard (CCSDS 121.0-B-3, sections 3 and 4) and libaec's documented flags;
 * the tests check it value for value against ecCodes, which decodes through libaec.
 */
final class AecDecoder {
    static final int SIGNED = 1;
    static final int PREPROCESS = 8;
    static final int RESTRICTED = 16;
    static final int PAD_RSI = 32;
    /** Any even block size, as szip allows (libaec's AEC_NOT_ENFORCE). */
    static final int NOT_ENFORCE = 64;

    /** A run of zero blocks this long means "to the end of the segment or RSI" (remainder of segment). */
    private static final int ROS = 5;
    /** The largest second-extension symbol: pairs summing to at most 12 (the standard's table). */
    private static final long MAX_SE_SYMBOL = 90;

    private AecDecoder() {
    }

    /** Where decoded samples go, one interval at a time: {@code values[0 .. n)} are samples {@code at ..}. */
    interface Sink {
        void accept(long[] values, int n, long at);
    }

    /**
     * @param samples how many samples to return (the stream's last block may hold more)
     * @return the samples, sign-extended where {@code flags} has {@link #SIGNED}
     */
    static long[] decode(byte[] data, int offset, int length, int bitsPerSample, int blockSize, int rsi, int flags,
                         int samples) throws IOException {
        long[] out = new long[samples];
        decode(data, offset, length, bitsPerSample, blockSize, rsi, flags, samples,
                (values, n, at) -> System.arraycopy(values, 0, out, (int) at, n));
        return out;
    }

    /** As {@link #decode(byte[], int, int, int, int, int, int, int)}, into {@code sink}: memory stays one interval. */
    static void decode(byte[] data, int offset, int length, int bitsPerSample, int blockSize, int rsi, int flags,
                       long samples, Sink sink) throws IOException {
        if (bitsPerSample < 1 || bitsPerSample > 32) {
            throw new IOException("CCSDS: " + bitsPerSample + " bits per sample (1 to 32 allowed)");
        }
        boolean anyEven = (flags & NOT_ENFORCE) != 0 && blockSize >= 2 && blockSize <= 64 && blockSize % 2 == 0;
        if (!anyEven && blockSize != 8 && blockSize != 16 && blockSize != 32 && blockSize != 64) {
            throw new IOException("CCSDS: block size " + blockSize + " (8, 16, 32 or 64 allowed)");
        }
        if (rsi < 1 || rsi > 4096) {
            throw new IOException("CCSDS: reference sample interval of " + rsi + " blocks (1 to 4096 allowed)");
        }
        boolean preprocess = (flags & PREPROCESS) != 0;
        boolean signed = (flags & SIGNED) != 0;
        int idLength = bitsPerSample > 16 ? 5 : bitsPerSample > 8 ? 4
                : (flags & RESTRICTED) != 0 && bitsPerSample <= 4 ? (bitsPerSample <= 2 ? 1 : 2) : 3;
        int uncompressed = (1 << idLength) - 1;
        MsbBits in = new MsbBits(data, offset * 8L, (offset + (long) length) * 8L, "CCSDS: the coded data");
        long[] interval = new long[rsi * blockSize];
        Predictor predictor = new Predictor(bitsPerSample, signed);
        for (long at = 0; at < samples; ) {
            int n = 0;
            for (int blocks = 0; blocks < rsi && at + n < samples; ) {
                boolean reference = preprocess && blocks == 0;
                int id = (int) in.bits(idLength);
                if (id == 0 && in.bits(1) == 0) {
                    if (reference) {
                        interval[n++] = in.bits(bitsPerSample);
                    }
                    long run = in.zerosBeforeOne() + 1;
                    if (run == ROS) {
                        run = Math.min(rsi - blocks, 64 - blocks % 64);
                    } else if (run > ROS) {
                        run--;
                    }
                    if (blocks + run > rsi) {
                        throw new IOException("CCSDS: a run of " + run + " zero blocks passes the end of its interval");
                    }
                    int zeros = (int) (run * blockSize) - (reference ? 1 : 0);
                    java.util.Arrays.fill(interval, n, n + zeros, 0L);
                    n += zeros;
                    blocks += (int) run;
                    continue;
                }
                if (id == 0) { // second extension: pairs (a, b) sent as one symbol
                    int i = 0;
                    if (reference) {
                        interval[n++] = in.bits(bitsPerSample);
                        i = 1;
                    }
                    while (i < blockSize) {
                        long m = in.zerosBeforeOne();
                        if (m > MAX_SE_SYMBOL) {
                            throw new IOException("CCSDS: second-extension symbol " + m + " is out of range");
                        }
                        int sum = (int) ((Math.sqrt(8.0 * m + 1) - 1) / 2);
                        while ((long) (sum + 1) * (sum + 2) / 2 <= m) {
                            sum++;
                        }
                        long second = m - (long) sum * (sum + 1) / 2;
                        if ((i & 1) == 0) {
                            interval[n++] = sum - second;
                            i++;
                        }
                        interval[n++] = second;
                        i++;
                    }
                } else if (id == uncompressed) {
                    for (int i = 0; i < blockSize; i++) {
                        interval[n++] = in.bits(bitsPerSample);
                    }
                } else {
                    int k = id - 1;
                    if (reference) {
                        interval[n++] = in.bits(bitsPerSample);
                    }
                    int count = blockSize - (reference ? 1 : 0);
                    for (int i = 0; i < count; i++) {
                        interval[n + i] = in.zerosBeforeOne() << k;
                    }
                    for (int i = 0; i < count; i++) {
                        interval[n + i] |= in.bits(k);
                    }
                    n += count;
                }
                blocks++;
            }
            int kept = (int) Math.min(n, samples - at);
            if (preprocess) {
                predictor.undo(interval, kept);
            } else {
                for (int i = 0; i < kept; i++) {
                    interval[i] = predictor.extend(interval[i]);
                }
            }
            sink.accept(interval, kept, at);
            at += kept;
            if ((flags & PAD_RSI) != 0) {
                in.align();
            }
        }
    }

    /** The unit-delay predictor and its mapping (CCSDS 121.0-B-3, 4.3), undone. */
    private static final class Predictor {
        private final int bits;
        private final boolean signed;
        private final long min;
        private final long max;

        Predictor(int bits, boolean signed) {
            this.bits = bits;
            this.signed = signed;
            this.min = signed ? -(1L << (bits - 1)) : 0;
            this.max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }

        long extend(long raw) {
            return signed && (raw & (1L << (bits - 1))) != 0 ? raw - (1L << bits) : raw;
        }

        /** In place: the first value is the raw reference sample, the others mapped residuals. */
        void undo(long[] mapped, int n) throws IOException {
            if (n == 0) {
                return;
            }
            long x = extend(mapped[0]);
            mapped[0] = x;
            for (int i = 1; i < n; i++) {
                long d = mapped[i];
                long theta = Math.min(x - min, max - x);
                long delta;
                if (d <= 2 * theta) {
                    delta = (d & 1) == 0 ? d >> 1 : -((d + 1) >> 1);
                } else {
                    delta = theta == x - min ? d - theta : theta - d;
                }
                x += delta;
                if (x < min || x > max) {
                    throw new IOException("CCSDS: a residual takes a sample out of its " + bits + "-bit range");
                }
                mapped[i] = x;
            }
        }
    }
}
