package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code char ** error} out-parameter of llama-jvm's guarded calls (llama-jvm-guard.h), where
 * the message of a C++ exception the guard caught lands. An owner allocates one and passes it to
 * every call, so a guarded call per token allocates no native memory. One thread at a time, like
 * its owner.
 */
final class GuardSlot {

    private final PointerPointer<BytePointer> slot = new PointerPointer<>(1L);
    /** The same slot read as a number: checking it after each call makes no Java object. */
    private final LongPointer address = new LongPointer(slot);

    GuardSlot() {
        slot.put(0, (Pointer) null);
    }

    /** What to pass as the guarded function's last argument. */
    PointerPointer<BytePointer> slot() {
        return slot;
    }

    /** The message of the exception the last call caught, freed here; null when it caught none. */
    String take() {
        if (address.get(0) == 0) {
            return null; // the common case, on every token
        }
        BytePointer message = slot.get(BytePointer.class, 0);
        slot.put(0, (Pointer) null);
        try {
            return JniStrings.read(message);
        } finally {
            Llama.llama_jvm_guard_error_free(message);
        }
    }
}
