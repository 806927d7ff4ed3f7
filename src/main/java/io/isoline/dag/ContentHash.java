package io.isoline.dag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable hashes of content, for names that must change when what they name changes. */
public final class ContentHash {

    private ContentHash() {
    }

    /** The first 10 hex digits of SHA-1 of {@code text} (Contour's naming hash). */
    public static String short10(String text) {
        return sha1(text.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    }

    public static String sha1(byte[] bytes) {
        return digest("SHA-1", bytes);
    }

    public static String sha256(byte[] bytes) {
        return digest("SHA-256", bytes);
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the Java platform", e);
        }
    }
}
