package dev.llamajvm.fuzz.targets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The file a target hands to a loader that only takes paths: rewritten for every input. */
final class InputFile {

    private final Path path;

    InputFile(String name) {
        try {
            Path folder = Files.createTempDirectory("llama-jvm-fuzz");
            folder.toFile().deleteOnExit();
            path = folder.resolve(name);
            path.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file, now holding {@code data}. */
    Path write(byte[] data) {
        try {
            return Files.write(path, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
