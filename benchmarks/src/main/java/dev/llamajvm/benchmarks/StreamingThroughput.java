package dev.llamajvm.benchmarks;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Reply;
import dev.llamajvm.Session;

import java.nio.file.Path;
import java.util.Locale;

/**
 * End-to-end greedy streaming throughput through the public API, for ./bench.sh: loads the model,
 * warms the JIT up by running completions for {@code --warmup-seconds} (one 128-token run takes
 * ~25 ms on stories260K, so a handful of runs would time the interpreter, not the steady state),
 * then {@code --runs} measured ones, each from an empty KV cache and streamed piece by piece
 * through {@code Session.complete(prompt, options, onPiece)}.
 *
 * <p>Prints one line per measured run on stdout, {@code run <i> <gen_tps> <wall_tps> <tokens>}:
 * gen_tps is the reply's own generation rate ({@link Reply.Timings#generationTokensPerSecond()}:
 * tokens / time spent generating them after the prompt, as llama.cpp's "eval" line counts);
 * wall_tps is tokens / wall time of the whole call (tokenizing and the prompt included).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/llama-jvm-benchmarks.jar \
 *   dev.llamajvm.benchmarks.StreamingThroughput [--model FILE] [--threads 2] [--tokens 128]
 *   [--runs 5] [--warmup-seconds 3] [--prompt TEXT]
 * </pre>
 */
public final class StreamingThroughput {

    private StreamingThroughput() {}

    public static void main(String[] args) {
        Path model = null;
        int threads = BenchSetup.THREADS, tokens = BenchSetup.TOKENS, runs = 5;
        double warmupSeconds = 3;
        String prompt = BenchSetup.PROMPT;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> model = Path.of(need(args[i], value));
                case "--threads" -> threads = Integer.parseInt(need(args[i], value));
                case "--tokens" -> tokens = Integer.parseInt(need(args[i], value));
                case "--runs" -> runs = Integer.parseInt(need(args[i], value));
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(need(args[i], value));
                case "--prompt" -> prompt = need(args[i], value);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
            i++;
        }
        if (model == null) {
            model = BenchSetup.model();
        }
        GenerateOptions options = BenchSetup.generate(tokens);
        try (LlamaModel m = LlamaModel.load(model);
             Session session = m.newSession(BenchSetup.session(threads))) {
            int warmups = 0;
            long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            do {
                once(session, prompt, options, tokens);
                warmups++;
            } while (System.nanoTime() < warmupEnd);
            System.err.printf(Locale.ROOT, "warm-up: %d runs in %.1f s%n", warmups, warmupSeconds);
            for (int i = 1; i <= runs; i++) {
                long start = System.nanoTime();
                Reply reply = once(session, prompt, options, tokens);
                double wallSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "run %d %.2f %.2f %d%n", i,
                        reply.timings().generationTokensPerSecond(), reply.generatedTokens() / wallSeconds,
                        reply.generatedTokens());
                System.out.flush();
            }
        }
    }

    private static Reply once(Session session, String prompt, GenerateOptions options, int tokens) {
        session.reset();
        int[] pieces = new int[1];
        Reply reply = session.complete(prompt, options, piece -> pieces[0] += piece.length());
        if (reply.generatedTokens() != tokens || pieces[0] != reply.text().length()) {
            throw new IllegalStateException("expected " + tokens + " tokens streamed, got " + reply.generatedTokens()
                    + " (" + reply.stopReason() + ")");
        }
        return reply;
    }

    private static String need(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
