package dev.llamajvm.internal.engine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises, in what llama.cpp logged around a failed call, that memory ran out, and how much was
 * asked for: ggml logs the size of each buffer it cannot allocate before llama.cpp gives up with a
 * less precise reason ("failed to allocate buffer for kv cache"). Stateless.
 */
public final class AllocationFailure {

    /** ggml's CPU and graph allocators: "... failed to allocate [CPU ]buffer of size 549755813888". */
    private static final Pattern BYTES = Pattern.compile("failed to allocate .*of size (\\d+)\\s*$");
    /** A GPU's allocator: "... allocating 1234.56 MiB on device 0: cudaMalloc failed: out of memory". */
    private static final Pattern MEBIBYTES = Pattern.compile("allocating ([0-9.]+) MiB on device .* failed");
    /** llama.cpp's own C++ containers, which it catches: "failed to initialize the context: std::bad_alloc". */
    private static final String BAD_ALLOC = "std::bad_alloc";

    private AllocationFailure() {}

    /**
     * What ran out, for an exception's message ("allocating 512.0 GiB (549755813888 bytes) failed"),
     * if the log says memory did.
     */
    public static Optional<String> in(List<String> nativeLog) {
        for (String line : nativeLog) {
            Matcher bytes = BYTES.matcher(line);
            if (bytes.find()) {
                return Optional.of("allocating " + describe(Long.parseUnsignedLong(bytes.group(1))) + " failed");
            }
            Matcher mebibytes = MEBIBYTES.matcher(line);
            if (mebibytes.find()) {
                return Optional.of("allocating " + describe((long) (Double.parseDouble(mebibytes.group(1)) * (1 << 20)))
                        + " failed");
            }
        }
        return nativeLog.stream().anyMatch(line -> line.contains(BAD_ALLOC))
                ? Optional.of("an allocation failed (" + BAD_ALLOC + ")") : Optional.empty();
    }

    /** "512.0 GiB (549755813888 bytes)". */
    static String describe(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB (%d bytes)", bytes / (double) (1L << 30), bytes);
    }
}
