package dev.llamajvm.testing.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A made file kept in a cache folder: made once, in a temporary file moved into place whole. */
final class CachedFile {

    /** Writes a file to a path. */
    interface Maker {
        void make(Path target) throws IOException;
    }

    private CachedFile() {}

    /** The cache key of a made file: SHA-256 of what went into it, in hex. */
    static String sha256(String description, byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(description.getBytes(StandardCharsets.UTF_8));
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }

    /** {@code file}, made by {@code maker} first if it does not exist yet. */
    static Path ensure(Path file, Maker maker) throws IOException {
        if (!Files.isRegularFile(file)) {
            Files.createDirectories(file.getParent());
            Path part = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try {
                maker.make(part);
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return file;
    }
}
