package io.refcat.indexer;

import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises a format by its magic bytes. HDF5's signature may sit behind a user block, at 0,
 * 512, 1024, 2048, ... bytes (HDF5 spec, "Format Signature"); GRIB files commonly start with a
 * message, possibly after a short bulletin header, so the first 4 KiB are searched for "GRIB".
 */
public final class FormatDetector {
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final int GRIB_SEARCH = 4096;

    private FormatDetector() {
    }

    public static Format detect(ByteSource source) throws IOException {
        long size = source.size();
        if (size < 4) {
            throw new UnknownFormatException(source.url(), "file of " + size + " bytes is too short to be "
                    + "NetCDF, HDF5 or GRIB");
        }
        // Read only what each test needs: most files answer from their first 8 bytes.
        byte[] head = source.read(0, (int) Math.min(size, HDF5_SIGNATURE.length));
        if (head[0] == 'C' && head[1] == 'D' && head[2] == 'F') {
            switch (head[3]) {
                case 1:
                    return Format.NETCDF3_CLASSIC;
                case 2:
                    return Format.NETCDF3_64BIT_OFFSET;
                case 5:
                    return Format.NETCDF3_64BIT_DATA;
                default:
                    throw new UnsupportedFormatException(source.url(), "NetCDF magic 'CDF' with unknown version byte "
                            + (head[3] & 0xff) + " (expected 1, 2 or 5)");
            }
        }
        if (head[0] == 'G' && head[1] == 'R' && head[2] == 'I' && head[3] == 'B') {
            // before the HDF5 search, which looks at 512, 1024, 2048… bytes in: each a request for a remote file
            return Format.GRIB;
        }
        for (long at = 0; at + HDF5_SIGNATURE.length <= size; at = at == 0 ? 512 : at * 2) {
            byte[] sig = at == 0 ? head : source.read(at, HDF5_SIGNATURE.length);
            if (Arrays.equals(sig, HDF5_SIGNATURE)) {
                return Format.HDF5;
            }
        }
        byte[] start = source.read(0, (int) Math.min(size, GRIB_SEARCH));
        if (new String(start, StandardCharsets.ISO_8859_1).contains("GRIB")) {
            return Format.GRIB;
        }
        throw new UnknownFormatException(source.url(), "unsupported format: no NetCDF3, HDF5 or GRIB signature "
                + "(first bytes: " + hex(start) + ")");
    }

    private static String hex(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            sb.append(String.format("%02x", head[i] & 0xff));
        }
        return sb.toString();
    }
}
