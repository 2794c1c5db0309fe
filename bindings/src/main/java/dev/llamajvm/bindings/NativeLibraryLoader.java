package dev.llamajvm.bindings;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads llama.cpp's native libraries before the generated bindings look up their first symbol.
 *
 * <p>The bindings find an implementation with {@link java.util.ServiceLoader}; the java-api module
 * provides one that extracts the platform's natives jar. Implementations must be idempotent and
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
}
