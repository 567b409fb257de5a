package io.refcat.indexer.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.refcat.indexer.ScanException;
import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What libhdf5 checks of a superblock before it opens a file and jhdf 0.13 does not: a file
 * shorter than the end-of-file address its superblock records is truncated (a copy cut short),
 * and versions 0 and 1 fix the versions of the structures they describe and need non-zero B-tree
 * ranks. libhdf5 refuses such a file whole ("truncated file", "bad ... version number"), so refcat
 * does too rather than index what is left of it.
 */
final class SuperblockChecks {
    private SuperblockChecks() {
    }

    /**
     * Where the file ends by its superblock, as an absolute offset: libhdf5 reads nothing past it
     * ("addr overflow"), so a structure or data beyond it is corrupt. Its end-of-file address is
     * relative to the base (the user block's end).
     */
    static long end(HdfFile hdf) {
        long recorded = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
        return recorded > 0 ? hdf.getUserBlockSize() + recorded : Long.MAX_VALUE;
    }

    /** The structures jhdf and refcat read (up to {@code readEnd}) all lie before the recorded end of file. */
    static void requireReadsInside(ByteSource source, HdfFile hdf, long readEnd) throws ScanException {
        long end = end(hdf);
        if (readEnd > end) {
            throw new ScanException(source.url(), end, "structures of the file lie past the end of file its superblock "
                    + "records (" + end + "): the file is corrupt (libhdf5 refuses to read there)");
        }
    }

    static void check(ByteSource source, HdfFile hdf) throws IOException {
        Superblock sb = hdf.getHdfBackingStorage().getSuperblock();
        long start = hdf.getUserBlockSize();
        long recordedEnd = sb.getEndOfFileAddress();
        if (recordedEnd > 0 && source.size() < recordedEnd) {
            throw new ScanException(source.url(), start, "the file is truncated: its superblock records "
                    + recordedEnd + " bytes, the file has " + source.size());
        }
        if (sb.getVersionOfSuperblock() > 1) {
            return; // versions 2 and 3 carry a checksum, which jhdf verifies
        }
        ByteBuffer b = ByteBuffer.wrap(source.read(start, 24)).order(ByteOrder.LITTLE_ENDIAN);
        requireZero(source, start + 9, b.get(9), "free-space storage");
        requireZero(source, start + 10, b.get(10), "root group symbol table entry");
        requireZero(source, start + 12, b.get(12), "shared header message format");
        if (b.getShort(16) == 0 || b.getShort(18) == 0) {
            throw new ScanException(source.url(), start + 16, "the superblock gives a B-tree rank of 0 (group leaf "
                    + b.getShort(16) + ", internal " + b.getShort(18) + "): the file is corrupt");
        }
    }

    private static void requireZero(ByteSource source, long at, byte version, String what) throws ScanException {
        if (version != 0) {
            throw new ScanException(source.url(), at, "the superblock gives version " + Byte.toUnsignedInt(version)
                    + " of the " + what + ", which HDF5 does not define: the file is corrupt");
        }
    }
}
