package io.sparsefit.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, in one place for the datasets' provenance hash, the Idempotency-Key request hash and the API keys' stored
 * digests: every JVM has the algorithm, so its absence is a bug.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** A new SHA-256 digest, to feed in parts. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hex digest of the parts, in order. */
    public static String hex(byte[]... parts) {
        MessageDigest md = digest();
        for (byte[] part : parts) {
            md.update(part);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
