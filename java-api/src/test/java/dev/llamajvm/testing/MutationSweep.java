package dev.llamajvm.testing;

import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.internal.engine.ModelFileCheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loads seeded random byte mutations of a model file's header in a child JVM and records each
 * outcome: loaded, refused with a {@link LlamaException}, another Java exception, or the child died
 * (a native abort or signal) or hung. One child serves many loads and is replaced after each death,
 * so a sweep of thousands runs in minutes. The child is this class's {@link #main}.
 */
public final class MutationSweep {

    /** What became of one mutation: {@code loaded}, {@code refused}, {@code error ...}, {@code crashed ...}, {@code hung}. */
    public record Outcome(ByteMutation mutation, String result) {
        public String kind() {
            return result.split(" ", 2)[0];
        }
    }

    /** Counts per kind of outcome, and every outcome that was neither {@code loaded} nor {@code refused}. */
    public record Report(int mutations, Map<String, Integer> counts, List<Outcome> failures) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(mutations + " mutations: " + counts);
            failures.forEach(f -> s.append("\n  ").append(f.mutation()).append(" -> ").append(f.result()));
            return s.toString();
        }
    }

    private static final String RESULT = "@@ ";
    private static final String END = "\u0000end";

    private MutationSweep() {}

    /**
     * Runs {@code count} mutations of the first {@code regionEnd} bytes of {@code model} drawn from
     * {@code seed}, with llama-jvm's model file check on or off, each given {@code timeout}.
     */
    public static Report run(Path model, long seed, int count, int regionEnd, boolean fileCheck, Duration timeout,
                             Path workDir) throws IOException, InterruptedException {
        Random random = new Random(seed);
        List<ByteMutation> mutations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mutations.add(ByteMutation.random(random, regionEnd));
        }
        return run(model, mutations, fileCheck, timeout, workDir);
    }

    public static Report run(Path model, List<ByteMutation> mutations, boolean fileCheck, Duration timeout, Path workDir)
            throws IOException, InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        List<Outcome> failures = new ArrayList<>();
        Child child = null;
        try {
            for (int i = 0; i < mutations.size(); i++) {
                if (child == null) {
                    child = new Child(model, fileCheck, workDir);
                }
                String result = child.load(i, mutations.get(i), timeout);
                if (result.startsWith("crashed") || result.startsWith("hung")) {
                    child = null; // gone or killed: the next mutation starts a fresh one
                }
                Outcome outcome = new Outcome(mutations.get(i), result);
                counts.merge(outcome.kind(), 1, Integer::sum);
                if (!outcome.kind().equals("loaded") && !outcome.kind().equals("refused")) {
                    failures.add(outcome);
                }
            }
        } finally {
            if (child != null) {
                child.close();
            }
        }
        return new Report(mutations.size(), counts, failures);
    }

    /** A child JVM running {@link #main}, fed one mutation per line. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final Writer input;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Deque<String> recentOutput = new ArrayDeque<>();

        Child(Path model, boolean fileCheck, Path workDir) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-XX:-CreateCoredumpOnCrash",
                    "-XX:ErrorFile=" + workDir.resolve("hs_err_%p.log"),
                    "-Djava.util.logging.config.file=" + Files.writeString(workDir.resolve("quiet-logging.properties"), "handlers=\n"),
                    "-D" + NativeLibraries.LIBRARY_PATH_PROPERTY + "=" + NativeLibraries.load(),
                    "-D" + ModelFileCheck.SKIP_PROPERTY + "=" + !fileCheck,
                    "-cp", System.getProperty("java.class.path"),
                    MutationSweep.class.getName(), model.toString(), workDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("GGML_NO_BACKTRACE", "1");
            process = builder.start();
            input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child died: END says so below
                }
                lines.add(END);
            }, "mutation sweep child output");
            reader.setDaemon(true);
            reader.start();
        }

        String load(int index, ByteMutation mutation, Duration timeout) throws InterruptedException {
            try {
                input.write(index + " " + mutation + "\n");
                input.flush();
            } catch (IOException e) {
                // the child already died; its output and status tell why
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    process.destroyForcibly().waitFor();
                    return "hung (no answer in " + timeout.toSeconds() + " s)";
                }
                if (line.equals(END)) {
                    int status = process.waitFor();
                    return "crashed (exit status " + status + "): " + String.join(" | ", recentOutput);
                }
                if (line.startsWith(RESULT + index + " ")) {
                    recentOutput.clear();
                    return line.substring((RESULT + index + " ").length());
                }
                recentOutput.addLast(line);
                if (recentOutput.size() > 3) {
                    recentOutput.removeFirst();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The child: args are the model and a work folder; stdin has "index mutation" lines. */
    public static void main(String[] args) throws IOException {
        byte[] original = Files.readAllBytes(Path.of(args[0]));
        Path file = Path.of(args[1]).resolve("mutated-" + ProcessHandle.current().pid() + ".gguf");
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] request = line.split(" ", 2);
                ByteMutation.parse(request[1]).writeTo(original, file);
                String result;
                try (LlamaModel model = LlamaModel.load(file)) {
                    result = "loaded";
                } catch (LlamaException e) {
                    result = "refused " + e.getClass().getSimpleName();
                } catch (RuntimeException | Error e) {
                    result = "error " + e.getClass().getName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                }
                out.println(RESULT + request[0] + " " + result);
                out.flush();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
