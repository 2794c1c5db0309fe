package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraries;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The loader's switches, read once from system properties (LWJGL {@code Configuration} style) so the
 * rest of the loader takes plain values and tests can pass their own.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param libraryPath an explicit natives folder that wins over the classpath, if set
 * @param cacheDir the root under which natives are extracted (they go to {@code <cacheDir>/natives/...})
 * @param debug whether to log each step where default logging setups show it
 * @param backend the backend forced by {@value NativeLibraries#BACKEND_PROPERTY}, if any: its natives
 *     jar is extracted when several are on the classpath
 */
public record LoaderSettings(Optional<Path> libraryPath, Path cacheDir, boolean debug, Optional<String> backend) {

    /** Settings without a forced backend. */
    public LoaderSettings(Optional<Path> libraryPath, Path cacheDir, boolean debug) {
        this(libraryPath, cacheDir, debug, Optional.empty());
    }

    /** Reads the switches documented on {@link NativeLibraries}. */
    public static LoaderSettings fromSystemProperties() {
        Optional<Path> libraryPath = property(NativeLibraries.LIBRARY_PATH_PROPERTY).map(Path::of);
        Path cacheDir = property(NativeLibraries.CACHE_DIR_PROPERTY)
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "llama-jvm"));
        boolean debug = property(NativeLibraries.DEBUG_LOADER_PROPERTY).map(Boolean::parseBoolean).orElse(false);
        return new LoaderSettings(libraryPath, cacheDir, debug,
                property(NativeLibraries.BACKEND_PROPERTY).map(v -> v.toLowerCase(Locale.ROOT)));
    }

    /** A system property's value; blank counts as unset (build tools pass "-Dname=" for properties nobody filled in). */
    public static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
