package dev.llamajvm;

import dev.llamajvm.internal.Natives;
import dev.llamajvm.internal.backend.BackendChoice;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.Engines;
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
 * The libraries are then loaded with {@link System#load} in the manifest's order, except ggml's
 * backend modules ({@code libggml-cpu-*} variants, GPU backends) and the probe program. Of those,
 * the loader registers with ggml at most one GPU backend (CUDA, then Vulkan, then Metal) and one CPU
 * variant: the best-scoring variant for this processor that passes a test run in a child process
 * ({@code llama-jvm-probe}), so a variant whose instructions the machine advertises but refuses
 * (SIGILL) is skipped instead of killing the JVM. CPU verdicts are kept per machine under
 * {@code <cache>/probes/}; GPU backends are probed on every start. The choice and each skipped
 * module's reason are logged once at INFO; {@link #describe()} returns them.
 *
 * <p>If nothing works, a {@link NativeLibraryException} names the platform, every failed attempt (also
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

    /**
     * System property: the backend to use ({@code cpu}, {@code cuda}, {@code vulkan}, {@code metal}),
     * no other tried; a GPU backend that is absent or fails its probe is then an error.
     */
    public static final String BACKEND_PROPERTY = "llama.jvm.backend";

    /** System property: the CPU variant to use ({@code haswell}, {@code zen4}, ...), not probed. */
    public static final String CPU_VARIANT_PROPERTY = "llama.jvm.cpu.variant";

    /**
     * System property: {@code false} registers the best-scoring CPU variant (and the first GPU
     * backend) without test-running it in a child process first.
     */
    public static final String PROBE_PROPERTY = "llama.jvm.probe";

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
        return Natives.load().folder();
    }

    /**
     * Loads the natives if needed and describes what this JVM computes on: the platform, the
     * backend, the CPU variant, what was skipped and why, and the devices with their memory. For
     * start-up logs and bug reports.
     *
     * @throws NativeLibraryException if the natives cannot be loaded
     */
    public static NativeRuntime describe() {
        Natives.Loaded natives = Natives.load();
        BackendChoice choice = natives.choice();
        return new NativeRuntime(natives.platform(), natives.folder(), choice.backend(), choice.cpuVariant(),
                choice.how(), choice.skipped(), Engine.get().devices(), Engines.name());
    }

    /** Whether a {@link #load()} call has succeeded in this JVM. */
    public static boolean isLoaded() {
        return Natives.ifLoaded().isPresent();
    }
}
