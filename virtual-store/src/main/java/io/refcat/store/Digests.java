package io.refcat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 digests in hex, for ETags and {@code /files} tokens. */
final class Digests {
    private Digests() {
    }

    /** One digest per thread: every chunk response computes an ETag, and the provider lookup costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });

    static String hex(byte[] data, int hexChars) {
        byte[] digest = SHA256.get().digest(data); // digest() resets it for the next use
        return HexFormat.of().formatHex(digest, 0, (hexChars + 1) / 2).substring(0, hexChars);
    }

    static String hex(String text, int hexChars) {
        return hex(text.getBytes(StandardCharsets.UTF_8), hexChars);
    }
}
