package io.refcat.indexer.hdf5;

import io.jhdf.LocalHeap;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset's raw data kept in other files (HDF5 spec IV.A.2.h, External Data Files message,
 * written by {@code H5Pset_external}): slots of (file name, offset in it, size), the data being
 * their concatenation. jhdf 0.13 refuses the message; refcat reads it and references the
 * external files' byte ranges, as kerchunk does.
 */
record ExternalStorage(List<Slot> slots) {
    /** {@code H5F_UNLIMITED}: the last slot runs to the end of its file. */
    static final long UNLIMITED = -1L;

    /** @param size bytes of the dataset in this slot, or {@link #UNLIMITED} */
    record Slot(String name, long offset, long size) {
    }

    static ExternalStorage parse(HdfBackingStorage storage, ByteBuffer message) {
        ByteBuffer b = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int version = Byte.toUnsignedInt(b.get());
        if (version != 1) {
            throw new IllegalArgumentException("External Data Files message version " + version + " is not 1");
        }
        b.position(b.position() + 3); // reserved
        b.getShort(); // allocated slots
        int used = Short.toUnsignedInt(b.getShort());
        long heapAddress = RawObjectHeader.readSized(b, storage.getSizeOfOffsets());
        ByteBuffer names = new LocalHeap(storage, heapAddress).getDataBuffer();
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < used; i++) {
            int nameOffset = (int) RawObjectHeader.readSized(b, storage.getSizeOfLengths());
            long offset = RawObjectHeader.readSized(b, storage.getSizeOfLengths());
            long size = RawObjectHeader.readSized(b, storage.getSizeOfLengths());
            slots.add(new Slot(GroupLinks.cString(names, nameOffset), offset, size));
        }
        return new ExternalStorage(List.copyOf(slots));
    }
}
