package io.refcat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 digests in hex, for ETags and {@code /files} tokens. */
final class Digests {
    private Digests() {
    }

    static String hex(byte[] data, int hexChars) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    static String hex(String text, int hexChars) {
        return hex(text.getBytes(StandardCharsets.UTF_8), hexChars);
    }
}
