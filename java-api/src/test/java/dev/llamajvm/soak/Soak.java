package dev.llamajvm.soak;

import java.io.PrintStream;
import java.util.List;

/**
 * The soak: many threads, for a bounded time, opening sessions, chats and embedders on
 * stories260K and the random-weight tiny Llama 3, generating with random options, cancelling and
 * interrupting, closing things under each other, reloading the models, and now and then an image
 * turn; while the process's native memory, threads and file descriptors are measured and must stay
 * flat ({@link Flatness}). Exits 0 when flat with no failure, 1 otherwise, 2 on bad arguments.
 * Run it with {@code ./soak.sh} (which finds the natives, the models and the class path).
 */
public final class Soak {

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!ProcessSample.measurable()) {
            System.err.println("soak: needs Linux's /proc/self to measure the process");
            System.exit(2);
        }
        NativeLogCounter nativeLog = NativeLogCounter.install();
        out.println("soak: " + options);
        Tally tally = new Tally();
        List<ProcessSample> samples;
        try (Fixtures fixtures = Fixtures.load()) {
            samples = new SoakRun(options, new Workload(fixtures), tally, out).run();
        } catch (SoakRun.Hang hang) {
            out.println("FAILED: " + hang.getMessage());
            tally.print(out);
            out.flush();
            Runtime.getRuntime().halt(1); // hung threads hold the models: no orderly shutdown
            return;
        }
        List<String> violations = Flatness.violations(samples);
        report(out, options, samples, tally, nativeLog, violations);
        System.exit(violations.isEmpty() && tally.failures() == 0 ? 0 : 1);
    }

    private static void report(PrintStream out, SoakOptions options, List<ProcessSample> samples, Tally tally,
                               NativeLogCounter nativeLog, List<String> violations) {
        ProcessSample first = samples.get(0);
        ProcessSample last = samples.get(samples.size() - 1);
        double measuredSeconds = (last.at().toMillis() - first.at().toMillis()) / 1000.0;
        out.println();
        out.printf("soak: %s%n", options);
        out.printf("%d operations, %.1f per second after the warm-up%n", tally.operations(),
                (last.operations() - first.operations()) / Math.max(1, measuredSeconds));
        out.printf("baseline -> end: malloc in use %.1f -> %.1f MB (%+.1f MB; last third - first third %+.1f MB),"
                        + " RSS %.1f -> %.1f MB (after malloc_trim; %.1f -> %.1f MB before), native %.1f -> %.1f MB"
                        + " (%+.1f MB), threads %d -> %d, fds %d -> %d%n", first.mallocMb(), last.mallocMb(),
                last.mallocMb() - first.mallocMb(), Flatness.trendMb(samples, ProcessSample::mallocMb), first.residentMb(),
                last.residentMb(), first.untrimmedMb(), last.untrimmedMb(), first.nativeMb(), last.nativeMb(),
                last.nativeMb() - first.nativeMb(), first.threads(), last.threads(), first.fileDescriptors(),
                last.fileDescriptors());
        tally.print(out);
        nativeLog.print(out);
        out.println("limits: " + Flatness.limits());
        violations.forEach(v -> out.println("NOT FLAT: " + v));
        if (violations.isEmpty() && tally.failures() == 0) {
            out.println("PASSED: flat, no failure");
        } else {
            out.printf("FAILED: %d limit(s) broken, %d failure(s)%n", violations.size(), tally.failures());
        }
    }
}
