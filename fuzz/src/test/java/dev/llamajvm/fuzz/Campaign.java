package dev.llamajvm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes one target for a bounded time in child JVMs ({@link ChildJvm}): the work corpus persists
 * under {@code target/fuzz/corpus/<target>}, and after a crash a fresh child carries on until the
 * time is up, so one defect found early does not end the campaign. Each crash is kept under
 * {@code target/fuzz/crashes/<target>/} with a report (and, for model files, a {@link SeedDelta}).
 */
final class Campaign {

    /** A crash: what it is, the input kept, and why it does not fail the build if it is known. */
    record Crash(String signature, Path input, Optional<String> known) {}

    /** {@code slowInputs}: inputs that took over 10 s (libFuzzer's -report_slow_units), not failures. */
    record Result(FuzzTarget target, long seconds, long executions, int children, List<Crash> crashes,
                  List<Path> slowInputs) {

        List<Crash> unknownCrashes() {
            return crashes.stream().filter(c -> c.known().isEmpty()).toList();
        }
    }

    /** Startup of a child (JVM, instrumentation, fixtures) is not counted by libFuzzer's clock. */
    private static final long STARTUP_ALLOWANCE_SECONDS = 120;
    /** libFuzzer ends a child whose memory grows past this: an input that takes that much is a finding. */
    static final int RSS_LIMIT_MB = 4096;
    /** A child is not started for less than this. */
    private static final long SHORTEST_CHILD_SECONDS = 5;

    private Campaign() {}

    static Result run(FuzzTarget target, long seconds) {
        Path root = FuzzEnvironment.workDir().resolve("fuzz");
        Path seeds = Seeds.prepare(target);
        Path corpus = root.resolve("corpus").resolve(target.id());
        Path crashes = root.resolve("crashes").resolve(target.id());
        Path logs = root.resolve("logs");
        long largest = Seeds.largest(seeds);
        // Whole files keep their size; text may grow to twice its largest seed.
        long maxLen = Math.max(4096, target.savesDeltas() ? largest : 2 * largest);
        List<Crash> found = new ArrayList<>();
        List<Path> slow = new ArrayList<>();
        long executions = 0;
        int children = 0;
        long start = System.nanoTime();
        try {
            Files.createDirectories(corpus);
            Files.createDirectories(crashes);
            long left = seconds;
            while (children == 0 || left >= SHORTEST_CHILD_SECONDS) {
                Path log = logs.resolve(target.id() + "-" + children + ".log");
                List<String> args = List.of(
                        "-max_total_time=" + left, "-timeout=30", "-rss_limit_mb=" + RSS_LIMIT_MB, "-max_len=" + maxLen,
                        "-len_control=0", "-print_final_stats=1", "-artifact_prefix=" + crashes + "/",
                        corpus.toString(), seeds.toString());
                int exit = ChildJvm.run(target, args, List.of(), log, left + STARTUP_ALLOWANCE_SECONDS);
                children++;
                ChildOutput output = ChildOutput.read(log);
                executions += output.executions();
                slow.addAll(output.slowInputs());
                if (output.crashInput() == null) {
                    if (exit == 0) {
                        break;
                    }
                    if (output.executions() == 0) {
                        throw new IllegalStateException("the " + target.id() + " child failed (exit " + exit
                                + ") before running any input; " + log + " ends:\n" + output.tail(40));
                    }
                    // The JVM died before libFuzzer could save the input (the JVM's own signal
                    // handler took a native fault): still a crash, reported by its log, under the
                    // same policy as one with an input (llama.jvm.fuzz.failOnNewCrashes).
                    found.add(diedWithoutInput(target, exit, log));
                } else {
                    found.add(keep(target, output, seeds, log));
                }
                left = seconds - (System.nanoTime() - start) / 1_000_000_000L;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(target, (System.nanoTime() - start) / 1_000_000_000L, executions, children, found, slow);
    }

    /**
     * A child that died without a crash input: its signature is the JVM's "Problematic frame" (from
     * the crash file beside the log) or the exit status; its "input" is the log.
     */
    private static Crash diedWithoutInput(FuzzTarget target, int exit, Path log) throws IOException {
        String signature = "child died (exit " + exit + "), no input saved";
        try (var files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName() + ".hs_err")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("# C  [") || line.startsWith("# J ")) {
                        signature = "child died in " + line.substring(2).strip().replaceAll("\\+0x[0-9a-f]+", "")
                                + ", no input saved";
                        break;
                    }
                }
            }
        }
        return new Crash(signature, log, KnownCrashes.reason(target, signature));
    }

    /** Writes the crash's report beside its input (and a delta for model files). */
    private static Crash keep(FuzzTarget target, ChildOutput output, Path seeds, Path log) throws IOException {
        Path input = output.crashInput();
        Optional<String> known = KnownCrashes.reason(target, output.signature());
        StringBuilder report = new StringBuilder()
                .append("target: ").append(target.id()).append('\n')
                .append("signature: ").append(output.signature()).append('\n')
                .append("known: ").append(known.orElse("no")).append('\n')
                .append("log: ").append(log).append('\n');
        if (target.savesDeltas()) {
            SeedDelta delta = SeedDelta.against(Files.readAllBytes(input), seeds);
            Path deltaFile = input.resolveSibling(input.getFileName() + ".delta");
            Files.writeString(deltaFile, delta.text(output.signature()));
            report.append("delta: ").append(deltaFile).append(" (").append(delta.insertedBytes())
                    .append(" bytes changed against ").append(delta.seed()).append(")\n");
        }
        report.append("\n").append(output.tail(60)).append('\n');
        Files.writeString(input.resolveSibling(input.getFileName() + ".txt"), report);
        return new Crash(output.signature(), input, known);
    }
}
