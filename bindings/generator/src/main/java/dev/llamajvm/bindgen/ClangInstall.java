package dev.llamajvm.bindgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds libclang and clang's resource folder (its stddef.h, stdbool.h ...), preferring what the
 * caller names, else the newest Debian-style LLVM under /usr/lib/llvm-N.
 */
record ClangInstall(Path library, Path resourceDir) {

    static ClangInstall find(Path library, Path resourceDir) {
        if (library != null && resourceDir != null) {
            return new ClangInstall(library, resourceDir);
        }
        for (Path llvm : llvmInstalls()) {
            Path lib = library != null ? library : firstExisting(llvm.resolve("lib"), "libclang.so.1", "libclang.so");
            Path res = resourceDir != null ? resourceDir : newestChild(llvm.resolve("lib/clang"));
            if (lib != null && res != null) {
                return new ClangInstall(lib, res);
            }
        }
        throw new IllegalStateException("libclang not found: install Debian's libclang-15-dev (or pass "
                + "--libclang FILE --resource-dir DIR)");
    }

    private static List<Path> llvmInstalls() {
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            return dirs.filter(p -> p.getFileName().toString().matches("llvm-\\d+"))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString().substring(5))).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            if (Files.exists(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }

    private static Path newestChild(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isDirectory(p.resolve("include"))).max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
