package dev.llamajvm.benchmarks.compare;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Reply;
import dev.llamajvm.Session;
import dev.llamajvm.SessionOptions;

import java.nio.file.Path;

/**
 * One measured run of the {@link Workload} through llama-jvm's public API (a child process of
 * {@link Compare}): a warm-up, then the prompt and the reply, timed by {@link Reply#timings()}.
 *
 * <pre>usage: OursRun MODEL PROMPT_TOKENS GENERATED_TOKENS THREADS</pre>
 */
public final class OursRun {

    private OursRun() {}

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        Workload work = Workload.fromArgs(args, 1);
        SessionOptions options = SessionOptions.defaults().threads(work.threads())
                .contextSize(work.promptTokens() + work.generatedTokens() + 16).batchSize(512).ubatchSize(512);
        try (LlamaModel llama = LlamaModel.load(model);
             Session session = llama.newSession(options)) {
            int[] prompt = llama.tokenizer().tokenize(work.promptText());
            if (prompt.length != work.promptTokens()) {
                throw new IllegalStateException("the prompt has " + prompt.length + " tokens, not " + work.promptTokens());
            }
            session.complete("Warm up", GenerateOptions.defaults().maxTokens(8).ignoreEos(true));
            session.reset();
            Reply reply = session.complete(work.promptText(),
                    GenerateOptions.defaults().maxTokens(work.generatedTokens()).ignoreEos(true));
            if (reply.promptTokens() != work.promptTokens() || reply.generatedTokens() != work.generatedTokens()) {
                throw new IllegalStateException("evaluated " + reply.promptTokens() + " prompt tokens and generated "
                        + reply.generatedTokens());
            }
            Workload.printResult(reply.timings().promptTokensPerSecond(), reply.timings().generationTokensPerSecond());
        }
    }
}
