package io.refcat.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Who this node is: a stable id, a name, its public base URL, and an Ed25519 key pair that signs
 * what it tells other nodes. Created on first start and kept in {@code DATA/federation/node.json}
 * (owner-only permissions); name and URL follow the latest {@code serve} flags.
 */
public record NodeIdentity(String id, String name, String publicUrl, KeyPair keys) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALGORITHM = "Ed25519";

    public static Path file(Path dataDir) {
        return dataDir.resolve("federation").resolve("node.json");
    }

    /** The node of this data directory, created if it has none; {@code name}/{@code publicUrl} null keep the stored ones. */
    public static NodeIdentity load(Path dataDir, String name, String publicUrl) throws IOException {
        Path file = file(dataDir);
        NodeIdentity node;
        if (Files.exists(file)) {
            @SuppressWarnings("unchecked")
            Map<String, String> m = JSON.readValue(file.toFile(), Map.class);
            node = new NodeIdentity(m.get("id"), m.get("name"), m.get("public_url"),
                    new KeyPair(publicKey0(m.get("public_key")), privateKey(m.get("private_key"))));
        } else {
            try {
                KeyPair keys = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                String id = UUID.randomUUID().toString();
                node = new NodeIdentity(id, "node-" + id.substring(0, 8), null, keys);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has Ed25519 since Java 15", e);
            }
        }
        NodeIdentity updated = new NodeIdentity(node.id, name != null ? name : node.name,
                publicUrl != null ? PeerUrls.normalize(publicUrl) : node.publicUrl, node.keys);
        if (!updated.equals(node) || !Files.exists(file)) {
            updated.save(file);
        }
        return updated;
    }

    private void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("public_url", publicUrl);
        m.put("public_key", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        m.put("private_key", Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(m));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own permissions apply
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What {@code GET /federation/node} shows: everything but the private key. */
    public Map<String, Object> publicJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("url", publicUrl);
        m.put("public_key", publicKeyText());
        m.put("software", "refcat");
        return m;
    }

    public String publicKeyText() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    public String sign(String text) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(keys.getPrivate());
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with the node's own key", e);
        }
    }

    /** Whether {@code signature} is {@code text} signed by the holder of {@code publicKey} (base64 X.509). */
    public static boolean verify(String publicKey, String text, String signature) {
        if (publicKey == null || signature == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(publicKey(publicKey));
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PublicKey publicKey(String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node's private key in node.json cannot be read", e);
        }
    }

    private static PublicKey publicKey0(String base64) {
        try {
            return publicKey(base64);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node's public key in node.json cannot be read", e);
        }
    }
}
