package dev.llamajvm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a child's log says: executions, the crashing input libFuzzer saved (crash-, oom-, timeout-),
 * inputs it found slow (slow-unit-, which do not end the run), and the crash's signature.
 */
record ChildOutput(long executions, Path crashInput, List<Path> slowInputs, List<String> lines) {

    private static final Pattern FINAL_STATS = Pattern.compile("stat::number_of_executed_units:\\s*(\\d+)");
    private static final Pattern PROGRESS = Pattern.compile("^#(\\d+)\\t");
    private static final Pattern ARTIFACT = Pattern.compile("Test unit written to (.+)$");

    static ChildOutput read(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long executions = 0;
        Path crash = null;
        List<Path> slow = new ArrayList<>();
        for (String line : lines) {
            Matcher m;
            if ((m = FINAL_STATS.matcher(line)).find()) {
                executions = Long.parseLong(m.group(1));
            } else if ((m = PROGRESS.matcher(line)).find()) {
                executions = Math.max(executions, Long.parseLong(m.group(1)));
            } else if ((m = ARTIFACT.matcher(line)).find()) {
                Path artifact = Path.of(m.group(1).trim());
                if (artifact.getFileName().toString().startsWith("slow-unit-")) {
                    slow.add(artifact);
                } else {
                    crash = artifact;
                }
            }
        }
        return new ChildOutput(executions, crash, List.copyOf(slow), lines);
    }

    /** The crash's name ({@link CrashSignature}); meaningful only when the child crashed. */
    String signature() {
        return CrashSignature.of(lines);
    }

    /** The last lines, for error messages. */
    String tail(int count) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
