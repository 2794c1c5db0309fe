package dev.llamajvm.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where the generated bindings find native symbols. Runs before any generated function binds:
 * the first lookup loads the libraries through the {@link NativeLibraryLoader} found on the
 * class path (the java-api module provides one), routes llama.cpp's log to {@link NativeLog}, and
 * registers the ggml backend modules the loader chose (one CPU variant, at most one GPU backend).
 * Without a loader, symbols come from libraries the application loaded itself with
 * {@link System#load}, and no module is registered.
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
        List<Path> backendModules = List.of();
        NativeLibraryLoader found = new NativeLibraryLoader() {
            @Override
            public List<Path> loadLibraries() {
                return List.of();
            }
        };
        NativeLibraryLoader loader = loader();
        if (loader != null) {
            backendModules = loader.loadLibraries();
            found = loader;
        }
        SymbolLookup lookup = SymbolLookup.loaderLookup().or(Linker.nativeLinker().defaultLookup());
        NativeLog.install(lookup, found);
        if (found.claimModuleRegistration()) {
            registerBackends(lookup, backendModules);
        }
        return lookup;
    }

    /** The java-api module's loader, named here rather than declared as a service (see {@link #loader()}). */
    private static final String API_LOADER = "dev.llamajvm.internal.panama.NativeLibraryLoaderProvider";

    /**
     * A {@link NativeLibraryLoader} service on the class path, else java-api's own. java-api does not
     * declare its loader as a service: its Panama classes are under META-INF/versions/22 of a
     * multi-release jar, and a service whose class Java 17 cannot see there makes that jar unusable
     * on the module path.
     */
    private static NativeLibraryLoader loader() {
        ClassLoader classes = NativeLookup.class.getClassLoader();
        for (NativeLibraryLoader loader : ServiceLoader.load(NativeLibraryLoader.class, classes)) {
            return loader;
        }
        try {
            return (NativeLibraryLoader) Class.forName(API_LOADER, true, classes).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null; // the bindings alone: the application loaded the libraries itself
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start " + API_LOADER, e);
        }
    }

    /**
     * ggml's backends (a CPU variant, a GPU backend) are plugins registered at run time; the loader
     * chose which. Bound here by hand: the generated ggml_backend_h would need this class to exist.
     */
    private static void registerBackends(SymbolLookup lookup, List<Path> modules) {
        if (modules.isEmpty()) {
            return;
        }
        MemorySegment load = lookup.find("ggml_backend_load").orElseThrow(
                () -> new UnsatisfiedLinkError("ggml_backend_load not found in the loaded natives"));
        var handle = Linker.nativeLinker().downcallHandle(load, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        for (Path module : modules) {
            MemorySegment registered;
            try (Arena arena = Arena.ofConfined()) {
                registered = (MemorySegment) handle.invokeExact(arena.allocateFrom(module.toAbsolutePath().toString()));
            } catch (Error | RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            if (registered.equals(MemorySegment.NULL)) {
                // A GPU backend that cannot load (taken untested, say) must not make the bindings
                // unusable: the CPU still computes. Without the CPU backend nothing can.
                if (!module.getFileName().toString().contains("ggml-cpu")) {
                    System.getLogger("dev.llamajvm.natives").log(System.Logger.Level.WARNING,
                            "ggml could not load the backend module " + module + "; the CPU computes");
                    continue;
                }
                throw new UnsatisfiedLinkError("ggml could not load its CPU backend module " + module);
            }
        }
    }
}
