package dev.llamajvm.internal.panama;

import dev.llamajvm.internal.backend.ModuleScorer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Calls a CPU variant's {@code ggml_backend_score} in this process, as ggml itself does when it
 * picks a variant: the module is opened, asked, and closed again with its arena. The score
 * functions read cpuid only, so asking is safe where running the variant's kernels may not be.
 *
 * <p>Stateless; any thread may use it.
 */
public final class PanamaModuleScorer implements ModuleScorer {

    /** Created by reflection from the Java 17 part of the loader. */
    public PanamaModuleScorer() {}

    @Override
    public int score(Path module) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup library = SymbolLookup.libraryLookup(module, arena);
            MemorySegment function = library.find("ggml_backend_score").orElse(null);
            if (function == null) {
                return 0; // not a CPU variant ggml would pick either
            }
            MethodHandle score = Linker.nativeLinker().downcallHandle(function, FunctionDescriptor.of(ValueLayout.JAVA_INT));
            return (int) score.invokeExact();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalArgumentException(t.toString(), t);
        }
    }
}
