package dev.llamajvm;

import dev.llamajvm.internal.LoaderSettings;
import dev.llamajvm.internal.NativeLoader;
import dev.llamajvm.internal.Platform;
import java.nio.file.Path;

/**
 * Loads llama.cpp's native libraries into this JVM, once. The library calls {@link #load()} itself
 * before its first native call; applications call it only to fail fast at start-up or to learn
 * where the libraries are.
 *
 * <p>Load order, first success wins:
 * <ol>
 *   <li>{@value #LIBRARY_PATH_PROPERTY}: a folder holding {@code natives.list} and the files it
 *       lists, used as is (no extraction, no hash check), for natives you built yourself;</li>
 *   <li>the natives jar of the detected platform on the classpath
 *       ({@code dev.llamajvm:llama-jvm-natives:<version>:<classifier>}, classifier such as
 *       {@code linux-x86_64}), extracted to {@code <cache>/natives/<classifier>-<hash>}, where
 *       {@code <cache>} is {@value #CACHE_DIR_PROPERTY} or {@code ~/.cache/llama-jvm}. Files are
 *       written only when missing or changed, under a file lock, so JVMs may start side by side.</li>
 * </ol>
 * The libraries are then loaded with {@link System#load} in the manifest's order, except ggml's CPU
 * backend modules ({@code libggml-cpu-*}), which ggml loads itself from the returned folder. If
 * nothing works, a {@link NativeLibraryException} names the platform, every failed attempt (also
 * attached as suppressed exceptions), the natives that are on the classpath, and the fix. Set
 * {@value #DEBUG_LOADER_PROPERTY}{@code =true} to log each step through {@link System.Logger}
 * {@code dev.llamajvm.natives}.
 *
 * <p>Thread-safe: any thread may call it, any number of times; concurrent first calls load once.
 */
public final class NativeLibraries {

    /** System property: an explicit natives folder, tried before the classpath. */
    public static final String LIBRARY_PATH_PROPERTY = "llama.jvm.library.path";

    /** System property: the cache root natives are extracted under; default {@code ~/.cache/llama-jvm}. */
    public static final String CACHE_DIR_PROPERTY = "llama.jvm.cache.dir";

    /** System property: {@code true} logs each loader step at INFO instead of DEBUG. */
    public static final String DEBUG_LOADER_PROPERTY = "llama.jvm.debug.loader";

    /** The folder of the loaded natives; null until a load succeeds. */
    private static volatile Path loadedFrom;

    private NativeLibraries() {
    }

    /**
     * Loads the natives unless this JVM already has, and returns the folder holding them.
     *
     * <p>A failed load is not remembered: a later call tries again (after the classpath or the
     * properties were fixed, say).
     *
     * @throws NativeLibraryException if no source yields loadable libraries
     */
    public static Path load() {
        Path folder = loadedFrom;
        if (folder != null) {
            return folder;
        }
        synchronized (NativeLibraries.class) {
            if (loadedFrom == null) {
                loadedFrom = new NativeLoader(Platform.current(), NativeLibraries.class.getClassLoader(),
                        LoaderSettings.fromSystemProperties(), NativeLoader.Linker.SYSTEM).load();
            }
            return loadedFrom;
        }
    }

    /** Whether a {@link #load()} call has succeeded in this JVM. */
    public static boolean isLoaded() {
        return loadedFrom != null;
    }
}
