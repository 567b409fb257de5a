package io.refcat.indexer.hdf5;

import io.jhdf.ObjectHeader;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.dataset.DatasetLoader;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Datasets whose object header jhdf 0.13 refuses or misreads because of one message: a virtual
 * dataset's layout (layout class 3), an opaque datatype with an empty tag (jhdf reads the tag up to
 * a NUL that is not there), a datatype shared with a committed datatype (jhdf reads the reference
 * as if it were the type), a version-2 array datatype (see {@link #misread}), raw data in external
 * files ({@link ExternalStorage}, dropped from the header and kept aside). {@link RawObjectHeader} reads the header; refcat writes it out again
 * as a version-1 header with that message replaced (an empty compact layout standing in for the
 * virtual one, whose mapping is kept aside; the tag given its NUL; the committed type's own
 * message; the array type in version 3) and lets jhdf read that. jhdf
 * sees the rewritten header through {@link RepairedStorage} at an address past the end of the
 * file, so no read of the real file can land in it.
 */
final class RepairedObjects {
    private static final int DATATYPE = 0x03;
    private static final int LAYOUT = 0x08;
    private static final int EXTERNAL_FILES = 0x07;
    private static final int CONTINUATION = 0x10;
    private static final int OPAQUE_CLASS = 5;
    private static final int ARRAY_CLASS = 10;
    private static final int SHARED = 0x02;
    /** A shared message's kind: "committed", the message lives in another object's header. */
    private static final int COMMITTED = 2;
    private static final int VIRTUAL_LAYOUT = 3;

    private RepairedObjects() {
    }

    /**
     * A repaired dataset and, for a virtual dataset, where its mapping list is; for one whose raw
     * data are in other files, those files' slots.
     */
    record Repaired(Dataset dataset, Optional<VirtualMapping.HeapId> virtualMapping,
                    Optional<ExternalStorage> external) {
    }

    /** @return the repaired dataset, or empty when nothing here is what jhdf refused */
    static Optional<Repaired> repair(HdfBackingStorage storage, long address, String name, Group parent) {
        RawObjectHeader raw;
        try {
            raw = RawObjectHeader.read(storage, address);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        VirtualMapping.HeapId heapId = null;
        ExternalStorage external = null;
        boolean repaired = false;
        List<RawObjectHeader.Message> messages = new ArrayList<>();
        for (RawObjectHeader.Message original : raw.messages()) {
            RawObjectHeader.Message m = original;
            if (m.type() == DATATYPE && (m.flags() & SHARED) != 0) {
                m = committedType(storage, m);
                repaired |= m != original;
            }
            ByteBuffer body = m.body().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (m.type() == LAYOUT && body.remaining() >= 2 && body.get(0) == 4 && body.get(1) == VIRTUAL_LAYOUT) {
                body.position(2);
                heapId = new VirtualMapping.HeapId(RawObjectHeader.readSized(body, storage.getSizeOfOffsets()),
                        body.getInt());
                // version 3, compact, no data: jhdf's stand-in, never read
                messages.add(new RawObjectHeader.Message(LAYOUT, 0, ByteBuffer.wrap(new byte[] {3, 0, 0, 0})));
                repaired = true;
            } else if (m.type() == DATATYPE && (m.flags() & SHARED) == 0 && body.remaining() >= 8
                    && (body.get(0) & 0x0F) == OPAQUE_CLASS) {
                messages.add(new RawObjectHeader.Message(DATATYPE, m.flags(), terminatedTag(body)));
                repaired = true;
            } else if (m.type() == DATATYPE && (m.flags() & SHARED) == 0 && body.remaining() >= 12
                    && Byte.toUnsignedInt(body.get(0)) == (2 << 4 | ARRAY_CLASS)) {
                messages.add(new RawObjectHeader.Message(DATATYPE, m.flags(), arrayV3(body)));
                repaired = true;
            } else if (m.type() == EXTERNAL_FILES) {
                // dropped: jhdf then sees a contiguous layout with no address; the slots are kept aside
                try {
                    external = ExternalStorage.parse(storage, m.body());
                } catch (RuntimeException unreadable) {
                    return Optional.empty(); // jhdf's refusal stands: the dataset is listed as unsupported
                }
                repaired = true;
            } else if (m.type() != CONTINUATION) {
                messages.add(m);
            }
        }
        if (!repaired) {
            return Optional.empty();
        }
        RepairedStorage repairedStorage = RepairedStorage.over(storage, headerV1(messages));
        ObjectHeader header = ObjectHeader.readObjectHeader(repairedStorage, repairedStorage.headerAddress());
        Dataset dataset = DatasetLoader.createDataset(repairedStorage, header, name, parent);
        return Optional.of(new Repaired(dataset, Optional.ofNullable(heapId), Optional.ofNullable(external)));
    }

    /**
     * A shared datatype message (spec IV.A.2.p) names a committed datatype; jhdf 0.13 parses the
     * reference itself as a datatype (reading garbage, e.g. a "time" type). The committed
     * datatype's own message replaces it. Types shared through the shared-message heap stay as they are.
     */
    private static RawObjectHeader.Message committedType(HdfBackingStorage storage, RawObjectHeader.Message m) {
        ByteBuffer b = m.body().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int version = Byte.toUnsignedInt(b.get(0));
        int kind = Byte.toUnsignedInt(b.get(1));
        if (kind != COMMITTED || version < 1 || version > 3) {
            return m;
        }
        b.position(version == 1 ? 8 : 2);
        long address = RawObjectHeader.readSized(b, storage.getSizeOfOffsets());
        for (RawObjectHeader.Message c : RawObjectHeader.read(storage, address).messages()) {
            if (c.type() == DATATYPE && (c.flags() & SHARED) == 0) {
                return new RawObjectHeader.Message(DATATYPE, m.flags() & ~SHARED, c.body());
            }
        }
        return m;
    }

    /**
     * Whether jhdf 0.13 misreads this dataset's datatype without failing: a shared (committed)
     * datatype, or a version-2 array datatype (it reads the dimensions without skipping the three
     * reserved bytes and the permutation indices), which {@link #repair} rewrites.
     */
    static boolean misread(ObjectHeader oh) {
        if (!oh.hasMessageOfType(DataTypeMessage.class)) {
            return false;
        }
        DataTypeMessage m = oh.getMessageOfType(DataTypeMessage.class);
        return m.isMessageShared() || (m.getDataType() instanceof ArrayDataType a && a.getVersion() == 2);
    }

    /** A version-2 array datatype as version 3 (spec IV.A.2.d): rank, dimension sizes, base type. */
    private static ByteBuffer arrayV3(ByteBuffer v2) {
        ByteBuffer in = v2.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int rank = Byte.toUnsignedInt(in.get(8));
        ByteBuffer out = ByteBuffer.allocate(in.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(in.slice(0, 8)).put(0, (byte) (3 << 4 | ARRAY_CLASS)).put((byte) rank);
        out.put(in.slice(12, 4 * rank));
        in.position(12 + 8 * rank); // past the sizes and the permutation indices
        out.put(in).flip();
        return out;
    }

    /** An opaque datatype whose tag ends in a NUL (eight more bytes, as tags are padded to 8). */
    private static ByteBuffer terminatedTag(ByteBuffer type) {
        int tagLength = Byte.toUnsignedInt(type.get(1));
        ByteBuffer fixed = ByteBuffer.allocate(type.remaining() + 8).order(ByteOrder.LITTLE_ENDIAN);
        fixed.put(type.duplicate()).put(new byte[8]).flip();
        fixed.put(1, (byte) (tagLength + 8));
        return fixed;
    }

    /** HDF5 spec IV.A.1.a: a version-1 object header holding {@code messages}, bodies padded to 8 bytes. */
    private static ByteBuffer headerV1(List<RawObjectHeader.Message> messages) {
        int size = 0;
        for (RawObjectHeader.Message m : messages) {
            size += 8 + padded(m.body().remaining());
        }
        ByteBuffer bb = ByteBuffer.allocate(16 + size).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 1).put((byte) 0).putShort((short) messages.size()).putInt(1).putInt(size).putInt(0);
        for (RawObjectHeader.Message m : messages) {
            int length = m.body().remaining();
            bb.putShort((short) m.type()).putShort((short) padded(length)).put((byte) m.flags()).put(new byte[3]);
            bb.put(m.body().duplicate()).put(new byte[padded(length) - length]);
        }
        return bb.flip();
    }

    private static int padded(int length) {
        return (length + 7) & ~7;
    }
}
