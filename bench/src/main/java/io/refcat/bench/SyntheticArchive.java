package io.refcat.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reference sets of a made-up daily archive, written as kerchunk JSON without touching any data
 * file: day {@code d} has an inline time value and {@code variables} arrays {@code v<i>(time, y,
 * x)} of one chunk each, pointing into {@code file:///archive/day<d>.nc}.
 */
final class SyntheticArchive {
    private static final JsonFactory JSON = new JsonFactory();

    private SyntheticArchive() {
    }

    static void write(Path dir, int days, int variables) throws IOException {
        Files.createDirectories(dir);
        for (int d = 0; d < days; d++) {
            try (JsonGenerator g = JSON.createGenerator(Files.newOutputStream(dir.resolve(String.format("day%06d.json", d))),
                    JsonEncoding.UTF8)) {
                String url = String.format("file:///archive/day%06d.nc", d);
                g.writeStartObject();
                g.writeNumberField("version", 1);
                g.writeObjectFieldStart("refs");
                g.writeStringField(".zgroup", "{\"zarr_format\":2}");
                g.writeStringField(".zattrs", "{\"title\":\"synthetic\"}");
                g.writeStringField("time/.zarray", zarray("[1]", "[1]", "<f8"));
                g.writeStringField("time/.zattrs", "{\"units\":\"days since 2000-01-01\",\"_ARRAY_DIMENSIONS\":[\"time\"]}");
                byte[] t = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(d).array();
                g.writeStringField("time/0", "base64:" + Base64.getEncoder().encodeToString(t));
                for (int v = 0; v < variables; v++) {
                    g.writeStringField("v" + v + "/.zarray", zarray("[1,90,180]", "[1,90,180]", "<f4"));
                    g.writeStringField("v" + v + "/.zattrs", "{\"units\":\"K\",\"_ARRAY_DIMENSIONS\":[\"time\",\"y\",\"x\"]}");
                    g.writeArrayFieldStart("v" + v + "/0.0.0");
                    g.writeString(url);
                    g.writeNumber(4096L + v * 64_800L);
                    g.writeNumber(64_800);
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    private static String zarray(String shape, String chunks, String dtype) {
        return "{\"chunks\":" + chunks + ",\"compressor\":null,\"dtype\":\"" + dtype + "\",\"fill_value\":null,"
                + "\"filters\":null,\"order\":\"C\",\"shape\":" + shape + ",\"zarr_format\":2}";
    }
}
