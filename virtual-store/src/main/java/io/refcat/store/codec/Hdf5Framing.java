package io.refcat.store.codec;

import io.refcat.store.StoreException;

/**
 * The sizes HDF5's third-party filters declare before their data, checked against the chunk before
 * jhdf allocates what they declare: a 20-byte lz4 chunk that claims 1.8 GB is corrupt, not a
 * reason to allocate 1.8 GB. Framings (from the filters' C sources): lz4 (32004) and bitshuffle
 * with lz4 (32008, {@code cd_values[4] == 2}) start with the decoded size as a big-endian int64
 * and a block size as a big-endian int32; lzf (32000) has no header and takes the decoded size from
 * {@code cd_values[2]}.
 */
final class Hdf5Framing {
    static final int LZF = 32000;
    static final int LZ4 = 32004;
    static final int BITSHUFFLE = 32008;
    /** bitshuffle's blocks are a few KiB; anything past this is not one it wrote. */
    private static final long MAX_BITSHUFFLE_BLOCK = 1 << 20;

    private Hdf5Framing() {
    }

    /** @param limit the most bytes the chunk may decode to */
    static void check(int id, String name, int[] filterData, byte[] data, int limit, String where) {
        switch (id) {
            case LZF -> {
                long declared = filterData.length > 2 ? filterData[2] & 0xffffffffL : -1;
                if (declared <= 0 || declared > limit) {
                    throw corrupt(where, name, "its filter parameters declare " + declared + " bytes", limit);
                }
            }
            case LZ4 -> {
                long declared = header(data, name, where);
                long block = blockSize(data);
                if (declared < 0 || declared > limit) {
                    throw corrupt(where, name, "its header declares " + declared + " bytes", limit);
                }
                if (declared > 0 && (block <= 0 || block > declared)) {
                    throw corrupt(where, name, "its header declares blocks of " + block + " bytes for " + declared, limit);
                }
            }
            case BITSHUFFLE -> {
                boolean lz4 = filterData.length > 4 && filterData[4] == 2;
                if (lz4) {
                    long declared = header(data, name, where);
                    long elementSize = filterData.length > 2 ? Math.max(1, filterData[2]) : 1;
                    long block = blockSize(data) * elementSize;
                    if (declared < 0 || declared > limit) {
                        throw corrupt(where, name, "its header declares " + declared + " bytes", limit);
                    }
                    if (block < 0 || block > Math.max(declared, MAX_BITSHUFFLE_BLOCK)) {
                        throw corrupt(where, name, "its header declares blocks of " + block + " bytes", limit);
                    }
                }
            }
            default -> {
                // other filters jhdf decodes allocate from the stream itself
            }
        }
    }

    private static long header(byte[] data, String name, String where) {
        if (data.length < 12) {
            throw new StoreException(502, "corrupt chunk", where + ": " + data.length + " bytes, too short for the "
                    + name + " filter's 12-byte header");
        }
        long size = 0;
        for (int i = 0; i < 8; i++) {
            size = size << 8 | (data[i] & 0xff);
        }
        return size;
    }

    private static long blockSize(byte[] data) {
        return (data[8] & 0xffL) << 24 | (data[9] & 0xff) << 16 | (data[10] & 0xff) << 8 | (data[11] & 0xff);
    }

    private static StoreException corrupt(String where, String name, String claim, int limit) {
        return new StoreException(502, "corrupt chunk", where + ": " + claim + " for the " + name
                + " filter, but the chunk holds at most " + limit + " bytes; not decoded");
    }
}
