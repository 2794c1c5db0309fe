package dev.llamajvm.testing;

import java.lang.reflect.Method;

/**
 * glibc's allocator, asked two things: {@code malloc_trim(0)} hands memory that malloc holds free
 * back to the system (freed memory a busy allocator keeps is not a leak, but it shows in the
 * resident size); {@code mallinfo2()} says how many bytes are allocated now (a leak grows it). The
 * calls go through Panama ({@link GlibcMallocPanama}, Java 22+); on older Java, as without glibc,
 * {@link #available()} is false, trimming does nothing and the count is -1.
 */
public final class GlibcMalloc {

    private static final Method TRIM = method("trim");
    private static final Method ALLOCATED = method("allocatedBytes");

    private GlibcMalloc() {}

    private static Method method(String name) {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            return Class.forName("dev.llamajvm.testing.GlibcMallocPanama").getMethod(name);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Whether this JVM can ask glibc at all (Java 22+). */
    public static boolean available() {
        return TRIM != null && ALLOCATED != null;
    }

    /** Trims every arena; does nothing where glibc cannot be asked. */
    public static void trim() {
        if (TRIM != null) {
            call(TRIM);
        }
    }

    /** Bytes malloc has handed out and not had back (arenas and mmapped chunks); -1 where it cannot be asked. */
    public static long allocatedBytes() {
        return ALLOCATED == null ? -1 : (long) call(ALLOCATED);
    }

    private static Object call(Method method) {
        try {
            return method.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(method.getName() + " failed", e.getCause());
        }
    }
}
