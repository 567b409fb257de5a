package io.refcat.indexer.hdf5;

import io.jhdf.GlobalHeap;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual dataset's mapping list (HDF5 spec III.G, "Global Heap Block for Virtual Dataset"): for
 * each mapping, the source file (".": this file) and dataset, the selection in the source and the
 * selection in the virtual dataset, each a serialized dataspace selection (H5S encoding: "all",
 * "none", points, hyperslabs in versions 1 to 3).
 */
record VirtualMapping(String sourceFile, String sourceDataset, Selection source, Selection virtual) {
    private static final int FILE_SHARED = 0x01;
    private static final int DATASET_SHARED = 0x02;
    private static final int SAME_FILE = 0x04;
    private static final int MAX_ENTRIES = 1 << 24;

    /** Where the mapping list is: a global heap collection and the object's index in it. */
    record HeapId(long collection, int index) {
    }

    /** @throws UnsupportedVariableException for point selections, unlimited mappings and unknown versions */
    static List<VirtualMapping> read(HdfBackingStorage storage, HeapId id) throws UnsupportedVariableException {
        ByteBuffer bb = new GlobalHeap(storage, id.collection()).getObjectData(id.index()).duplicate()
                .order(ByteOrder.LITTLE_ENDIAN);
        int version = Byte.toUnsignedInt(bb.get());
        if (version > 1) {
            throw new UnsupportedVariableException("virtual dataset mapping list version " + version);
        }
        long count = RawObjectHeader.readSized(bb, storage.getSizeOfLengths());
        if (count < 0 || count > MAX_ENTRIES) {
            throw new UnsupportedVariableException("virtual dataset with " + count + " mappings");
        }
        List<VirtualMapping> mappings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int flags = version == 0 ? 0 : Byte.toUnsignedInt(bb.get());
            String file = (flags & SAME_FILE) != 0 ? "."
                    : (flags & FILE_SHARED) != 0 ? mappings.get(origin(bb, storage, i)).sourceFile() : cString(bb);
            String dataset = (flags & DATASET_SHARED) != 0 ? mappings.get(origin(bb, storage, i)).sourceDataset()
                    : cString(bb);
            mappings.add(new VirtualMapping(file, dataset, Selection.read(bb), Selection.read(bb)));
        }
        // The block ends with a checksum of all before it, which libhdf5 verifies.
        byte[] summed = new byte[bb.position()];
        bb.get(0, summed);
        if (bb.remaining() < 4 || io.jhdf.checksum.ChecksumUtils.checksum(summed) != bb.getInt()) {
            throw new UnsupportedVariableException("its virtual dataset mapping list fails its checksum: the file is corrupt");
        }
        return mappings;
    }

    private static int origin(ByteBuffer bb, HdfBackingStorage storage, int entry) {
        long origin = RawObjectHeader.readSized(bb, storage.getSizeOfLengths());
        if (origin < 0 || origin >= entry) {
            throw new IllegalArgumentException("mapping " + entry + " shares the name of mapping " + origin);
        }
        return (int) origin;
    }

    private static String cString(ByteBuffer bb) {
        int start = bb.position();
        while (bb.get() != 0) {
            // scan to the terminating NUL
        }
        byte[] b = new byte[bb.position() - start - 1];
        bb.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A selection reduced to what refcat can map chunk for chunk: everything, or one box
     * ({@code start}, {@code shape}); {@code why} says what else it was.
     */
    record Selection(boolean all, long[] start, long[] shape, String why) {
        private static final int NONE = 0;
        private static final int POINTS = 1;
        private static final int HYPERSLAB = 2;
        private static final int ALL = 3;
        private static final int REGULAR = 0x01;

        boolean isBox() {
            return why == null;
        }

        /** The box this selection is within a dataspace of {@code extent}. */
        long[][] box(long[] extent) {
            return all ? new long[][] {new long[extent.length], extent.clone()} : new long[][] {start, shape};
        }

        static Selection read(ByteBuffer bb) throws UnsupportedVariableException {
            int type = bb.getInt();
            int version = bb.getInt();
            switch (type) {
                case NONE, ALL -> {
                    if (version != 1 && version != 2) { // libhdf5 refuses others: "bad version number"
                        throw new IllegalArgumentException("dataspace selection version " + version);
                    }
                    bb.position(bb.position() + 8); // reserved, length (0)
                    return type == ALL ? new Selection(true, null, null, null)
                            : new Selection(false, null, null, "an empty selection");
                }
                case HYPERSLAB -> {
                    return hyperslab(bb, version);
                }
                case POINTS -> throw new UnsupportedVariableException("virtual dataset mapping by point selection");
                default -> throw new IllegalArgumentException("dataspace selection of type " + type);
            }
        }

        private static Selection hyperslab(ByteBuffer bb, int version) throws UnsupportedVariableException {
            int flags = 0;
            int size = 4;
            if (version == 1) {
                bb.position(bb.position() + 8); // reserved, length
            } else if (version == 2) {
                flags = Byte.toUnsignedInt(bb.get());
                bb.getInt(); // length
                size = 8;
            } else if (version == 3) {
                flags = Byte.toUnsignedInt(bb.get());
                size = Byte.toUnsignedInt(bb.get());
            } else {
                throw new IllegalArgumentException("hyperslab selection version " + version);
            }
            int rank = bb.getInt();
            if (rank < 0 || rank > 32) {
                throw new IllegalArgumentException("hyperslab selection of rank " + rank);
            }
            long[] start = new long[rank];
            long[] shape = new long[rank];
            if ((flags & REGULAR) != 0) {
                String why = null;
                for (int d = 0; d < rank; d++) {
                    start[d] = value(bb, size);
                    long stride = value(bb, size);
                    long count = value(bb, size);
                    long block = value(bb, size);
                    if (count == 1 || stride == block) {
                        shape[d] = count * block; // one box, or boxes that touch
                    } else if (why == null) {
                        why = "a strided selection (stride " + stride + ", block " + block + ") along dimension " + d;
                    }
                }
                return new Selection(false, start, shape, why);
            }
            long blocks = value(bb, size);
            for (long b = 0; b < blocks; b++) {
                for (int d = 0; d < rank; d++) {
                    long v = value(bb, size);
                    if (b == 0) {
                        start[d] = v;
                    }
                }
                for (int d = 0; d < rank; d++) {
                    long v = value(bb, size);
                    if (b == 0) {
                        shape[d] = v - start[d] + 1;
                    }
                }
            }
            return new Selection(false, start, shape, blocks == 1 ? null : "a selection of " + blocks + " blocks");
        }

        /** An encoded coordinate; all ones is H5S_UNLIMITED, which refcat does not map. */
        private static long value(ByteBuffer bb, int size) throws UnsupportedVariableException {
            long v = RawObjectHeader.readSized(bb, size);
            if (size < 8 ? v == (1L << (8 * size)) - 1 : v == -1L) {
                throw new UnsupportedVariableException("virtual dataset with an unlimited mapping");
            }
            return v;
        }
    }
}
