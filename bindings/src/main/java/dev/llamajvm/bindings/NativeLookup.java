package dev.llamajvm.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Where the generated bindings find native symbols. Runs before any generated function binds:
 * the first lookup loads the libraries through the {@link NativeLibraryLoader} found on the
 * class path (the java-api module provides one), routes llama.cpp's log to {@link NativeLog}, and
 * registers ggml's CPU backend variants, so the best one for this processor is used. Without a loader, symbols come from libraries the
 * application loaded itself with {@link System#load}.
 */
public final class NativeLookup {

    private NativeLookup() {}

    private static final class Holder {
        static final SymbolLookup LOOKUP = initialise();
    }

    /** The lookup the generated code uses; the first call loads the natives. */
    public static SymbolLookup lookup() {
        return Holder.LOOKUP;
    }

    private static SymbolLookup initialise() {
        Path folder = null;
        for (NativeLibraryLoader loader : ServiceLoader.load(NativeLibraryLoader.class, NativeLookup.class.getClassLoader())) {
            folder = loader.loadLibraries();
            break;
        }
        SymbolLookup lookup = SymbolLookup.loaderLookup().or(Linker.nativeLinker().defaultLookup());
        NativeLog.install(lookup);
        if (folder != null) {
            registerBackends(lookup, folder);
        }
        return lookup;
    }

    /**
     * ggml loads its backends (one CPU variant per instruction-set level, GPU backends) from a folder
     * at run time. Bound here by hand: the generated ggml_backend_h would need this class to exist.
     */
    private static void registerBackends(SymbolLookup lookup, Path folder) {
        MemorySegment loadAll = lookup.find("ggml_backend_load_all_from_path").orElseThrow(
                () -> new UnsatisfiedLinkError("ggml_backend_load_all_from_path not found in the loaded natives"));
        var handle = Linker.nativeLinker().downcallHandle(loadAll, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            handle.invokeExact(arena.allocateFrom(folder.toAbsolutePath().toString()));
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
