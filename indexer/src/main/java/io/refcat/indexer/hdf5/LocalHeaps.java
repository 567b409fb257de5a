package io.refcat.indexer.hdf5;

import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The free list of an old-style group's local heap (HDF5 spec III.D), checked as libhdf5 checks it
 * before it lists the group (H5HL__fl_deserialize): each free block lies inside the heap's data
 * segment and links to the next by a non-zero offset. jhdf never reads the free list, so without
 * this a group libhdf5 cannot list ("bad heap free list") would be indexed as if intact.
 */
final class LocalHeaps {
    /** libhdf5's end of the free list (H5HL_FREE_NULL); all ones, the undefined address, also ends it. */
    private static final long END = 1;

    private LocalHeaps() {
    }

    static void checkFreeList(HdfBackingStorage storage, long heapAddress) {
        int l = storage.getSizeOfLengths();
        ByteBuffer head = storage.readBufferFromAddress(heapAddress, 8 + 2 * l)
                .order(ByteOrder.LITTLE_ENDIAN);
        if (head.getInt(0) != 0x50414548) { // "HEAP": not a local heap, which jhdf reports itself
            return;
        }
        head.position(8);
        long size = RawObjectHeader.readSized(head, l);
        long free = RawObjectHeader.readSized(head, l);
        long data = RawObjectHeader.readSized(storage.readBufferFromAddress(heapAddress + 8 + 2L * l, storage.getSizeOfOffsets())
                .order(ByteOrder.LITTLE_ENDIAN), storage.getSizeOfOffsets());
        for (long steps = 0; free != END && free != -1 && (l >= 8 || free != (1L << (8 * l)) - 1); steps++) {
            if (free < 0 || free + 2L * l > size || steps > size / (2L * l)) {
                throw corrupt(heapAddress);
            }
            ByteBuffer block = storage.readBufferFromAddress(data + free, 2 * l).order(ByteOrder.LITTLE_ENDIAN);
            long next = RawObjectHeader.readSized(block, l);
            long blockSize = RawObjectHeader.readSized(block, l);
            if (next == 0 || blockSize < 0 || free + blockSize > size) {
                throw corrupt(heapAddress);
            }
            free = next;
        }
    }

    private static IllegalArgumentException corrupt(long heapAddress) {
        return new IllegalArgumentException("the free list of the group's local heap at " + heapAddress
                + " is corrupt (libhdf5 cannot list the group)");
    }
}
