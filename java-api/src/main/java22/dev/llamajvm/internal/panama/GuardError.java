package dev.llamajvm.internal.panama;

import dev.llamajvm.bindings.llama_jvm_guard_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * The {@code char ** error} out-parameter of llama-jvm's guarded calls (llama-jvm-guard.h), where
 * the message of a C++ exception the guard caught lands. An owner allocates one and passes it to
 * every call, so a guarded call per token allocates nothing. One thread at a time, like its owner.
 */
final class GuardError {

    private final MemorySegment slot;

    GuardError(SegmentAllocator allocator) {
        this.slot = allocator.allocate(ValueLayout.ADDRESS);
    }

    /** What to pass as the guarded function's last argument. */
    MemorySegment slot() {
        return slot;
    }

    /** The message of the exception the last call caught, freed here; null when it caught none. */
    String take() {
        if (slot.get(ValueLayout.JAVA_LONG, 0) == 0) {
            return null; // the common case, read without making a MemorySegment
        }
        MemorySegment message = slot.get(ValueLayout.ADDRESS, 0);
        slot.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
        try {
            return message.reinterpret(Long.MAX_VALUE).getString(0);
        } finally {
            llama_jvm_guard_h.llama_jvm_guard_error_free(message);
        }
    }
}
