package io.refcat.store.codec;

import io.refcat.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ucar.nc2.grib.grib2.Grib2Record;
import ucar.nc2.grib.grib2.Grib2RecordScanner;
import ucar.unidata.io.InMemoryRandomAccessFile;

/**
 * The {@code grib} codec kerchunk's GRIB references carry: a chunk is a whole GRIB message, and
 * decoding it yields the field's values. refcat decodes on the server, so Zarr clients need no
 * ecCodes: GRIB2 simple packing and JPEG 2000 with NetCDF-Java, complex packing and PNG with
 * {@link Grib2Unpacker}, GRIB1 simple packing with {@link Grib1Unpacker}. The
 * scanner reports the packings neither decodes (CCSDS, GRIB1 second order, ...) as unsupported. Points the bitmap leaves out become NaN; the values
 * go out as little-endian float32 in the message's scanning order (ecCodes' and cfgrib's order).
 */
final class GribDecoder {
    static {
        // NetCDF-Java interpolates reduced (thin) grids onto a regular one by default; refcat serves
        // the points as stored, as cfgrib does. (A process-wide setting of NetCDF-Java's.)
        ucar.nc2.grib.GribData.setInterpolationMethod(ucar.nc2.grib.GribData.InterpolationMethod.none);
    }

    private GribDecoder() {
    }

    /**
     * @param field  the field within the message (GRIB2 messages may repeat sections)
     * @param points the field's number of points (the chunk's element count)
     */
    static byte[] decode(byte[] message, int field, int points, String where) {
        if (message.length < 16 || message[0] != 'G' || message[1] != 'R' || message[2] != 'I' || message[3] != 'B') {
            throw new StoreException(502, "chunk is not a GRIB message", where + " does not start with 'GRIB'");
        }
        int n = message.length;
        if (message[n - 4] != '7' || message[n - 3] != '7' || message[n - 2] != '7' || message[n - 1] != '7'
                || (message[7] == 2 && ByteBuffer.wrap(message, 8, 8).getLong() != n)) {
            throw new StoreException(502, "chunk is not a whole GRIB message", where + " (" + n
                    + " bytes) is cut short or does not end in 7777");
        }
        float[] values;
        try {
            InMemoryRandomAccessFile raf = new InMemoryRandomAccessFile(where, message);
            if (message[7] == 2) {
                Grib2RecordScanner s = new Grib2RecordScanner(raf);
                Grib2Record r = null;
                int seen = 0;
                while (seen <= field && s.hasNext()) {
                    r = s.next();
                    seen++;
                }
                if (r == null || seen <= field) {
                    throw new IOException("no field " + field + " in the message (it holds " + seen + ")");
                }
                values = Grib2Unpacker.decode(r, raf);
            } else {
                values = Grib1Unpacker.decode(message, points);
            }
        } catch (IOException | RuntimeException e) {
            throw new StoreException(502, "GRIB message does not decode", where + ": " + e.getMessage());
        }
        ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putFloat(v);
        }
        return out.array();
    }
}
