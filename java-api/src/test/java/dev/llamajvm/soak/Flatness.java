package dev.llamajvm.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * What "flat" means for a soak: the limits its measurements must keep, all relative to the
 * baseline taken after the warm-up. Every measurement is taken with all workers paused between
 * operations, so what is alive is the same each time: the shared models and the JVM.
 * <ul>
 *   <li>memory malloc has handed out and not had back (glibc's mallinfo2: what a leak of native
 *       objects grows): the median of the last third of the measurements at most
 *       {@value #MAX_MALLOC_GROWTH_MB} MB above the baseline, and not trending: at most
 *       {@value #MAX_MALLOC_TREND_MB} MB above the median of the first third (medians, because the
 *       JIT compiler's own malloc'd arenas make a single measurement jump by 10 MB now and then);</li>
 *   <li>native resident memory (resident size after malloc_trim, minus the JVM's committed heap
 *       and non-heap) at the last measurement at most {@value #MAX_NATIVE_GROWTH_MB} MB above the
 *       baseline: a ceiling on what no allocator statistic sees (mappings) and on fragmentation;</li>
 *   <li>OS threads and open file descriptors never more than {@value #THREAD_TOLERANCE} and
 *       {@value #FD_TOLERANCE} above the baseline (one leaked per operation would be thousands).</li>
 * </ul>
 * Calibrated on a loaded 2-core machine: malloc's figure stays within 4 MB but for single jumps of 10 MB;
 * the resident figure moves by tens of MB and drifts up (+56 MB in 10 minutes) while malloc's stays
 * flat, which is allocator fragmentation (8 threads' arenas; a reload moves a model's many small
 * allocations to another arena), not a leak: hence a trend limit on the one, a ceiling on the other.
 */
final class Flatness {

    static final double MAX_MALLOC_GROWTH_MB = 16;
    static final double MAX_MALLOC_TREND_MB = 8;
    static final double MAX_NATIVE_GROWTH_MB = 192;
    static final int THREAD_TOLERANCE = 2;
    static final int FD_TOLERANCE = 2;
    /** Fewer measurements than this have no thirds worth comparing. */
    static final int MIN_SAMPLES = 5;

    private Flatness() {
    }

    static String limits() {
        return String.format("malloc in use: growth <= %.0f MB, last third - first third <= %.0f MB; native RSS growth"
                        + " <= %.0f MB; threads <= baseline + %d; fds <= baseline + %d", MAX_MALLOC_GROWTH_MB,
                MAX_MALLOC_TREND_MB, MAX_NATIVE_GROWTH_MB, THREAD_TOLERANCE, FD_TOLERANCE);
    }

    /** The limits {@code samples} (baseline first) break, each said in a sentence; empty when flat. */
    static List<String> violations(List<ProcessSample> samples) {
        List<String> broken = new ArrayList<>();
        if (samples.size() < MIN_SAMPLES) {
            broken.add("only " + samples.size() + " measurements; at least " + MIN_SAMPLES + " are needed");
            return broken;
        }
        if (samples.stream().anyMatch(s -> s.mallocBytes() < 0)) {
            broken.add("malloc's statistics (glibc's mallinfo2) are not available here");
            return broken;
        }
        ProcessSample baseline = samples.get(0);
        ProcessSample last = samples.get(samples.size() - 1);
        double mallocGrowth = median(lastThird(samples), ProcessSample::mallocMb) - baseline.mallocMb();
        if (mallocGrowth > MAX_MALLOC_GROWTH_MB) {
            broken.add(String.format("malloc's memory in use grew by %.1f MB (median of the last third; limit %.0f MB)",
                    mallocGrowth, MAX_MALLOC_GROWTH_MB));
        }
        double trend = trendMb(samples, ProcessSample::mallocMb);
        if (trend > MAX_MALLOC_TREND_MB) {
            broken.add(String.format("malloc's memory in use trends up: the last third's median is %.1f MB above the"
                    + " first third's (limit %.0f MB)", trend, MAX_MALLOC_TREND_MB));
        }
        double nativeGrowth = last.nativeMb() - baseline.nativeMb();
        if (nativeGrowth > MAX_NATIVE_GROWTH_MB) {
            broken.add(String.format("native resident memory grew by %.1f MB (limit %.0f MB)", nativeGrowth,
                    MAX_NATIVE_GROWTH_MB));
        }
        checkCount(samples, "OS threads", ProcessSample::threads, THREAD_TOLERANCE, broken);
        checkCount(samples, "open file descriptors", ProcessSample::fileDescriptors, FD_TOLERANCE, broken);
        return broken;
    }

    /** Median of {@code value} over the last third of the samples minus that over the first third, in MB. */
    static double trendMb(List<ProcessSample> samples, ToDoubleFunction<ProcessSample> value) {
        if (samples.size() < 3) {
            return Double.NaN;
        }
        return median(lastThird(samples), value) - median(samples.subList(0, third(samples)), value);
    }

    private static List<ProcessSample> lastThird(List<ProcessSample> samples) {
        return samples.subList(samples.size() - third(samples), samples.size());
    }

    /** A third of the samples, but at least 3 (so that one jump cannot move a median), at most all. */
    private static int third(List<ProcessSample> samples) {
        return Math.min(samples.size(), Math.max(3, samples.size() / 3));
    }

    private static void checkCount(List<ProcessSample> samples, String what, ToIntFunction<ProcessSample> count,
                                   int tolerance, List<String> broken) {
        int baseline = count.applyAsInt(samples.get(0));
        int highest = samples.stream().mapToInt(count).max().orElseThrow();
        if (highest > baseline + tolerance) {
            broken.add(String.format("%s rose from %d to %d (tolerance +%d)", what, baseline, highest, tolerance));
        }
    }

    private static double median(List<ProcessSample> samples, ToDoubleFunction<ProcessSample> value) {
        double[] sorted = samples.stream().mapToDouble(value).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
