package dev.llamajvm.bindings;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads llama.cpp's native libraries before the generated bindings look up their first symbol.
 *
 * <p>The bindings take an implementation declared as a {@link java.util.ServiceLoader} service, else
 * the java-api module's (by name), which extracts the platform's natives jar. Implementations must be idempotent and
 * thread-safe, and must load the libraries with {@link System#load} so that
 * {@link java.lang.foreign.SymbolLookup#loaderLookup()} sees them.
 */
public interface NativeLibraryLoader {

    /**
     * Loads the libraries (once) and returns ggml's backend modules to register, in order (a GPU
     * backend, then one CPU variant): the modules are plugins that ggml must be told about, and
     * the loader, not ggml, decides which of them this process may run.
     */
    List<Path> loadLibraries();

    /**
     * True when the caller is to register the modules {@link #loadLibraries} returned: they are
     * registered once per JVM, and a JVM may also call llama.cpp through other bindings (java-api's
     * JNI engine) that register them too. By default, always.
     */
    default boolean claimModuleRegistration() {
        return true;
    }

    /**
     * One fragment of native log text at ggml's level (1 debug .. 4 error, 5 continues the line);
     * called on whatever thread logs, must not throw. By default, whole fragments go to
     * {@link System.Logger} "dev.llamajvm.llama" (warnings and errors as such, the rest at DEBUG).
     */
    default void log(int level, String text) {
        if (!text.isBlank()) {
            System.getLogger("dev.llamajvm.llama").log(level == 4 ? System.Logger.Level.ERROR
                    : level == 3 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, text.strip());
        }
    }
}
