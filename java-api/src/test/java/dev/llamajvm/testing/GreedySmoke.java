package dev.llamajvm.testing;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.NativeRuntime;
import dev.llamajvm.Reply;
import dev.llamajvm.Sampling;
import dev.llamajvm.Session;
import dev.llamajvm.SessionOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM's main: describes the natives it loaded and prints the greedy tokens of one prompt,
 * so a test can check which backend and CPU variant a JVM chose and that they compute the same.
 *
 * <p>usage: {@code GreedySmoke <model.gguf>}; prints {@code variant=<v>} and {@code tokens=[...]}.
 */
public final class GreedySmoke {

    public static final String PROMPT = "Once upon a time";

    private GreedySmoke() {}

    public static void main(String[] args) {
        NativeRuntime runtime = NativeLibraries.describe();
        System.out.println(runtime);
        System.out.println("variant=" + runtime.cpuVariant().orElse("none"));
        try (LlamaModel model = LlamaModel.load(Path.of(args[0]))) {
            System.out.println("tokens=" + tokens(model));
        }
    }

    /** The greedy tokens every smoke compares. */
    public static List<Integer> tokens(LlamaModel model) {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(256).threads(2))) {
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(24).sampling(Sampling.greedy()));
            return reply.tokens();
        }
    }
}
