package dev.llamajvm.soak;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one soak run does: how long, on how many threads, with which random seed, how long it warms
 * up before the first measurement and how often it measures. {@code ./soak.sh} owns the defaults
 * and passes every value; here each is required, so the two cannot disagree.
 *
 * @param duration    the whole run, warm-up included
 * @param threads     worker threads, each running random operations back to back
 * @param seed        seeds each worker's random choices (worker i uses seed + i)
 * @param warmUp      time before the baseline measurement (lazily made caches, JIT, thread pools)
 * @param sampleEvery time the workers run between two measurements (each also waits for the
 *                    operations in flight to finish)
 */
record SoakOptions(Duration duration, int threads, long seed, Duration warmUp, Duration sampleEvery) {

    private static final List<String> NAMES = List.of("--minutes", "--threads", "--seed", "--warmup-seconds",
            "--sample-seconds");

    SoakOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
        if (sampleEvery.isZero() || sampleEvery.isNegative()) {
            throw new IllegalArgumentException("--sample-seconds must be positive");
        }
        if (warmUp.isNegative() || warmUp.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("the warm-up (" + warmUp.toSeconds() + " s) must be shorter than the run ("
                    + duration.toSeconds() + " s)");
        }
        if (measured(duration, warmUp).compareTo(sampleEvery.multipliedBy(Flatness.MIN_SAMPLES - 1)) < 0) {
            throw new IllegalArgumentException("after the warm-up, the run must leave room for " + Flatness.MIN_SAMPLES
                    + " measurements " + sampleEvery.toSeconds() + " s apart");
        }
    }

    /** Parses {@code --minutes M --threads N --seed S --warmup-seconds W --sample-seconds P}, all required. */
    static SoakOptions parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!NAMES.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected one of " + NAMES + " followed by a value, got '" + args[i] + "'");
            }
            values.put(args[i], args[i + 1]);
        }
        for (String name : NAMES) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("missing " + name + " (./soak.sh passes every option)");
            }
        }
        return new SoakOptions(seconds(Double.parseDouble(values.get("--minutes")) * 60),
                Integer.parseInt(values.get("--threads")), Long.parseLong(values.get("--seed")),
                seconds(Double.parseDouble(values.get("--warmup-seconds"))),
                seconds(Double.parseDouble(values.get("--sample-seconds"))));
    }

    /** The part of the run after the warm-up, where the measurements are taken. */
    Duration measured() {
        return measured(duration, warmUp);
    }

    private static Duration measured(Duration duration, Duration warmUp) {
        return duration.minus(warmUp);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @Override
    public String toString() {
        return String.format("%.1f minutes, %d threads, seed %d, warm-up %d s, %d s of work between measurements",
                duration.toMillis() / 60_000.0, threads, seed, warmUp.toSeconds(), sampleEvery.toSeconds());
    }
}
