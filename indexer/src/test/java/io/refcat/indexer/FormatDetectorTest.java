package io.refcat.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private static Format detect(byte[] data) throws IOException {
        return FormatDetector.detect(new MemorySource("mem://x", data));
    }

    private static byte[] withAt(int size, int at, byte[] magic) {
        byte[] data = new byte[size];
        System.arraycopy(magic, 0, data, at, magic.length);
        return data;
    }

    @Test
    void netcdf3VersionsByTheirVersionByte() throws IOException {
        assertEquals(Format.NETCDF3_CLASSIC, detect(new byte[] {'C', 'D', 'F', 1, 0, 0, 0, 0}));
        assertEquals(Format.NETCDF3_64BIT_OFFSET, detect(new byte[] {'C', 'D', 'F', 2, 0, 0, 0, 0}));
        assertEquals(Format.NETCDF3_64BIT_DATA, detect(new byte[] {'C', 'D', 'F', 5, 0, 0, 0, 0}));
    }

    @Test
    void unknownNetcdfVersionIsNamed() {
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> detect(new byte[] {'C', 'D', 'F', 3, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("version byte 3"), e.getMessage());
    }

    @Test
    void hdf5SignatureAtZeroAndBehindUserBlocks() throws IOException {
        assertEquals(Format.HDF5, detect(withAt(64, 0, HDF5)));
        assertEquals(Format.HDF5, detect(withAt(2000, 512, HDF5)));
        assertEquals(Format.HDF5, detect(withAt(9000, 8192, HDF5)));
        assertThrows(UnsupportedFormatException.class, () -> detect(withAt(2000, 700, HDF5)));
    }

    @Test
    void gribAfterABulletinHeader() throws IOException {
        assertEquals(Format.GRIB, detect("GRIB....".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Format.GRIB, detect("\r\r\n123 WMO HEADER\r\r\nGRIB".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anythingElseIsAClearError() {
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> detect("plain text, not data".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().startsWith("mem://x: unsupported format"), e.getMessage());
        assertThrows(UnsupportedFormatException.class, () -> detect(new byte[2]));
    }
}
