package dev.llamajvm.soak;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * glibc's {@code malloc_trim(0)}: hands memory that malloc holds free (in every thread's arena)
 * back to the system. Freed memory a busy allocator keeps for reuse is not a leak, but it shows in
 * the resident size, by tens of MB with many threads allocating llama.cpp's per-call buffers; a
 * leak is still allocated and survives the trim. Absent outside glibc.
 */
final class MallocTrim {

    private static final Optional<MethodHandle> TRIM = Linker.nativeLinker().defaultLookup().find("malloc_trim")
            .map(address -> Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)));

    private MallocTrim() {
    }

    static boolean available() {
        return TRIM.isPresent();
    }

    /** Trims every arena; false where there is no glibc. */
    static boolean trim() {
        if (TRIM.isEmpty()) {
            return false;
        }
        try {
            int released = (int) TRIM.get().invokeExact(0L);
            return released >= 0;
        } catch (Throwable e) {
            throw new IllegalStateException("malloc_trim failed", e);
        }
    }
}
