package io.refcat.indexer.hdf5;

import io.jhdf.Superblock;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The file as jhdf sees it for one repaired object ({@link RepairedObjects}): every read goes to
 * the file, except reads at {@link #headerAddress()}, past its end, which return the rewritten
 * object header.
 */
final class RepairedStorage implements HdfBackingStorage {
    private final HdfBackingStorage file;
    private final ByteBuffer header;
    private final long headerAddress;

    private RepairedStorage(HdfBackingStorage file, ByteBuffer header, long headerAddress) {
        this.file = file;
        this.header = header;
        this.headerAddress = headerAddress;
    }

    static RepairedStorage over(HdfBackingStorage file, ByteBuffer header) {
        // 8-aligned, as a v1 header's messages are aligned to their header's address
        return new RepairedStorage(file, header.asReadOnlyBuffer(), (file.size() + 4096) & ~7L);
    }

    long headerAddress() {
        return headerAddress;
    }

    @Override
    public ByteBuffer readBufferFromAddress(long address, int length) {
        long at = address - headerAddress;
        if (at >= 0 && at < header.limit()) {
            int n = (int) Math.min(length, header.limit() - at);
            return header.slice((int) at, n).order(ByteOrder.LITTLE_ENDIAN);
        }
        return file.readBufferFromAddress(address, length);
    }

    @Override
    public ByteBuffer map(long address, long length) {
        return file.map(address, length);
    }

    @Override
    public ByteBuffer mapNoOffset(long address, long length) {
        return file.mapNoOffset(address, length);
    }

    @Override
    public long getUserBlockSize() {
        return file.getUserBlockSize();
    }

    @Override
    public Superblock getSuperblock() {
        return file.getSuperblock();
    }

    @Override
    public FileChannel getFileChannel() {
        return file.getFileChannel();
    }

    @Override
    public int getSizeOfOffsets() {
        return file.getSizeOfOffsets();
    }

    @Override
    public int getSizeOfLengths() {
        return file.getSizeOfLengths();
    }

    @Override
    public void close() {
        // the file's own storage is closed with the file
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public boolean inMemory() {
        return file.inMemory();
    }
}
