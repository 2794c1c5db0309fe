package dev.llamajvm.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;

/**
 * llama.cpp's, ggml's and libmtmd's log callback for the Panama bindings: each fragment goes to the
 * {@link NativeLibraryLoader}'s {@link NativeLibraryLoader#log} (java-api routes it to
 * {@link System.Logger} and captures reasons for its errors, the same for both of its engines).
 * Installed from the moment the natives load; never lets an exception reach C. Thread-safe.
 */
public final class NativeLog {

    private static volatile NativeLibraryLoader sink;

    private NativeLog() {}

    /**
     * Installs the callback for llama.cpp and ggml (llama_log_set covers both) and for libmtmd
     * (mtmd_helper_log_set covers its helpers and the projector), once per JVM, before anything
     * logs. Bound by hand: it runs while the generated classes' symbol lookup initialises.
     */
    static void install(SymbolLookup lookup, NativeLibraryLoader loader) {
        sink = loader;
        MemorySegment callback = ggml_log_callback.allocate(NativeLog::onLog, Arena.global());
        for (String setter : new String[] {"llama_log_set", "mtmd_helper_log_set"}) {
            lookup.find(setter).ifPresent(address -> {
                var setLog = Linker.nativeLinker().downcallHandle(address,
                        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
                try {
                    setLog.invokeExact(callback, MemorySegment.NULL);
                } catch (Error | RuntimeException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            });
        }
    }

    private static void onLog(int level, MemorySegment text, MemorySegment userData) {
        try {
            sink.log(level, text.reinterpret(Integer.MAX_VALUE).getString(0));
        } catch (Throwable ignored) {
            // Nothing may escape into C; a lost log line is the lesser harm.
        }
    }
}
