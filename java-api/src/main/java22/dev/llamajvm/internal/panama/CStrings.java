package dev.llamajvm.internal.panama;

import java.lang.foreign.MemorySegment;

/** Reads the NUL-terminated strings native calls return. Stateless. */
final class CStrings {

    private CStrings() {}

    /** The string at {@code pointer} (a zero-length segment, as downcalls return), or "" for NULL. */
    static String read(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "" : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
