package dev.llamajvm.internal.backend;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of ggml's backend modules in a natives folder: a CPU variant ({@code libggml-cpu-zen4.so},
 * backend {@code cpu}, variant {@code zen4}) or another backend ({@code libggml-vulkan.so}, backend
 * {@code vulkan}, no variant). ggml's modules are plugins that the loader registers with ggml
 * itself; they are never handed to {@link System#load}.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param fileName the module's file name
 * @param backend ggml's name for the backend, lower case ({@code cpu}, {@code cuda}, {@code vulkan})
 * @param variant the CPU variant ({@code haswell}, {@code zen4}), or empty for other backends
 */
public record BackendModule(String fileName, String backend, Optional<String> variant) {

    // libggml-<backend>[-<variant>].so on Linux (modules on macOS use .so as well), ggml-*.dll on
    // Windows; Arm variants carry dots (libggml-cpu-armv8.2_1.so).
    private static final Pattern NAME = Pattern.compile("(?:lib)?ggml-([a-z0-9]+)(?:-([a-z0-9_.]+))?\\.(?:so|dll|dylib)");

    /** The module a file name stands for, or empty for anything else (ggml-base is a library, not a module). */
    public static Optional<BackendModule> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches() || m.group(1).equals("base")) {
            return Optional.empty();
        }
        return Optional.of(new BackendModule(fileName, m.group(1), Optional.ofNullable(m.group(2))));
    }

    /** Whether this is one of the CPU backend's instruction-set variants. */
    public boolean isCpu() {
        return backend.equals("cpu");
    }

    /** {@code cpu-zen4}, {@code vulkan}: how logs and reports name it. */
    public String displayName() {
        return variant.map(v -> backend + "-" + v).orElse(backend);
    }
}
