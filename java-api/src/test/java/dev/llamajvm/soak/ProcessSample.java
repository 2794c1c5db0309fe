package dev.llamajvm.soak;

import dev.llamajvm.testing.GlibcMalloc;

import dev.llamajvm.testing.NativeGrowth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What the process holds at one moment, read from Linux's /proc/self: resident size as it is and
 * after {@link GlibcMalloc malloc_trim}, the memory the JVM itself has committed (heap and non-heap;
 * see {@link NativeGrowth}), OS threads (Java's and native ones, ggml's OpenMP workers included) and
 * open file descriptors.
 *
 * @param at             time since the run started
 * @param operations     operations finished so far
 * @param untrimmedBytes resident size before malloc_trim
 * @param residentBytes  resident size after it
 * @param mallocBytes    bytes glibc's malloc has handed out and not had back (-1 without glibc)
 */
record ProcessSample(Duration at, long operations, long untrimmedBytes, long residentBytes, long javaCommittedBytes,
                     long mallocBytes, int threads, int fileDescriptors) {

    private static final double MB = 1024.0 * 1024.0;

    /** Measures now; trims malloc's free memory in passing. */
    static ProcessSample take(Duration at, long operations) {
        try {
            long untrimmed = NativeGrowth.residentBytes();
            GlibcMalloc.trim();
            return new ProcessSample(at, operations, untrimmed, NativeGrowth.residentBytes(),
                    NativeGrowth.javaCommittedBytes(), GlibcMalloc.allocatedBytes(), countThreads(), countFileDescriptors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean measurable() {
        return NativeGrowth.measurable() && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    double untrimmedMb() {
        return untrimmedBytes / MB;
    }

    double mallocMb() {
        return mallocBytes / MB;
    }

    double residentMb() {
        return residentBytes / MB;
    }

    double javaCommittedMb() {
        return javaCommittedBytes / MB;
    }

    /** Resident memory (after the trim) the JVM's own committed heap and non-heap do not account for. */
    double nativeMb() {
        return (residentBytes - javaCommittedBytes) / MB;
    }

    static String header() {
        return String.format("%8s %9s %9s %9s %9s %10s %9s %9s %8s %5s", "time", "ops", "RSS MB", "trimmed", "Java MB",
                "native MB", "Δnative", "malloc MB", "threads", "fds");
    }

    /** One table row; {@code baseline} gives the change column. */
    String row(ProcessSample baseline) {
        return String.format("%8s %9d %9.1f %9.1f %9.1f %10.1f %+9.1f %9.1f %8d %5d", clock(at), operations, untrimmedMb(),
                residentMb(), javaCommittedMb(), nativeMb(), nativeMb() - baseline.nativeMb(), mallocMb(), threads,
                fileDescriptors);
    }

    private static String clock(Duration d) {
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static int countThreads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IOException("no Threads line in /proc/self/status");
    }

    /** Open descriptors (the listing's own descriptor included, the same in every sample). */
    private static int countFileDescriptors() throws IOException {
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            return (int) open.count();
        }
    }
}
