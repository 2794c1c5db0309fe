package dev.llamajvm.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * What "flat" means for a soak: the limits its measurements must keep, all relative to the
 * baseline taken after the warm-up (every measurement is taken with all workers paused between
 * operations, so what is alive is the same each time: the shared models and the JVM). Measured on
 * a loaded 2-core machine, native memory moves by up to about 25 MB between measurements without
 * trending (a reload moves the model's many small allocations to another thread's malloc arena);
 * the limits leave room for that noise and no more.
 * <ul>
 *   <li>native memory (resident size minus the JVM's committed heap and non-heap) at the last
 *       measurement at most {@value #MAX_NATIVE_GROWTH_MB} MB above the baseline;</li>
 *   <li>no trend: the mean of the last third of the measurements at most {@value #MAX_TREND_MB} MB
 *       above the mean of the first third (a leak grows steadily; allocator noise does not);</li>
 *   <li>OS threads and open file descriptors never more than {@value #THREAD_TOLERANCE} and
 *       {@value #FD_TOLERANCE} above the baseline (one leaked per operation would be thousands).</li>
 * </ul>
 */
final class Flatness {

    static final double MAX_NATIVE_GROWTH_MB = 64;
    static final double MAX_TREND_MB = 32;
    static final int THREAD_TOLERANCE = 2;
    static final int FD_TOLERANCE = 2;
    /** Fewer measurements than this have no thirds to compare. */
    static final int MIN_SAMPLES = 5;

    private Flatness() {
    }

    static String limits() {
        return String.format("native growth <= %.0f MB, last third - first third <= %.0f MB, threads <= baseline + %d,"
                + " fds <= baseline + %d", MAX_NATIVE_GROWTH_MB, MAX_TREND_MB, THREAD_TOLERANCE, FD_TOLERANCE);
    }

    /** The limits {@code samples} (baseline first) break, each said in a sentence; empty when flat. */
    static List<String> violations(List<ProcessSample> samples) {
        List<String> broken = new ArrayList<>();
        if (samples.size() < MIN_SAMPLES) {
            broken.add("only " + samples.size() + " measurements; at least " + MIN_SAMPLES + " are needed");
            return broken;
        }
        ProcessSample baseline = samples.get(0);
        ProcessSample last = samples.get(samples.size() - 1);
        double growth = last.nativeMb() - baseline.nativeMb();
        if (growth > MAX_NATIVE_GROWTH_MB) {
            broken.add(String.format("native memory grew by %.1f MB (limit %.0f MB)", growth, MAX_NATIVE_GROWTH_MB));
        }
        double trend = trendMb(samples);
        if (trend > MAX_TREND_MB) {
            broken.add(String.format("native memory trends up: the last third averages %.1f MB above the first"
                    + " (limit %.0f MB)", trend, MAX_TREND_MB));
        }
        checkCount(samples, "OS threads", ProcessSample::threads, THREAD_TOLERANCE, broken);
        checkCount(samples, "open file descriptors", ProcessSample::fileDescriptors, FD_TOLERANCE, broken);
        return broken;
    }

    /** Mean native memory of the last third of the samples minus that of the first third, in MB. */
    static double trendMb(List<ProcessSample> samples) {
        int third = samples.size() / 3;
        if (third == 0) {
            return Double.NaN;
        }
        return mean(samples.subList(samples.size() - third, samples.size()), ProcessSample::nativeMb)
                - mean(samples.subList(0, third), ProcessSample::nativeMb);
    }

    private static void checkCount(List<ProcessSample> samples, String what, ToIntFunction<ProcessSample> count,
                                   int tolerance, List<String> broken) {
        int baseline = count.applyAsInt(samples.get(0));
        int highest = samples.stream().mapToInt(count).max().orElseThrow();
        if (highest > baseline + tolerance) {
            broken.add(String.format("%s rose from %d to %d (tolerance +%d)", what, baseline, highest, tolerance));
        }
    }

    private static double mean(List<ProcessSample> samples, ToDoubleFunction<ProcessSample> value) {
        return samples.stream().mapToDouble(value).average().orElseThrow();
    }
}
