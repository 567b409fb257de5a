package io.refcat.indexer.hdf5;

import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An object header's messages as raw bytes (HDF5 spec IV.A, versions 1 and 2 with their
 * continuation blocks), for the objects jhdf 0.13 refuses outright because one message is beyond
 * it (a virtual dataset's layout, an opaque datatype). Parsing stops at the first structure that
 * does not fit: the caller then reports jhdf's original error.
 */
record RawObjectHeader(int version, boolean attributeOrderTracked, boolean attributeOrderIndexed,
                       List<Message> messages) {
    private static final int CONTINUATION = 0x10;
    private static final int MAX_MESSAGES = 1 << 16;

    /** One header message: its type, flags and body (a view positioned at 0). */
    record Message(int type, int flags, ByteBuffer body) {
    }

    static RawObjectHeader read(HdfBackingStorage storage, long address) {
        ByteBuffer first = storage.readBufferFromAddress(address, 16).order(ByteOrder.LITTLE_ENDIAN);
        return first.get(0) == 'O' && first.get(1) == 'H' ? readV2(storage, address) : readV1(storage, address, first);
    }

    private static RawObjectHeader readV1(HdfBackingStorage storage, long address, ByteBuffer prefix) {
        if (prefix.get(0) != 1) {
            throw new IllegalArgumentException("object header version " + prefix.get(0) + " at " + address);
        }
        int count = Short.toUnsignedInt(prefix.getShort(2));
        long size = Integer.toUnsignedLong(prefix.getInt(8));
        List<Message> messages = new ArrayList<>();
        List<long[]> blocks = new ArrayList<>(List.of(new long[] {address + 16, size}));
        for (int b = 0; b < blocks.size() && messages.size() < count; b++) {
            ByteBuffer bb = block(storage, blocks.get(b));
            while (bb.remaining() >= 8 && messages.size() < count) {
                int type = Short.toUnsignedInt(bb.getShort());
                int length = Short.toUnsignedInt(bb.getShort());
                int flags = Byte.toUnsignedInt(bb.get());
                bb.position(bb.position() + 3);
                Message m = new Message(type, flags, slice(bb, length));
                bb.position(bb.position() + length);
                collect(storage, m, messages, blocks);
            }
        }
        return new RawObjectHeader(1, false, false, messages);
    }

    /**
     * What libhdf5 checks of a version-1 header and jhdf does not (H5O__chunk_deserialize): every
     * message's size is a multiple of 8, no message runs past its block, no block past the file,
     * and no message has flags libhdf5 refuses together. libhdf5 refuses the object otherwise
     * ("message not aligned", "corrupt object header", "bad flag combination for message"). A message count in the prefix that differs
     * from the messages found it tolerates (old libraries miscounted), and so does refcat.
     */
    static void checkV1(HdfBackingStorage storage, long address) {
        ByteBuffer prefix = storage.readBufferFromAddress(address, 16).order(ByteOrder.LITTLE_ENDIAN);
        if (prefix.get(0) != 1) {
            return;
        }
        List<long[]> blocks = new ArrayList<>(List.of(new long[] {address + 16, Integer.toUnsignedLong(prefix.getInt(8))}));
        for (int b = 0; b < blocks.size(); b++) {
            if (b >= MAX_MESSAGES) {
                throw new IllegalArgumentException("object header at " + address + " chains too many blocks");
            }
            ByteBuffer bb = block(storage, blocks.get(b));
            while (bb.remaining() >= 8) {
                int type = Short.toUnsignedInt(bb.getShort());
                int length = Short.toUnsignedInt(bb.getShort());
                int flags = Byte.toUnsignedInt(bb.get());
                bb.position(bb.position() + 3);
                if (length % 8 != 0 || length > bb.remaining() || badFlags(flags)) {
                    throw new IllegalArgumentException("object header at " + address + " is corrupt: a message of "
                            + length + " bytes " + (length % 8 != 0 ? "is not aligned to 8 bytes" : length > bb.remaining()
                            ? "overruns its block" : "has flags libhdf5 refuses together (0x" + Integer.toHexString(flags) + ")"));
                }
                if (type == CONTINUATION) {
                    ByteBuffer body = slice(bb, length);
                    blocks.add(new long[] {readSized(body, storage.getSizeOfOffsets()), readSized(body, storage.getSizeOfLengths())});
                }
                bb.position(bb.position() + length);
            }
        }
    }

    /**
     * Flag combinations libhdf5 refuses: shared and not shareable; "was unknown" with "fail if
     * unknown and open for write", or without "mark if unknown".
     */
    private static boolean badFlags(int flags) {
        boolean wasUnknown = (flags & 0x20) != 0;
        return (flags & 0x06) == 0x06 || wasUnknown && ((flags & 0x08) != 0 || (flags & 0x10) == 0);
    }

    private static RawObjectHeader readV2(HdfBackingStorage storage, long address) {
        ByteBuffer head = storage.readBufferFromAddress(address, 6 + 16 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        if (head.getInt(0) != 0x5244484F || head.get(4) != 2) { // "OHDR", version 2
            throw new IllegalArgumentException("not an object header at " + address);
        }
        int flags = Byte.toUnsignedInt(head.get(5));
        int pos = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeBytes = 1 << (flags & 3);
        long chunk0 = 0;
        for (int i = 0; i < sizeBytes; i++) {
            chunk0 |= (long) Byte.toUnsignedInt(head.get(pos + i)) << (8 * i);
        }
        boolean creationOrder = (flags & 0x04) != 0;
        List<Message> messages = new ArrayList<>();
        List<long[]> blocks = new ArrayList<>(List.of(new long[] {address + pos + sizeBytes, chunk0}));
        for (int b = 0; b < blocks.size(); b++) {
            long[] block = blocks.get(b);
            // Version 2 checksums the prefix with chunk 0, and each continuation block ("OCHK"
            // and its messages); libhdf5 refuses a header whose sum differs.
            requireChecksum(storage, b == 0 ? address : block[0], b == 0 ? pos + sizeBytes + chunk0 : block[1] - 4);
            ByteBuffer bb = b == 0 ? block(storage, block) : block(storage, new long[] {block[0] + 4, block[1] - 8});
            int header = creationOrder ? 6 : 4;
            while (bb.remaining() >= header) {
                int type = Byte.toUnsignedInt(bb.get());
                int length = Short.toUnsignedInt(bb.getShort());
                int mflags = Byte.toUnsignedInt(bb.get());
                if (creationOrder) {
                    bb.getShort();
                }
                Message m = new Message(type, mflags, slice(bb, length));
                bb.position(bb.position() + length);
                collect(storage, m, messages, blocks);
            }
        }
        return new RawObjectHeader(2, creationOrder, (flags & 0x08) != 0, messages);
    }

    private static void requireChecksum(HdfBackingStorage storage, long address, long length) {
        if (length < 0 || length > Math.min(Integer.MAX_VALUE - 4, storage.size())) {
            throw new IllegalArgumentException("object header block of " + length + " bytes");
        }
        ByteBuffer bytes = storage.readBufferFromAddress(address, (int) length + 4).order(ByteOrder.LITTLE_ENDIAN);
        byte[] summed = new byte[(int) length];
        bytes.get(0, summed);
        if (ChecksumUtils.checksum(summed) != bytes.getInt((int) length)) {
            throw new IllegalArgumentException("object header checksum mismatch at " + address);
        }
    }

    private static void collect(HdfBackingStorage storage, Message m, List<Message> messages, List<long[]> blocks) {
        if (messages.size() >= MAX_MESSAGES) {
            throw new IllegalArgumentException("more than " + MAX_MESSAGES + " header messages");
        }
        if (m.type() == CONTINUATION) {
            ByteBuffer body = m.body();
            blocks.add(new long[] {readSized(body, storage.getSizeOfOffsets()), readSized(body, storage.getSizeOfLengths())});
        }
        messages.add(m);
    }

    private static ByteBuffer block(HdfBackingStorage storage, long[] block) {
        if (block[1] < 0 || block[1] > Math.min(Integer.MAX_VALUE, storage.size())) {
            throw new IllegalArgumentException("object header block of " + block[1] + " bytes");
        }
        return storage.readBufferFromAddress(block[0], (int) block[1]).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer slice(ByteBuffer bb, int length) {
        if (length > bb.remaining()) {
            throw new IllegalArgumentException("header message of " + length + " bytes overruns its block");
        }
        return bb.slice(bb.position(), length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A little-endian unsigned integer of {@code size} bytes (HDF5's offsets and lengths). */
    static long readSized(ByteBuffer bb, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) Byte.toUnsignedInt(bb.get()) << (8 * i);
        }
        return v;
    }
}
