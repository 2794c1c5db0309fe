package dev.llamajvm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how much native memory a repeated action leaks: the process's resident size (VmRSS)
 * before and after many repetitions, minus what the JVM itself committed meanwhile (heap and
 * non-heap the collector chose to grow into are not native leaks). Free memory glibc's arenas keep
 * for reuse is handed back first ({@code malloc_trim}): it is no leak, and how much of it there is
 * depends on what ran before. Linux only.
 */
public final class NativeGrowth {

    /** What one measurement saw, in MB. */
    public record Result(double rssBeforeMb, double rssAfterMb, double javaGrowthMb, double nativeGrowthMb, double seconds) {
        @Override
        public String toString() {
            return String.format("VmRSS %.1f MB -> %.1f MB, Java heap+non-heap committed %+.1f MB, native growth %.1f MB,"
                    + " %.1f s in all", rssBeforeMb, rssAfterMb, javaGrowthMb, nativeGrowthMb, seconds);
        }
    }

    private NativeGrowth() {}

    public static boolean measurable() {
        // Without malloc_trim (Java 17: no Panama to call it) free memory malloc keeps looks like growth.
        return Files.isReadable(Path.of("/proc/self/status")) && GlibcMalloc.available();
    }

    /** Runs {@code action} {@code warmUp} times, then measures {@code times} more runs. */
    public static Result of(int warmUp, int times, Runnable action) throws IOException {
        long started = System.nanoTime();
        for (int i = 0; i < warmUp; i++) {
            action.run();
        }
        System.gc();
        GlibcMalloc.trim();
        long before = residentBytes();
        long javaBefore = javaCommittedBytes();
        for (int i = 0; i < times; i++) {
            action.run();
        }
        System.gc();
        GlibcMalloc.trim();
        long after = residentBytes();
        long javaGrowth = javaCommittedBytes() - javaBefore;
        double mb = 1024.0 * 1024.0;
        return new Result(before / mb, after / mb, javaGrowth / mb, (after - before - Math.max(0, javaGrowth)) / mb,
                (System.nanoTime() - started) / 1e9);
    }

    /** The process's resident size now (VmRSS), in bytes. */
    public static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (!parts[1].equals("kB")) {
                    throw new AssertionError("unexpected unit: " + line);
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    /** Memory the JVM itself has committed (heap and non-heap), in bytes. */
    public static long javaCommittedBytes() {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
    }
}
