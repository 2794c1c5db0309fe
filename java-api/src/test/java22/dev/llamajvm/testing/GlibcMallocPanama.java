package dev.llamajvm.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link GlibcMalloc} through Panama (Java 22+): glibc's allocator, asked two things. {@code malloc_trim(0)} hands memory that malloc holds free
 * (in every thread's arena) back to the system: freed memory a busy allocator keeps for reuse is
 * not a leak, but it shows in the resident size, by hundreds of MB with many threads allocating
 * llama.cpp's per-call buffers; a leak is still allocated and survives the trim.
 * {@code mallinfo2()} says how many bytes are allocated now (in arenas and mmapped chunks): a leak
 * grows it; fragmentation grows the resident size but not it. Absent outside glibc.
 */
public final class GlibcMallocPanama {

    private static final Linker LINKER = Linker.nativeLinker();
    /** struct mallinfo2 (malloc.h): ten size_t; uordblks is arena bytes in use, hblkhd mmapped bytes in use. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(JAVA_LONG.withName("arena"),
            JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"), JAVA_LONG.withName("hblks"),
            JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"), JAVA_LONG.withName("fsmblks"),
            JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"), JAVA_LONG.withName("keepcost"));
    private static final Optional<MethodHandle> TRIM = LINKER.defaultLookup().find("malloc_trim")
            .map(address -> LINKER.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)));
    private static final Optional<MethodHandle> INFO = LINKER.defaultLookup().find("mallinfo2")
            .map(address -> LINKER.downcallHandle(address, FunctionDescriptor.of(MALLINFO2)));

    private GlibcMallocPanama() {
    }

    /** Trims every arena; does nothing where there is no glibc. */
    public static void trim() {
        if (TRIM.isPresent()) {
            try {
                int releasedAny = (int) TRIM.get().invokeExact(0L); // 1 if it gave memory back: either is fine
            } catch (Throwable e) {
                throw new IllegalStateException("malloc_trim failed", e);
            }
        }
    }

    /** Bytes malloc has handed out and not had back (arenas and mmapped chunks); -1 without glibc. */
    public static long allocatedBytes() {
        if (INFO.isEmpty()) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) INFO.get().invokeExact((SegmentAllocator) arena);
            return info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                    + info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
        } catch (Throwable e) {
            throw new IllegalStateException("mallinfo2 failed", e);
        }
    }
}
