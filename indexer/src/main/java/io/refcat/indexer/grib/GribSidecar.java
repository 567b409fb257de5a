package io.refcat.indexer.grib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refcat.reference.ByteSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A GRIB file's index sidecar, which lists where its messages are, so that they need not be found
 * by walking the file: NOAA's wgrib2 inventory ({@code .idx}: {@code 1:0:d=2024010100:TMP:2 m
 * above ground:anl:}, a message's start in the second field, sub-fields {@code 3.2} sharing it) or
 * ECMWF's index ({@code .index}: one JSON object per line with {@code _offset} and {@code _length}).
 *
 * <p>A sidecar is trusted only after a sample of its messages — the first, the last and up to
 * eight between — is found in the file where it says, with the length it implies; otherwise (a
 * stale or foreign sidecar) the file is walked as if there were none.
 */
final class GribSidecar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SAMPLE = 10;

    private GribSidecar() {
    }

    /** The messages the sidecar lists, checked against the file; empty if it cannot be used. */
    static Optional<List<GribMessages.Message>> messages(byte[] sidecar, ByteSource file) throws IOException {
        TreeMap<Long, Long> listed = parse(new String(sidecar, StandardCharsets.UTF_8), file.size());
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        List<long[]> spans = new ArrayList<>();
        listed.forEach((offset, length) -> spans.add(new long[] {offset, length}));
        int edition = -1;
        int n = spans.size();
        for (int i = 0; i < Math.min(SAMPLE, n); i++) {
            long[] span = spans.get(n <= SAMPLE ? i : (int) ((long) i * (n - 1) / (SAMPLE - 1)));
            int found = checked(file, span[0], span[1]);
            if (found < 0 || edition >= 0 && found != edition) {
                return Optional.empty();
            }
            edition = found;
        }
        List<GribMessages.Message> messages = new ArrayList<>();
        for (long[] span : spans) {
            messages.add(new GribMessages.Message(span[0], span[1], edition));
        }
        return Optional.of(messages);
    }

    /** Message start → length, from either format; empty if the text is neither. */
    static TreeMap<Long, Long> parse(String text, long fileSize) {
        TreeMap<Long, Long> spans = new TreeMap<>();
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            for (String line : trimmed.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    long offset = n.path("_offset").asLong(-1);
                    long length = n.path("_length").asLong(-1);
                    if (offset < 0 || length <= 0) {
                        return new TreeMap<>();
                    }
                    spans.put(offset, length);
                } catch (IOException e) {
                    return new TreeMap<>();
                }
            }
            return spans;
        }
        TreeMap<Long, Long> starts = new TreeMap<>();
        for (String line : trimmed.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(":", 3);
            try {
                if (f.length < 3) {
                    return new TreeMap<>();
                }
                starts.put(Long.parseLong(f[1].trim()), 0L);
            } catch (NumberFormatException e) {
                return new TreeMap<>();
            }
        }
        // an inventory gives starts only: a message runs to the next one (the last to the end of the file)
        Long previous = null;
        for (Long start : starts.keySet()) {
            if (previous != null) {
                spans.put(previous, start - previous);
            }
            previous = start;
        }
        if (previous != null) {
            spans.put(previous, fileSize - previous);
        }
        return spans;
    }

    /** The edition of the message at {@code offset} if it is there with {@code length} and ends in 7777, else -1. */
    private static int checked(ByteSource file, long offset, long length) throws IOException {
        if (offset < 0 || length < 16 || offset + length > file.size()) {
            return -1;
        }
        long[] head = head(file, offset);
        if (head == null || head[0] != length
                || !"7777".equals(new String(file.read(offset + length - 4, 4), StandardCharsets.US_ASCII))) {
            return -1;
        }
        return (int) head[1];
    }

    /**
     * A listed message as the file has it: its own length from its header, which must fit the
     * span the sidecar gives it (an inventory's spans include any bytes between messages).
     */
    static GribMessages.Message confirmed(ByteSource file, GribMessages.Message listed) throws IOException {
        long[] head = listed.offset() + 16 <= file.size() ? head(file, listed.offset()) : null;
        if (head == null || head[0] > listed.length()) {
            throw new IOException("the index sidecar lists a message at byte " + listed.offset() + " that the file does not "
                    + "hold there");
        }
        return new GribMessages.Message(listed.offset(), head[0], (int) head[1]);
    }

    /** {declared length, edition} of the message starting at {@code offset}, or null if none starts there. */
    private static long[] head(ByteSource file, long offset) throws IOException {
        byte[] head = file.read(offset, 16);
        if (head[0] != 'G' || head[1] != 'R' || head[2] != 'I' || head[3] != 'B') {
            return null;
        }
        int edition = head[7] & 0xFF;
        long declared = GribMessages.declaredLength(head);
        if (declared < 16 || edition == 1 && (declared & 0x800000) != 0) {
            return null; // not GRIB1/2, or ECMWF's large-message convention: walk the file, which knows it
        }
        return new long[] {declared, edition};
    }
}
