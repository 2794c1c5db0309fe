package dev.llamajvm.testing.models;

import java.io.IOException;
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
