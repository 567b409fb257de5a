package io.refcat.indexer;

import io.refcat.reference.zarr.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decoded chunk bytes as doubles, for coordinate values. */
public final class NumericValues {
    private NumericValues() {
    }

    public static boolean numeric(DType t) {
        return !t.structured() && ((t.kind() == 'f' && (t.itemSize() == 4 || t.itemSize() == 8))
                || ((t.kind() == 'i' || t.kind() == 'u') && t.itemSize() <= 8));
    }

    public static double[] read(byte[] data, DType t, int count) {
        ByteBuffer b = ByteBuffer.wrap(data).order(t.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[count];
        int size = t.itemSize();
        for (int i = 0; i < count; i++) {
            int at = i * size;
            out[i] = switch (t.kind()) {
                case 'f' -> size == 4 ? b.getFloat(at) : b.getDouble(at);
                case 'i' -> switch (size) {
                    case 1 -> b.get(at);
                    case 2 -> b.getShort(at);
                    case 4 -> b.getInt(at);
                    default -> b.getLong(at);
                };
                default -> switch (size) {
                    case 1 -> b.get(at) & 0xff;
                    case 2 -> b.getShort(at) & 0xffff;
                    case 4 -> b.getInt(at) & 0xffffffffL;
                    default -> b.getLong(at);
                };
            };
        }
        return out;
    }

    /** Values as little-endian bytes of {@code t} (an integer type takes the values rounded). */
    public static byte[] write(double[] values, DType t) {
        ByteBuffer b = ByteBuffer.allocate(values.length * t.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (t.kind() == 'f' ? -t.itemSize() : t.itemSize()) {
                case -4 -> b.putFloat((float) v);
                case -8 -> b.putDouble(v);
                case 1 -> b.put((byte) Math.round(v));
                case 2 -> b.putShort((short) Math.round(v));
                case 4 -> b.putInt((int) Math.round(v));
                default -> b.putLong(Math.round(v));
            }
        }
        return b.array();
    }
}
